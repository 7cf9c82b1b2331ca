import type { SchemaObject } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { CharacterLength } from '../http/character-length';
import { describeValidationBounds } from './validation-constraints';

class Body {
  @IsString() @MaxLength(40) date: string;
  @IsString() @Length(8, 200) password: string;
  @CharacterLength(1, 100) name: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @MaxLength(64, { each: true }) values: string[];
  @IsIn(['a', 'b']) kind: string;
  @Min(1) @Max(100) limit: number | string;
  @MaxLength(10) described: string;
}

function schemas(): Record<string, SchemaObject> {
  return {
    Body: {
      type: 'object',
      properties: {
        date: { type: 'string' },
        password: { type: 'string', minLength: 8 },
        name: { type: 'string' },
        values: { type: 'array', items: { type: 'string' } },
        kind: { type: 'string' },
        limit: { oneOf: [{ type: 'integer' }, { type: 'string' }] },
        described: { type: 'string', maxLength: 5 },
      },
    },
  };
}

describe('describeValidationBounds', () => {
  it('states in the schema of a class every bound its validator checks', () => {
    const document = schemas();
    describeValidationBounds(document, new Map([['Body', Body]]));
    const p = document.Body.properties as Record<string, SchemaObject>;
    expect(p.date).toEqual({ type: 'string', maxLength: 40 });
    expect(p.password).toEqual({ type: 'string', minLength: 8, maxLength: 200 });
    expect(p.name).toEqual({ type: 'string', minLength: 1, maxLength: 100 });
    expect(p.values).toEqual({ type: 'array', minItems: 1, maxItems: 50, items: { type: 'string', maxLength: 64 } });
    expect(p.kind).toEqual({ type: 'string', enum: ['a', 'b'] });
    expect(p.limit).toEqual({ oneOf: [{ type: 'integer', minimum: 1, maximum: 100 }, { type: 'string' }] });
  });

  it('leaves a bound the class states itself as written, and schemas of other names alone', () => {
    const document = schemas();
    describeValidationBounds(document, new Map([['Other', Body]]));
    expect(document).toEqual(schemas());
    describeValidationBounds(document, new Map([['Body', Body]]));
    expect((document.Body.properties as Record<string, SchemaObject>).described).toEqual({ type: 'string', maxLength: 5 });
  });
});
