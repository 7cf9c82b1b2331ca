import { AppError } from '../errors/app-error';
import type { ErrorKind } from '../errors/error-catalogue';
import type { AttributeDefinition, AttributeViolation } from './attribute-rules';

const KIND: Record<AttributeViolation, ErrorKind> = {
  ValueNotAllowed: 'CustomAttributeValueNotAllowed',
  InvalidCharacters: 'CustomAttributeInvalidCharacters',
  TooLong: 'CustomAttributeTooLong',
};

/** A custom attribute value its definition refuses; the kind names which rule. */
export class AttributeValueRejected extends AppError {
  constructor(violation: AttributeViolation, definition: AttributeDefinition, field: string) {
    super(KIND[violation], `custom attribute ${definition.name}: ${violation}`, `${field}.${definition.name}`, {
      name: definition.name,
      maxLength: definition.maxLength,
    });
  }
}

export class CustomAttributeUnknown extends AppError {
  constructor(name: string, field: string) {
    super('CustomAttributeUnknown', `custom attribute ${name} is not configured`, `${field}.${name}`, { name });
  }
}
