import { parseQueryString } from './query-string';

describe('parseQueryString', () => {
  it('reads every parameter, beyond the 1000 Node keeps by default', () => {
    const others = Array.from({ length: 1500 }, (_, i) => `_${i}=x`).join('&');
    const query = parseQueryString(`entrypoint=1001&${others}&entrypoint=1002&last=yes`);
    expect(query.entrypoint).toEqual(['1001', '1002']);
    expect(query.last).toBe('yes');
    expect(Object.keys(query)).toHaveLength(1502);
  });

  it('reads a query as Express\'s simple parser does: repeated names as arrays, values decoded', () => {
    expect({ ...parseQueryString('a=1&a=2&b=%C3%A9+x&c') }).toEqual({ a: ['1', '2'], b: 'é x', c: '' });
  });
});
