import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsDefined, IsIn, IsObject, IsOptional, IsString, MaxLength, Validate, ValidateIf, ValidateNested,
  ValidatorConstraint, type ValidatorConstraintInterface,
} from 'class-validator';
import { requestInstance, validationErrors } from './validate-body';
import { satisfiesRules } from './validation-plan';

class Tag {
  @IsIn(['a', 'b']) value: string;
}

class Item {
  @IsString() @MaxLength(5) name: string;
  @IsOptional() @IsArray() @ArrayMaxSize(2) @IsString({ each: true }) labels?: string[];
  @IsOptional() @IsObject() @ValidateNested() @Type(() => Tag) tag?: Tag;
}

class Doc {
  @IsDefined() @IsObject() @ValidateNested() @Type(() => Item) item: Item;
  @IsOptional() @IsArray() @ValidateNested({ each: true }) @Type(() => Item) items?: Item[];
  @IsOptional() @IsString() mode?: string;
  @ValidateIf((doc: Doc) => doc.mode === 'strict') @IsString() @MaxLength(3) code?: string;
  /** No @Type: a nested document arrives as a plain object, which class-validator refuses as an unknown value. */
  @IsOptional() @ValidateNested() untyped?: object;
}

@ValidatorConstraint({ name: 'later', async: true })
class Later implements ValidatorConstraintInterface {
  validate(): Promise<boolean> {
    return Promise.resolve(true);
  }
}

class WithAsyncRule {
  @Validate(Later) @IsString() name: string;
}

const plan = (body: object, cls: new () => object = Doc): boolean => satisfiesRules(requestInstance(cls, body));
const classValidator = (body: object, cls: new () => object = Doc): boolean => validationErrors(requestInstance(cls, body)).length === 0;

describe('satisfiesRules', () => {
  it.each<[string, object, boolean]>([
    ['a minimal valid document', { item: { name: 'a' } }, true],
    ['every optional member present and valid', { item: { name: 'a', labels: ['x', 'y'], tag: { value: 'b' } }, items: [{ name: 'b' }], mode: 'm', code: 'long text' }, true],
    ['a missing required member', { mode: 'm' }, false],
    ['a null member counts as absent', { item: { name: 'a', labels: null, tag: null } }, true],
    ['a required member of the wrong type', { item: 'a' }, false],
    ['a rule of a nested document', { item: { name: 'toolong' } }, false],
    ['a rule two levels down', { item: { name: 'a', tag: { value: 'c' } } }, false],
    ['an unknown member at the top', { item: { name: 'a' }, colour: 'red' }, false],
    ['an unknown member of a nested document', { item: { name: 'a', colour: 'red' } }, false],
    ['a rule on each element, broken by one', { item: { name: 'a', labels: ['x', 1] } }, false],
    ['an array above its maximum', { item: { name: 'a', labels: ['x', 'y', 'z'] } }, false],
    ['an element of a nested array broken', { item: { name: 'a' }, items: [{ name: 'b' }, { name: 'toolong' }] }, false],
    ['a primitive where nested documents are expected', { item: { name: 'a' }, items: ['b'] }, false],
    ['a nested array of arrays, walked into element by element', { item: { name: 'a' }, items: [[{ name: 'b' }]] }, true],
    ['a nested array of arrays with a broken element', { item: { name: 'a' }, items: [[{ name: 'b' }, { name: 'toolong' }]] }, false],
    ['a document where an array is expected', { item: { name: 'a' }, items: { name: 'b' } }, false],
    ['ValidateIf off: the rule is not applied', { item: { name: 'a' }, code: 42 }, true],
    ['ValidateIf on: the rule applies', { item: { name: 'a' }, mode: 'strict', code: 'long' }, false],
    ['a nested document without its class is an unknown value', { item: { name: 'a' }, untyped: { any: 1 } }, false],
  ])('%s', (_, body, expected) => {
    expect(classValidator(body)).toBe(expected);
    expect(plan(body)).toBe(expected);
  });

  it('leaves a class with an asynchronous rule to class-validator', () => {
    const body = { name: 'a' };
    expect(classValidator(body, WithAsyncRule)).toBe(true);
    expect(plan(body, WithAsyncRule)).toBe(false);
  });

  it('follows a rule added to a nested class after documents of it were checked', () => {
    class Leaf {
      @IsOptional() @IsString() a?: string;
      b?: string;
    }
    class Root {
      @IsDefined() @IsObject() @ValidateNested() @Type(() => Leaf) leaf: Leaf;
    }
    const body = { leaf: { a: 'x', b: 'y' } };
    expect([plan(body, Root), classValidator(body, Root)]).toEqual([false, false]);
    IsString()(Leaf.prototype, 'b');
    expect([plan(body, Root), classValidator(body, Root)]).toEqual([true, true]);
  });

  it('refuses an object of a class without rules', () => {
    class Bare {
      name?: string;
    }
    expect(classValidator({ name: 'a' }, Bare)).toBe(false);
    expect(plan({ name: 'a' }, Bare)).toBe(false);
  });
});
