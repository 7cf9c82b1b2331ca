import { canonicalId } from './wire-id';

describe('canonicalId', () => {
  it('drops leading zeros, so "01", "001" and "1" are one id', () => {
    expect(canonicalId('01')).toBe('1');
    expect(canonicalId('001')).toBe('1');
    expect(canonicalId('01001')).toBe('1001');
    expect(canonicalId('1')).toBe('1');
  });

  it('keeps zero itself as "0"', () => {
    expect(canonicalId('0')).toBe('0');
    expect(canonicalId('000')).toBe('0');
  });

  it('reads a non-negative safe integer as its digits', () => {
    expect(canonicalId(1001)).toBe('1001');
    expect(canonicalId(0)).toBe('0');
  });

  it('answers undefined for anything that is not an id', () => {
    for (const v of ['', ' 1', '1 ', '-1', '+1', '1.0', '1e3', 'a1', '12345678901234567890', -1, 1.5, Number.MAX_SAFE_INTEGER + 1, NaN, null, undefined, true, ['1'], {}]) {
      expect(canonicalId(v)).toBeUndefined();
    }
  });

  it('checks the length before dropping zeros: more than 19 digits is no id even when zero-padded', () => {
    expect(canonicalId('00000000000000000001')).toBeUndefined();
    expect(canonicalId('0000000000000000001')).toBe('1');
  });
});
