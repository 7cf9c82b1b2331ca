import { parseCorsOrigins } from './cors-origins';

describe('parseCorsOrigins', () => {
  it.each([undefined, '', ' ', ', ,'])('reads %p as no CORS at all', (value) => {
    expect(parseCorsOrigins(value)).toEqual({ origins: 'none' });
  });

  it('reads "*" alone as any origin', () => {
    expect(parseCorsOrigins(' * ')).toEqual({ origins: 'any' });
  });

  it('reads a comma-separated list of exact origins, spaces and repeats dropped', () => {
    expect(parseCorsOrigins('https://desk.example.com, http://localhost:8080,https://desk.example.com')).toEqual({
      origins: ['https://desk.example.com', 'http://localhost:8080'],
    });
  });

  it.each([
    ['https://desk.example.com/', 'write https://desk.example.com'],
    ['https://desk.example.com/app', 'write https://desk.example.com'],
    ['https://Desk.Example.com', 'write https://desk.example.com'],
    ['https://desk.example.com:443', 'write https://desk.example.com'],
    ['desk.example.com', 'is not an origin (scheme://host[:port]'],
    ['ftp://desk.example.com', 'is not an http or https origin'],
    ['null', 'is not an origin'],
    ['*, https://desk.example.com', '"*" (any origin) stands alone'],
  ])('refuses %p: %s', (value, reason) => {
    const parsed = parseCorsOrigins(value);
    expect('problems' in parsed && parsed.problems.join('; ')).toContain(reason);
  });

  it('names every malformed entry, not only the first', () => {
    expect(parseCorsOrigins('https://a.example/, https://ok.example, b.example')).toEqual({
      problems: ['"https://a.example/" is not written as browsers send it; write https://a.example', '"b.example" is not an origin (scheme://host[:port], e.g. https://desk.example.com)'],
    });
  });
});
