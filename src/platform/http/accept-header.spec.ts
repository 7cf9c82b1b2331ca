import { negotiateFormat } from './accept-header';

describe('negotiateFormat', () => {
  it.each([
    [undefined, 'json'],
    ['*/*', 'json'],
    ['application/*', 'json'],
    ['application/json', 'json'],
    ['application/xml', 'xml'],
    ['APPLICATION/XML', 'xml'],
    ['application/json; charset=utf-8', 'json'],
    ['application/xml; charset=UTF-8', 'xml'],
    ['application/xml;charset="utf-8"', 'xml'],
    ['application/json; charset=utf-8; version=1', 'json'],
    ['application/xml, application/json', 'xml'],
    ['application/xml, application/json;q=0.5', 'xml'],
    ['application/*;q=0.5, application/xml', 'xml'],
    ['text/html, */*;q=0.1', 'json'],
    ['application/json;q=0, */*', 'xml'],
    ['application/json, application/json;q=0', 'json'],
    ['text/html, application/xml;q=0.9, */*;q=0.8', 'xml'],
    ['application/json; charset=iso-8859-1, application/xml;q=0.5', 'xml'],
  ])('answers %p with %p', (accept, format) => {
    expect(negotiateFormat(accept)).toBe(format);
  });

  it.each([
    '',
    'text/html',
    'application/pdf',
    'application/json;q=0, application/xml;q=0',
    'application/json; charset=iso-8859-1',
    'application/json;q=x',
    'application/json;q=2',
    'json',
  ])('finds nothing acceptable in %p', (accept) => {
    expect(negotiateFormat(accept)).toBeUndefined();
  });
});
