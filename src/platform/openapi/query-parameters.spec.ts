import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
/** Where @nestjs/swagger keeps an operation's parameters (ApiQuery, ApiParam, ApiHeader); its constants are not exported. */
const API_PARAMETERS = 'swagger/apiParameters';

const MODULES = join(__dirname, '..', '..', 'modules');

/** Every controller class of the modules, found by file name as Nest finds them by module. */
function controllers(): [string, Function][] {
  const found: [string, Function][] = [];
  for (const module of readdirSync(MODULES)) {
    const dir = join(MODULES, module, 'interface');
    let files: string[] = [];
    try {
      files = readdirSync(dir).filter((f) => f.endsWith('.controller.ts'));
    } catch {
      continue;
    }
    for (const file of files) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      for (const exported of Object.values<unknown>(require(join(dir, file)))) {
        if (typeof exported === 'function' && Reflect.getMetadata(PATH_METADATA, exported) !== undefined) found.push([file, exported]);
      }
    }
  }
  return found;
}

describe('query parameters of the OpenAPI document', () => {
  it('describes every query parameter a handler reads by name', () => {
    const all = controllers();
    expect(all.length).toBeGreaterThan(10);
    const missing: string[] = [];
    let read = 0;
    for (const [file, controller] of all) {
      for (const method of Object.getOwnPropertyNames(controller.prototype)) {
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}) as Record<string, { data?: unknown }>;
        const described = ((Reflect.getMetadata(API_PARAMETERS, controller.prototype[method]) ?? []) as { name: string; in: string }[])
          .filter((p) => p.in === 'query')
          .map((p) => p.name);
        for (const [key, arg] of Object.entries(args)) {
          if (Number(key.split(':')[0]) !== RouteParamtypes.QUERY || typeof arg.data !== 'string') continue;
          read++;
          if (!described.includes(arg.data)) missing.push(`${file} ${method}: ${arg.data}`);
        }
      }
    }
    expect(read).toBeGreaterThan(2);
    expect(missing).toEqual([]);
  });
});
