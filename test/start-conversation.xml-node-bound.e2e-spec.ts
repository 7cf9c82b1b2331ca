import { clientOf, rawStart } from './support/client';
import { Stack } from './support/stack';
import { expectRefused, startOk } from './support/ws-error';

/**
 * The bound on an XML body's elements and attributes, counted before parsing, follows the body
 * limit: every valid start that fits in BODY_LIMIT_BYTES passes, in XML as in JSON, while a
 * body of smaller nodes than any request has is refused before it is parsed.
 */
const ATTRIBUTES = 51;
const VALUES = 50;
const FOREIGN = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_'].map((c) => ` x:${c}=""`).join('');

/** A start of `attributes` activity custom attributes (a0, a1, …) of `VALUES` values each; a value's foreign prefix `x` declared on the root. */
function startXml(lm: string, attributes: number, value: string): string {
  const namespace = value.includes(' x:') ? ' xmlns:x="u"' : '';
  const custom = (i: number) => `<customAttribute attribName="a${i}"><attribValues>${value.repeat(VALUES)}</attribValues></customAttribute>`;
  return (
    `<conversation${namespace}><entryPointConfiguration><entryPoint id="1001"/><lastModified date="${lm}"/></entryPointConfiguration>` +
    `<activity><customAttributes>${Array.from({ length: attributes }, (_, i) => custom(i)).join('')}</customAttributes></activity></conversation>`
  );
}

async function configureAttributes(stack: Stack, count: number): Promise<void> {
  const rows = Array.from({ length: count }, (_, i) => ['activity', `a${i}`, 'string']);
  await stack.db.query('INSERT IGNORE INTO attribute_definition (scope, name, type) VALUES ?', [rows]);
}

async function expectStarted(stack: Stack, token: string, xml: string, attributes: number): Promise<void> {
  const { conversation } = await startOk(stack, undefined, { token, query: 'anonymousCustomer=yes', raw: xml, headers: { 'Content-Type': 'application/xml' } });
  const [activity] = await stack.db.query('SELECT custom_attributes FROM activity WHERE conversation_id = ?', [conversation.id]);
  const stored = typeof activity.custom_attributes === 'string' ? JSON.parse(activity.custom_attributes) : activity.custom_attributes;
  expect(Object.keys(stored)).toHaveLength(attributes);
}

describe('start conversation: XML elements and attributes within the default body limit', () => {
  const LIMIT = 65536;
  let stack: Stack;
  let token: string;
  let lm: string;

  beforeAll(async () => {
    stack = await Stack.start({ agentCapacity: 100 });
    await configureAttributes(stack, ATTRIBUTES);
    ({ token, lm } = await clientOf(stack));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('starts a conversation of 51 custom attributes of 50 one-character values given as attributes (refused 400-112 at 4096 nodes)', async () => {
    const xml = startXml(lm, ATTRIBUTES, '<attribValue value="a"/>');
    expect(xml.length).toBeGreaterThan(65_000);
    expect(xml.length).toBeLessThanOrEqual(LIMIT);
    await expectStarted(stack, token, xml, ATTRIBUTES);
  });

  it('starts the densest valid conversation at the limit: every value carrying 53 attributes of a foreign namespace', async () => {
    const value = `<attribValue value="a"${FOREIGN}/>`;
    let attributes = 1;
    while (startXml(lm, attributes + 1, value).length <= LIMIT) attributes++;
    const xml = startXml(lm, attributes, value);
    // About one element or attribute in 7.2 bytes.
    const nodes = (xml.match(/<[^/!?]/g)?.length ?? 0) + (xml.match(/="/g)?.length ?? 0);
    expect(xml.length / nodes).toBeLessThan(7.3);
    await expectStarted(stack, token, xml, attributes);
  });

  it('refuses a body of the limit made of nodes of 6 bytes before parsing, writing nothing', async () => {
    const xml = '<conversation>' + '<abc/>'.repeat(Math.floor((LIMIT - 40) / 6)) + '</conversation>';
    await expectRefused(stack, () => rawStart(stack, token, xml, 'application/xml'), 'BodyInvalid', '(body)');
    // Before parsing, and so before authentication.
    await expectRefused(stack, () => rawStart(stack, 'not-a-token', xml, 'application/xml'), 'BodyInvalid', '(body)');
  });
});

describe('start conversation: XML elements and attributes within a raised body limit', () => {
  let stack: Stack;
  let token: string;
  let lm: string;

  beforeAll(async () => {
    stack = await Stack.start({ env: { BODY_LIMIT_BYTES: String(1024 * 1024) }, agentCapacity: 100 });
    await configureAttributes(stack, 100);
    ({ token, lm } = await clientOf(stack));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('starts a conversation of 100 custom attributes of 50 values each carrying 13 foreign attributes (about 575 KB, 75 000 elements and attributes)', async () => {
    const xml = startXml(lm, 100, `<attribValue value="a"${FOREIGN.slice(0, 7 * 13)}/>`);
    expect(xml.length).toBeGreaterThan(65_536 * 4);
    await expectStarted(stack, token, xml, 100);
  });
});
