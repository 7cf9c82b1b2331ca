import { Transform } from 'class-transformer';

const DECIMAL_INTEGER = /^\s*[+-]?\d+\s*$/;

/**
 * Reads an integer setting from its text: decimal digits, a sign and blanks around them
 * allowed. Anything else stays text, which `@IsInt()` then refuses with the setting's name.
 * Not `Number()`: it reads a blank value as 0 (for a limit, "off"; for a port, any free
 * port), "0x50" as 80 and "1e3" as 1000.
 */
export function IntegerSetting(): PropertyDecorator {
  return Transform(({ value }) => (typeof value === 'string' && DECIMAL_INTEGER.test(value) ? Number(value) : value));
}
