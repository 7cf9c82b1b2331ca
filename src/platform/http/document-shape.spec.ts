import { AppError } from '../errors/app-error';
import { MAX_DOCUMENT_DEPTH, checkDocumentShape, checkXmlDepth } from './document-shape';

function nested(depth: number): unknown {
  let doc: unknown = 'leaf';
  for (let i = 0; i < depth; i++) doc = { a: doc };
  return doc;
}

function kindOf(fn: () => void): string | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    return (e as AppError).kind;
  }
}

describe('checkDocumentShape', () => {
  it('accepts documents up to the depth limit', () => {
    expect(kindOf(() => checkDocumentShape(nested(MAX_DOCUMENT_DEPTH)))).toBeUndefined();
  });

  it('refuses documents nested deeper than the limit, even very deep ones, without recursion', () => {
    expect(kindOf(() => checkDocumentShape(nested(MAX_DOCUMENT_DEPTH + 1)))).toBe('BodyInvalid');
    expect(kindOf(() => checkDocumentShape(nested(100_000)))).toBe('BodyInvalid');
  });
});

describe('checkXmlDepth', () => {
  it('counts only open elements, not self-closing ones', () => {
    const flat = '<conversation>' + '<e id="1"/>'.repeat(500) + '</conversation>';
    expect(kindOf(() => checkXmlDepth(flat))).toBeUndefined();
  });

  it('refuses deep nesting', () => {
    const deep = '<a>'.repeat(MAX_DOCUMENT_DEPTH + 2) + '</a>'.repeat(MAX_DOCUMENT_DEPTH + 2);
    expect(kindOf(() => checkXmlDepth(deep))).toBe('BodyInvalid');
  });
});
