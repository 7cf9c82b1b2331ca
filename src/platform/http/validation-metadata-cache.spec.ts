import { IsInt, IsString, getMetadataStorage, registerDecorator, validateSync } from 'class-validator';
import { cacheValidationMetadata } from './validation-metadata-cache';

class Parent {
  @IsString() name!: unknown;
}
class Child extends Parent {
  @IsInt() age!: unknown;
}

describe('cacheValidationMetadata', () => {
  beforeAll(() => cacheValidationMetadata());

  const of = (cls: new () => object, values: Record<string, unknown>) => Object.assign(new cls(), values);

  it('validates inherited and own rules as class-validator does, repeatedly', () => {
    for (let i = 0; i < 3; i++) {
      expect(validateSync(of(Child, { name: 'a', age: 1 }))).toHaveLength(0);
      expect(validateSync(of(Child, { name: 1, age: 1 })).map((e) => e.property)).toEqual(['name']);
      expect(validateSync(of(Child, { name: 'a', age: 'x' })).map((e) => e.property)).toEqual(['age']);
    }
  });

  it('serves the same list while no rule is added, per schema name, and a new rule is seen at once', () => {
    const storage = getMetadataStorage();
    const topLevel = storage.getTargetValidationMetadatas(Child, undefined as unknown as string, false, false);
    expect(storage.getTargetValidationMetadatas(Child, undefined as unknown as string, false, false)).toBe(topLevel);
    // Nested objects come with their parent's class name as schema, as class-validator passes it.
    const nested = storage.getTargetValidationMetadatas(Child, 'Holder', false, false);
    expect(storage.getTargetValidationMetadatas(Child, 'Holder', false, false)).toBe(nested);
    expect(topLevel.length).toBe(2);
    registerDecorator({ target: Child, propertyName: 'age', validator: { validate: (v: unknown) => v !== 13, defaultMessage: () => 'not 13' } });
    expect(validateSync(of(Child, { name: 'a', age: 13 })).map((e) => e.property)).toEqual(['age']);
  });
});
