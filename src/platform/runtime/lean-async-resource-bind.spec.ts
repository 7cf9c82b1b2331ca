import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import { installLeanAsyncResourceBind } from './lean-async-resource-bind';

describe('installLeanAsyncResourceBind', () => {
  const nodeBind = AsyncResource.prototype.bind;
  const nodeDefinesAccessor = Object.prototype.hasOwnProperty.call(new AsyncResource('t').bind(() => undefined), 'asyncResource');
  let installed: boolean;

  beforeAll(() => {
    installed = installLeanAsyncResourceBind();
  });
  afterAll(() => {
    AsyncResource.prototype.bind = nodeBind;
  });

  it('replaces the bind only where Node still defines the deprecated accessor, once', () => {
    expect(installed).toBe(nodeDefinesAccessor);
    expect(installLeanAsyncResourceBind()).toBe(false);
    expect(Object.prototype.hasOwnProperty.call(AsyncResource.bind(() => undefined), 'asyncResource')).toBe(false);
  });

  it('runs the function in the context of the bind, not of the call', () => {
    const storage = new AsyncLocalStorage<string>();
    const bound = storage.run('at bind', () => AsyncResource.bind(() => storage.getStore()));
    expect(storage.run('at call', () => bound())).toBe('at bind');
    expect(bound()).toBe('at bind');
  });

  it('passes arguments and returns the result, keeping the function length', () => {
    const bound = AsyncResource.bind((a: number, b: number) => a * 10 + b);
    expect(bound(4, 2)).toBe(42);
    expect(bound.length).toBe(2);
  });

  it("uses the caller's this without thisArg, and thisArg when given", () => {
    function whoAmI(this: { name: string } | undefined) {
      return this?.name;
    }
    const resource = new AsyncResource('t');
    const target = { name: 'caller', run: resource.bind(whoAmI) };
    expect(target.run()).toBe('caller');
    // The static bind passes its thisArg on to the instance's bind, which @types/node declares without one.
    const fixed = { name: 'caller', run: AsyncResource.bind(whoAmI, 't', { name: 'fixed' }) };
    expect(fixed.run()).toBe('fixed');
  });

  it('propagates what the function throws', () => {
    const bound = AsyncResource.bind(() => {
      throw new Error('inside');
    });
    expect(() => bound()).toThrow('inside');
  });

  it('refuses a value that is not a function, as Node does', () => {
    expect(() => new AsyncResource('t').bind(42 as unknown as () => void)).toThrow(TypeError);
  });
});
