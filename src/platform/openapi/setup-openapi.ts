import type { INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import { buildOpenApiDocument } from './openapi-document';

export const docsPaths = (contextPath: string) => ({ ui: `${contextPath}/docs`, json: `${contextPath}/docs-json` });

/**
 * Serves the browsable description at `<CONTEXT_PATH>/docs` and the document at
 * `<CONTEXT_PATH>/docs-json`. Registered before Nest's middleware, so a browser's
 * Accept and Accept-Language never get in the way of reading the docs.
 */
export function setupOpenApi(app: INestApplication, contextPath: string, version: string): void {
  const document = buildOpenApiDocument(app, version);
  const paths = docsPaths(contextPath);
  SwaggerModule.setup(paths.ui, app, document, {
    jsonDocumentUrl: paths.json,
    raw: ['json'],
    customSiteTitle: 'Messaging backend API',
    swaggerOptions: { persistAuthorization: true, displayOperationId: false, docExpansion: 'list', tagsSorter: 'alpha' },
  });
}
