import 'reflect-metadata';
import * as classTransformer from 'class-transformer';
import { Expose, Transform, Type, plainToInstance } from 'class-transformer';
import { toInstance } from './instance-plan';

const OPTIONS = { enableImplicitConversion: false, exposeDefaultValues: false };

class Tag {
  value: string;
}

class Base {
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value)) name: string;
  @Transform(({ value }) => `${String(value)}+base`) label?: string;
}

const appended = (suffix: string) => Transform(({ value }) => `${String(value)}+${suffix}`);

class Item extends Base {
  @Type(() => Tag) tag?: Tag;
  @appended('first') @appended('second') declare label?: string;
  @Type(() => Tag) tags?: Tag[];
  /** A transform after the base's, and one reading the options validateBody passes. */
  @Transform(({ value, options }) => ((options as { xmlBody?: boolean }).xmlBody ? `xml:${String(value)}` : value)) mode?: string;
  @Transform(({ value }) => (value === '' ? null : value), { groups: ['admin'] }) grouped?: string;
  @Transform(({ value, obj, key }) => `${key}=${String(value)}/${Object.keys(obj as object).length}`, { toPlainOnly: true }) plainOnly?: string;
  count = 0;
  get readOnly(): string {
    return 'r';
  }
  method(): string {
    return 'm';
  }
}

class Doc {
  @Type(() => Item) item: Item;
  @Type(() => Item) items?: Item[];
  note?: unknown;
}

class Exposed {
  @Expose({ name: 'wire' }) name: string;
}

class Stringly {
  @Type(() => String) name: string;
}

describe('toInstance', () => {
  const spy = jest.spyOn(classTransformer, 'plainToInstance');
  afterEach(() => spy.mockClear());

  it.each<[string, object]>([
    ['nested documents and lists of them', { item: { name: ' a ', tag: { value: 'x' } }, items: [{ name: 'b', tags: [{ value: 'y' }, { value: 'z' }] }] }],
    ['transforms of the class and of its ancestor, in their order', { item: { name: ' n ', mode: 'm', grouped: '', plainOnly: 'p', label: 'l' } }],
    ['a member without a @Type, copied as an object literal all the way down', { item: { name: 'a' }, note: { deep: { list: [{ x: 1 }, [2, { y: 3 }]] } } }],
    ['primitives where documents are expected', { item: 'a', items: ['b', 3, true], note: 5 }],
    ['a list where one document is expected, a document where a list is', { item: [{ name: 'a' }], items: { name: 'b' } }],
    ['lists of lists', { items: [[{ name: 'a' }], [[{ name: 'b' }]]], note: [[1]] }],
    ['members named as a getter, a method, an own field and Object.prototype members', { item: { readOnly: 'x', method: 'y', count: 5, toString: 'z', valueOf: 1, hasOwnProperty: 2 }, note: { toString: 'z', isPrototypeOf: 1, a: 2 } }],
    ['members that could reach a prototype', JSON.parse('{"item":{"__proto__":{"polluted":1},"name":"a"},"constructor":{"x":1},"note":{"__proto__":{"y":1}}}') as object],
    ['null and undefined members', { item: { name: null, tag: null, tags: [null] }, items: null, note: undefined }],
    ['an empty document', {}],
  ])('builds what plainToInstance builds, without calling it: %s', (_what, plain) => {
    for (const xmlBody of [false, true]) {
      const planned = toInstance(Doc, plain, { ...OPTIONS, xmlBody } as classTransformer.ClassTransformOptions);
      expect(spy).not.toHaveBeenCalled();
      expect(planned).toStrictEqual(plainToInstance(Doc, plain, { ...OPTIONS, xmlBody } as classTransformer.ClassTransformOptions));
      spy.mockClear();
    }
  });

  it.each<[string, classTransformer.ClassConstructor<object>, object, classTransformer.ClassTransformOptions]>([
    ['a class using @Expose', Exposed, { wire: 'a', name: 'b' }, OPTIONS],
    ['an option other than the defaults', Doc, { item: { name: 'a' }, extra: 1 }, { ...OPTIONS, excludeExtraneousValues: true }],
    ['a @Type of a built-in value type', Stringly, { name: 5 }, OPTIONS],
    ['a Map or Set inside the document', Doc, { item: { name: 'a' }, note: new Set([1]) }, OPTIONS],
    ['a Date inside the document', Doc, { item: { name: 'a' }, note: new Date(0) }, OPTIONS],
  ])('hands %s to plainToInstance', (_what, cls, plain, options) => {
    const planned = toInstance(cls, plain, options);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockClear();
    expect(planned).toStrictEqual(plainToInstance(cls, plain, options));
  });

  it('sees a @Type added to a class after its plan was built', () => {
    class Late {
      inner?: Tag;
    }
    expect(toInstance(Late, { inner: { value: 'a' } }, OPTIONS).inner).not.toBeInstanceOf(Tag);
    Type(() => Tag)(Late.prototype, 'inner');
    expect(toInstance(Late, { inner: { value: 'a' } }, OPTIONS).inner).toBeInstanceOf(Tag);
  });
});
