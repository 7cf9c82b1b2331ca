import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { generator } from '../../../../test/support/seeded-random';
import type { Request, Response } from 'express';
import { plainToInstance } from 'class-transformer';
import { toInstance } from '../../../platform/http/instance-plan';
import { bodyParserMiddleware } from '../../../platform/http/body-parser.middleware';
import { requestInstance, requestPlain, transformOptions, validateBody, validationErrors } from '../../../platform/http/validate-body';
import { satisfiesRules } from '../../../platform/http/validation-plan';
import { StartConversationRequest } from './start-conversation.request';
import { wireText } from './wire-values';

/**
 * validateBody accepts a start document when satisfiesRules says yes, without asking
 * class-validator: the two must agree on every document, or a broken one would get in.
 * Documents: a start with every member, the reference shapes, the malformed-request
 * corpus's JSON bodies, and thousands of random mutations of them (seeded, so a
 * failure repeats).
 */

const FULL = {
  entryPointConfiguration: { entryPoint: { id: '1001' }, lastModified: { date: '2026-01-05T10:00:00.000Z' } },
  activity: {
    subject: 'Order 1234 did not arrive',
    payload: { chat: { clientInfo: { timeOffset: '-300', referrerName: 'shop', referrerURL: 'https://shop.example/cart', isRichTextSupported: 'true' } } },
    case: { id: 7 },
    customAttributes: { customAttribute: [{ attribName: 'order_channel', attribValues: { attribValue: [{ value: 'web' }, { value: 3 }] } }] },
    customer: {
      type: { value: 'individual' },
      contacts: {
        contact: [{
          firstName: 'Ada',
          lastName: 'Lovelace',
          email: [{ emailAddress: 'ada@example.com' }],
          phone: [{ type: { value: 'mobile' }, phoneNo: '+44 20 7946 0000' }],
          social: [{ type: { value: 'twitter' }, socialId: '@ada' }],
          externalId: 'crm-1',
          customAttributes: { customAttribute: [{ attribName: 'tier', attribValues: { attribValue: [{ value: 'gold' }] } }] },
        }],
      },
    },
  },
};

const SHAPES: object[] = [
  FULL,
  { entryPointConfiguration: FULL.entryPointConfiguration },
  { entryPointConfiguration: FULL.entryPointConfiguration, activity: { customer: { contacts: { contact: [{ email: [{ emailAddress: 'a@b.c' }] }] } } } },
  { entryPointConfiguration: { entryPoint: { id: 1001 }, lastModified: { date: 'x' } }, activity: { subject: 's', payload: {} } },
];

/** What validating the smallest start body with `extra` members throws (undefined: nothing). */
function refusalOf(extra: object): unknown {
  const doc = { entryPointConfiguration: { entryPoint: { id: '1001' }, lastModified: { date: '2026-01-05T10:00:00.000Z' } }, ...extra };
  try {
    validateBody(StartConversationRequest, doc);
  } catch (err) {
    return err;
  }
  return undefined;
}

function readCorpus(): object[] {
  const entries = JSON.parse(readFileSync(join(__dirname, '../../../../test/data/malformed-start-requests.json'), 'utf8')) as { contentType?: string; body: string }[];
  const documents: object[] = [];
  for (const entry of entries) {
    if (!entry.contentType?.includes('json')) continue;
    try {
      const parsed: unknown = JSON.parse(entry.body);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) documents.push(parsed);
    } catch {
      // not JSON: refused before validation
    }
  }
  return documents;
}

const SAMPLES: unknown[] = [
  '', 'x', 'x'.repeat(300), '1001', '0017', '-1', 0, 7, -3, 1.5, 1e21, true, false, null, {}, [], [{}], ['x'], [[]],
  { id: '1' }, { value: 'home' }, { value: 'individual' }, { value: 'x' }, [{ value: 'v' }], { emailAddress: 'a@b.c' },
  { date: 'd' }, { attribValue: [] }, { contact: [] },
];
/** Member names the request classes know, so that added members sometimes land where another class allows them. */
const NAMES = ['unknown', 'id', 'value', 'date', 'emailAddress', 'attribValue', 'attribName', 'contacts', 'contact', 'email', 'phone', 'type', 'subject', 'case', 'chat', 'payload'];

type Node = Record<string, unknown> | unknown[];
const isNode = (v: unknown): v is Node => v !== null && typeof v === 'object';

function nodes(value: unknown, out: Node[] = []): Node[] {
  if (!isNode(value)) return out;
  out.push(value);
  for (const child of Object.values(value)) nodes(child, out);
  return out;
}

function mutate(document: object, random: () => number): object {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const copy = structuredClone(document) as Record<string, unknown>;
  const node = pick(nodes(copy));
  const keys = Object.keys(node);
  const key = keys.length > 0 ? pick(keys) : undefined;
  const sample = (): unknown => structuredClone(pick(SAMPLES));
  const at = (k: string): unknown => (node as Record<string, unknown>)[k];
  const set = (k: string, v: unknown): void => {
    (node as Record<string, unknown>)[k] = v;
  };
  switch (pick(['delete', 'replace', 'replace', 'add', 'wrap', 'unwrap', 'grow'] as const)) {
    case 'delete':
      if (key === undefined) break;
      if (Array.isArray(node)) node.splice(Number(key), 1);
      else delete node[key];
      break;
    case 'replace':
      if (key !== undefined) set(key, sample());
      break;
    case 'add':
      if (Array.isArray(node)) node.push(sample());
      else set(pick(NAMES), sample());
      break;
    case 'wrap':
      if (key !== undefined) set(key, [at(key)]);
      break;
    case 'unwrap':
      if (key !== undefined && Array.isArray(at(key)) && (at(key) as unknown[]).length > 0) set(key, (at(key) as unknown[])[0]);
      break;
    case 'grow':
      if (Array.isArray(node) && node.length > 0) {
        const size = pick([0, 20, 21, 50, 51, 100, 101]);
        const first = node[0];
        node.length = 0;
        for (let i = 0; i < size; i++) node.push(structuredClone(first));
      }
      break;
  }
  return copy;
}

describe('StartConversationRequest: satisfiesRules agrees with class-validator', () => {
  const corpus = readCorpus();
  const verdicts = (document: object) => {
    const instance = requestInstance(StartConversationRequest, document);
    return { plan: satisfiesRules(instance), classValidator: validationErrors(instance).length === 0 };
  };

  it('on the reference shapes, which are valid', () => {
    for (const shape of SHAPES) expect(verdicts(shape)).toEqual({ plan: true, classValidator: true });
  });

  it('on the JSON bodies of the malformed-request corpus', () => {
    expect(corpus.length).toBeGreaterThan(50);
    for (const document of corpus) {
      const { plan, classValidator } = verdicts(document);
      expect({ document, plan }).toEqual({ document, plan: classValidator });
    }
  });

  it('on 6,000 random mutations of the valid shapes and of the corpus', () => {
    const random = generator(20261126);
    // Half the mutations start from a valid shape and half from the corpus, whatever the
    // corpus's size, so that both verdicts keep occurring as the corpus grows.
    const seed = (i: number): object => (i % 2 === 0 ? SHAPES[(i / 2) % SHAPES.length] : corpus[((i - 1) / 2) % corpus.length]);
    const disagreements: unknown[] = [];
    let valid = 0;
    for (let i = 0; i < 6000; i++) {
      let document = seed(i);
      const rounds = 1 + Math.floor(random() * 3);
      for (let r = 0; r < rounds; r++) document = mutate(document, random);
      const { plan, classValidator } = verdicts(document);
      if (plan !== classValidator) disagreements.push({ case: i, document, plan, classValidator });
      if (classValidator) valid++;
    }
    expect(disagreements.slice(0, 3)).toEqual([]);
    // Both answers occur often enough for the comparison to mean something.
    expect(valid).toBeGreaterThan(600);
    expect(valid).toBeLessThan(5400);
  });
});

describe('StartConversationRequest: the instance plan builds what plainToInstance builds', () => {
  const corpus = readCorpus();
  /** Both objects, classes included at every level (toStrictEqual compares prototypes), for JSON and for XML options. */
  const expectSame = (document: object): void => {
    for (const xmlBody of [false, true]) {
      const options = { ...transformOptions(document), xmlBody };
      const plain = requestPlain(StartConversationRequest, document);
      expect(toInstance(StartConversationRequest, plain, options)).toStrictEqual(plainToInstance(StartConversationRequest, plain, options));
    }
  };

  it('on the reference shapes, the corpus and 6,000 random mutations', () => {
    for (const document of [...SHAPES, ...corpus]) expectSame(document);
    const random = generator(20261208);
    for (let i = 0; i < 6000; i++) {
      let document = i % 2 === 0 ? SHAPES[(i / 2) % SHAPES.length] : corpus[((i - 1) / 2) % corpus.length];
      const rounds = 1 + Math.floor(random() * 3);
      for (let r = 0; r < rounds; r++) document = mutate(document, random);
      expectSame(document);
    }
  });
});

describe('StartConversationRequest: attribute names', () => {
  it.each([
    ['an activity attribute', { activity: { customAttributes: { customAttribute: [{ attribName: '', attribValues: { attribValue: [{ value: 'x' }] } }] } } }, 'activity.customAttributes.customAttribute.0.attribName'],
    [
      'a contact attribute',
      { activity: { customer: { contacts: { contact: [{ externalId: 'x', customAttributes: { customAttribute: [{ attribName: '', attribValues: { attribValue: [{ value: 'x' }] } }] } }] } } } },
      'activity.customer.contacts.contact.0.customAttributes.customAttribute.0.attribName',
    ],
  ])('refuses an empty name of %s as a body error naming it', (_what, extra, field) => {
    expect(refusalOf(extra)).toMatchObject({ kind: 'BodyInvalid', details: field });
  });
});

describe('StartConversationRequest: isRichTextSupported', () => {
  /** The value the command is given (wireText of the request's), from a body as the body parser reads it. */
  async function richTextOf(contentType: string, text: string): Promise<string | undefined> {
    const req = Object.assign(Readable.from([Buffer.from(text)]), {
      headers: { 'content-type': contentType, 'content-length': String(Buffer.byteLength(text)) },
      method: 'POST',
      url: '/',
    }) as unknown as Request;
    await new Promise<void>((resolve, reject) => bodyParserMiddleware(8192)(req, {} as Response, (err?: unknown) => (err === undefined ? resolve() : reject(err))));
    return wireText(validateBody(StartConversationRequest, req.body).activity?.payload?.chat?.clientInfo?.isRichTextSupported);
  }
  const xml = (rich: string) =>
    '<conversation><entryPointConfiguration><entryPoint><id>1001</id></entryPoint><lastModified><date>2026-01-05T10:00:00.000Z</date></lastModified></entryPointConfiguration>' +
    `<activity><payload><chat><clientInfo><isRichTextSupported>${rich}</isRichTextSupported></clientInfo></chat></payload></activity></conversation>`;
  const json = (rich: string) => JSON.stringify({ ...FULL, activity: { payload: { chat: { clientInfo: { isRichTextSupported: JSON.parse(rich) as unknown } } } } });

  it.each([['1', 'true'], ['0', 'false'], ['true', 'true'], ['false', 'false']])('reads xsd:boolean %s in XML as %s', async (sent, read) => {
    expect(await richTextOf('text/xml', xml(sent))).toBe(read);
  });

  it.each([['true', 'true'], ['"false"', 'false'], ['1', '1'], ['"0"', '0']])('keeps JSON %s as %j: 1 and 0 are not JSON booleans, and the command refuses them', async (sent, read) => {
    expect(await richTextOf('application/json', json(sent))).toBe(read);
  });
});

describe('StartConversationRequest: lists of lists', () => {
  // class-validator's ValidateNested walks into an array inside a list and validates its
  // elements, so `[[{…}]]` passed for a list of objects and the start read its members as absent.
  const contact = (extra: object) => ({ contacts: { contact: [{ email: [{ emailAddress: 'a@b.c' }], ...extra }] } });
  it.each([
    ['email', { activity: { customer: contact({ email: [[{ emailAddress: 'a@b.c' }]] }) } }, 'activity.customer.contacts.contact.0.email'],
    ['phone', { activity: { customer: contact({ phone: [[[{ type: { value: 'mobile' }, phoneNo: '123' }]]] }) } }, 'activity.customer.contacts.contact.0.phone'],
    ['social', { activity: { customer: contact({ social: [[{ type: { value: 'twitter' }, socialId: 'x' }]] }) } }, 'activity.customer.contacts.contact.0.social'],
    ['contact', { activity: { customer: { contacts: { contact: [[{ email: [{ emailAddress: 'a@b.c' }] }]] } } } }, 'activity.customer.contacts.contact'],
    ['customAttribute', { activity: { customAttributes: { customAttribute: [[{ attribName: 'x', attribValues: { attribValue: [{ value: 'v' }] } }]] } } }, 'activity.customAttributes.customAttribute'],
    ['attribValue', { activity: { customAttributes: { customAttribute: [{ attribName: 'x', attribValues: { attribValue: [[{ value: 'v' }]] } }] } } }, 'activity.customAttributes.customAttribute.0.attribValues.attribValue'],
  ])('refuses a list inside %s as a body error naming it', (_list, extra, field) => {
    expect(refusalOf(extra)).toMatchObject({ kind: 'BodyInvalid', details: field });
  });
});

describe('StartConversationRequest: the densest valid XML starts are within the node bound', () => {
  const LIMIT = 65536;
  /** The body as the body parser reads it under `limit`, then the request's checks. */
  async function startOf(text: string, limit: number): Promise<StartConversationRequest> {
    const req = Object.assign(Readable.from([Buffer.from(text)]), {
      headers: { 'content-type': 'application/xml', 'content-length': String(Buffer.byteLength(text)) },
      method: 'POST',
      url: '/',
    }) as unknown as Request;
    await new Promise<void>((resolve, reject) => bodyParserMiddleware(limit)(req, {} as Response, (err?: unknown) => (err === undefined ? resolve() : reject(err))));
    return validateBody(StartConversationRequest, req.body);
  }
  const start = (customAttributes: string, rootAttributes = '') =>
    `<conversation${rootAttributes}><entryPointConfiguration><entryPoint id="1001"/><lastModified date="2026-01-05T10:00:00.000Z"/></entryPointConfiguration>` +
    `<activity><customAttributes>${customAttributes}</customAttributes></activity></conversation>`;
  const custom = (name: string, value: string, count: number) => `<customAttribute attribName="${name}"><attribValues>${value.repeat(count)}</attribValues></customAttribute>`;
  const valuesOf = (request: StartConversationRequest) => request.activity!.customAttributes!.customAttribute.flatMap((a) => a.attribValues.attribValue);
  // Every one-letter name an attribute in a foreign namespace can have: 7 bytes each, dropped by the codec.
  const NAMESPACE = ' xmlns:x="u"';
  const FOREIGN_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_';
  const FOREIGN = [...FOREIGN_LETTERS].map((c) => ` x:${c}=""`).join('');
  /** Elements and attributes as the codec's rule counts them (a start tag, a quoted value). */
  const nodesIn = (xml: string) => (xml.match(/<[^/!?]/g)?.length ?? 0) + (xml.match(/="[^"]*"/g)?.length ?? 0);

  it('admits 51 custom attributes of 50 one-character values given as attributes (about 65 500 bytes, refused at 4096 nodes before)', async () => {
    const xml = start(Array.from({ length: 51 }, (_, i) => custom(`a${i}`, '<attribValue value="a"/>', 50)).join(''));
    expect(Buffer.byteLength(xml)).toBeGreaterThan(65_000);
    expect(Buffer.byteLength(xml)).toBeLessThanOrEqual(LIMIT);
    expect(nodesIn(xml)).toBeGreaterThan(5_200);
    expect(valuesOf(await startOf(xml, LIMIT))).toHaveLength(51 * 50);
  });

  it('admits the densest valid start, of attributes in a foreign namespace, at the body limit and at its own length as the limit', async () => {
    const value = `<attribValue value="a"${FOREIGN}/>`;
    // As many values as fit, 50 to an attribute, then the bytes left as two-letter names on the root.
    const withValues = (n: number, pad = '') =>
      start(Array.from({ length: Math.ceil(n / 50) }, (_, i) => custom(`a${i}`, value, Math.min(50, n - 50 * i))).join(''), NAMESPACE + pad);
    let values = 1;
    while (withValues(values + 1).length <= LIMIT) values++;
    const pad = Array.from({ length: Math.floor((LIMIT - withValues(values).length) / 8) }, (_, i) => ` x:a${FOREIGN_LETTERS[i]}=""`).join('');
    const xml = withValues(values, pad);
    expect(LIMIT - xml.length).toBeLessThan(8);
    // Denser than one node in 7.3 bytes: a bound of one per 8 bytes would refuse it.
    expect(xml.length / nodesIn(xml)).toBeLessThan(7.3);
    expect(valuesOf(await startOf(xml, LIMIT))).toHaveLength(values);
    expect(valuesOf(await startOf(xml, xml.length))).toHaveLength(values);
  });

  it('admits a start over the default limit when the limit is raised', async () => {
    const xml = start(Array.from({ length: 100 }, (_, i) => custom(`a${i}`, `<attribValue value="a"${FOREIGN}/>`, 50)).join(''), NAMESPACE);
    expect(xml.length).toBeGreaterThan(1_000_000);
    expect(valuesOf(await startOf(xml, 2 * 1024 * 1024))).toHaveLength(100 * 50);
  });
});
