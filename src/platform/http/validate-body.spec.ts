import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsArray, IsDefined, IsOptional, IsString, MaxLength, ValidateIf, ValidateNested } from 'class-validator';
import { AppError } from '../errors/app-error';
import { NullClears, validateBody } from './validate-body';

class Item {
  @IsString() @MaxLength(5) name: string;
}

class Inner {
  @IsDefined() @IsString() id: string;
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => Item) items?: Item[];
}

class Doc {
  @IsDefined() @ValidateNested() @Type(() => Inner) inner: Inner;
  @IsOptional() @IsString() note?: string;
}

function refusal(body: unknown): AppError {
  try {
    validateBody(Doc, body);
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('validateBody', () => {
  it('answers an instance of the request class', () => {
    const doc = validateBody(Doc, { inner: { id: '1', items: [{ name: 'a' }] }, note: 'n' });
    expect(doc).toBeInstanceOf(Doc);
    expect(doc.inner).toBeInstanceOf(Inner);
    expect(doc.inner.items![0]).toBeInstanceOf(Item);
  });

  it.each([undefined, null, {}])('refuses a missing body: %p', (body) => {
    expect(refusal(body).kind).toBe('BodyMissing');
  });

  it.each([{ note: null }, { note: null, inner: null }])('refuses a body of only nulls as missing, nulls counting as absent members: %p', (body) => {
    expect(refusal(body).kind).toBe('BodyMissing');
  });

  it.each([[[1]], ['text'], [42]])('refuses a body that is not an object: %p', (body) => {
    const err = refusal(body);
    expect(err.kind).toBe('BodyInvalid');
    expect(err.details).toBe('(body)');
  });

  it.each([
    [{ note: 'x' }, 'inner'],
    [{ inner: {} }, 'inner.id'],
    [{ inner: { id: 1 } }, 'inner.id'],
    [{ inner: { id: '1', items: [{ name: 'a' }, { name: 'toolong' }] } }, 'inner.items.1.name'],
    [{ inner: { id: '1' }, colour: 'red' }, 'colour'],
    [{ inner: { id: '1', extra: true } }, 'inner.extra'],
  ])('names the first field at fault in %p', (body, field) => {
    const err = refusal(body);
    expect(err.kind).toBe('BodyInvalid');
    expect(err.details).toBe(field);
    expect(err.args).toEqual({ field });
  });

  it('says what is wrong with a value of the wrong type: its type, not a length it cannot have', () => {
    expect(refusal({ inner: { id: '1', items: [{ name: 5 }] } }).message).toBe('inner.items.0.name: name must be a string');
    expect(refusal({ inner: { id: '1', items: [{ name: ['a'] }] } }).message).toBe('inner.items.0.name: name must be a string');
    expect(refusal({ inner: { id: '1', items: [{}] } }).message).toBe('inner.items.0.name: name must be a string');
    expect(refusal({ inner: { id: '1', items: [{ name: 'toolong' }] } }).message).toBe('inner.items.0.name: name must be shorter than or equal to 5 characters');
  });

  it('says an object where a list belongs is not a list, not that it has too many elements', () => {
    expect(refusal({ inner: { id: '1', items: { name: 'a' } } }).message).toBe('inner.items: items must be an array');
  });

  it('treats null members as absent', () => {
    expect(validateBody(Doc, { inner: { id: '1', items: null }, note: null })).toEqual(Object.assign(new Doc(), { inner: Object.assign(new Inner(), { id: '1' }) }));
    expect(refusal({ inner: null, note: 'x' }).details).toBe('inner');
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses a member named %s anywhere', (name) => {
    const body = JSON.parse(`{"inner": {"id": "1", "${name}": {"polluted": true}}}`);
    const err = refusal(body);
    expect(err.kind).toBe('BodyInvalid');
    expect(err.details).toBe(`inner.${name}`);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('names a forbidden member by its whole path, after siblings walked before it', () => {
    const body = JSON.parse('{"note": "n", "inner": {"id": "1", "items": [{"name": "a", "x": {"y": [1, {"z": 2}]}}, {"name": "b", "constructor": {}}]}}');
    expect(refusal(body).details).toBe('inner.items.1.constructor');
  });
});

class Clearable {
  @NullClears() @ValidateIf((_o, v) => v !== null) @IsString() url: string | null;
  @IsOptional() @IsString() format?: string;
}

describe('validateBody with @NullClears', () => {
  it('keeps a null of the marked member, and drops any other null as absent', () => {
    const request = validateBody(Clearable, { url: null, format: null });
    expect(request.url).toBeNull();
    expect(request.format).toBeUndefined();
  });

  it('still refuses the marked member when it is left out', () => {
    expect(() => validateBody(Clearable, { format: 'json' })).toThrow(AppError);
  });
});
