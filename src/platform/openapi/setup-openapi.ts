import type { INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { buildOpenApiDocument } from './openapi-document';

export const docsPaths = (contextPath: string) => ({ ui: `${contextPath}/docs`, json: `${contextPath}/docs-json` });

/**
 * Serves the browsable description at `<CONTEXT_PATH>/docs` and the document at
 * `<CONTEXT_PATH>/docs-json`. Registered before Nest's middleware, so a browser's
 * Accept and Accept-Language never get in the way of reading the docs.
 *
 * The document (1.3 MB) and the UI's script that carries it (2 MB) are the same for every
 * request, and are sent from one Buffer each, made once. Made per request (the document
 * serialized, the script copied into a new Buffer by Express), each answer a client had not yet
 * read held its own copy: requests pipelined on one connection are all answered at once, and 800
 * of them, 32 KB sent by anyone, held 1.1 GB in the api and kept it from answering its probes.
 */
export function setupOpenApi(app: INestApplication, contextPath: string, version: string): void {
  const document = buildOpenApiDocument(app, version);
  const paths = docsPaths(contextPath);
  const http = app.getHttpAdapter();
  const json = Buffer.from(JSON.stringify(document));
  http.get(paths.json, (_req: Request, res: Response) => res.type('application/json; charset=utf-8').send(json));
  // SwaggerModule builds the script once, as a string, which Express would copy at every send.
  for (const script of [`${paths.ui}/swagger-ui-init.js`, `${paths.ui}/${paths.ui.split('/').pop()}/swagger-ui-init.js`]) {
    app.use(script, sentFromOneBuffer());
  }
  SwaggerModule.setup(paths.ui, app, document, {
    raw: [],
    customSiteTitle: 'Messaging backend API',
    swaggerOptions: { persistAuthorization: true, displayOperationId: false, docExpansion: 'list', tagsSorter: 'alpha' },
  });
}

/**
 * The handler after this one answers its text as a Buffer made from that text the first time,
 * with the charset Express adds to a text (it adds none to a Buffer).
 */
function sentFromOneBuffer(): (req: Request, res: Response, next: NextFunction) => void {
  let text: string | undefined;
  let bytes: Buffer | undefined;
  return (_req, res, next) => {
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      if (typeof body !== 'string') return send(body);
      if (body !== text || bytes === undefined) {
        text = body;
        bytes = Buffer.from(body);
      }
      if (!res.get('Content-Type')?.includes('charset')) res.type(`${res.get('Content-Type') ?? 'text/plain'}; charset=utf-8`);
      return send(bytes);
    };
    next();
  };
}
