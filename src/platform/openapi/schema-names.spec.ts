import { Controller, Post, type Type } from '@nestjs/common';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { AppModule } from '../../app.module';
import { ApiEndpoint } from './api-endpoint.decorator';
import { schemaNameClashes } from './schema-names';

/** Two modules each declaring their own `Ref`, as two api-doc files could. */
function answerModule() {
  class Ref {
    @ApiProperty({ format: 'uuid' }) id: string;
  }
  class Item {
    @ApiProperty({ type: () => Ref }) ref: Ref;
  }
  class Answer {
    @ApiProperty({ type: [Item] }) items: Item[];
  }
  return Answer;
}

function requestModule(name?: string) {
  @ApiSchema(name ? { name } : {})
  class Ref {
    @ApiProperty({ example: '1' }) id: string;
  }
  class Body {
    @ApiProperty({ type: Ref }) ref: Ref;
  }
  return Body;
}

function controllerOf(body: Type<unknown>, answer: Type<unknown>): Type<unknown> {
  @Controller('things')
  class ThingController {
    @Post()
    @ApiEndpoint({ summary: 'a thing', auth: 'none', body: { type: body, example: {} }, ok: { type: answer } })
    create() {}
  }
  return ThingController;
}

/** Every controller the api mounts, from the modules AppModule imports (dynamic ones included). */
function controllersOf(root: Type<unknown>): Type<unknown>[] {
  const modules = new Set<unknown>();
  const controllers = new Set<Type<unknown>>();
  const walk = (entry: unknown): void => {
    if (!entry || modules.has(entry) || typeof (entry as Promise<unknown>).then === 'function') return;
    modules.add(entry);
    const dynamic = typeof entry === 'object' ? (entry as { module: Type<unknown>; controllers?: Type<unknown>[]; imports?: unknown[] }) : undefined;
    const type = dynamic ? dynamic.module : (entry as Type<unknown>);
    for (const c of [...(Reflect.getMetadata('controllers', type) ?? []), ...(dynamic?.controllers ?? [])]) controllers.add(c);
    for (const m of [...(Reflect.getMetadata('imports', type) ?? []), ...(dynamic?.imports ?? [])]) walk(m);
  };
  walk(root);
  return [...controllers];
}

describe('schemaNameClashes', () => {
  it('finds two classes of one name anywhere under the routes: a body, an answer, members, arrays and lazy types', () => {
    const clashes = schemaNameClashes([controllerOf(requestModule(), answerModule())]);
    expect(clashes.map((c) => [c.name, c.classes.length])).toEqual([['Ref', 2]]);
  });

  it('takes a name given with @ApiSchema as the schema name, as the document does', () => {
    expect(schemaNameClashes([controllerOf(requestModule('RequestRef'), answerModule())])).toEqual([]);
  });

  it('finds no schema name shared by two classes among the routes the api mounts', () => {
    const controllers = controllersOf(AppModule);
    // Not vacuous: the client, agent, administration and operations routes are all there.
    expect(controllers.length).toBeGreaterThan(15);
    expect(schemaNameClashes(controllers).map((c) => c.name)).toEqual([]);
  });
});
