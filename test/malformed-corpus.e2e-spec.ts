import corpus from './data/malformed-start-requests.json';
import { clientOf, http } from './support/client';
import { Stack } from './support/stack';

interface CorpusEntry {
  name: string;
  query: string;
  contentType: string;
  body?: string;
  bodyBase64?: string;
  repeat?: { prefix: string; chunk: string; times: number; suffix: string };
  headers?: Record<string, string>;
  expect?: number;
}

/**
 * Malformed start requests kept as data (test/data/malformed-start-requests.json): each
 * must be refused with a 4xx WSError, the api must stay up, and nothing may be written.
 */
describe('malformed start requests', () => {
  let stack: Stack;
  let token: string;
  let lm: string;
  let before: Record<string, number>;

  beforeAll(async () => {
    stack = await Stack.start();
    ({ token, lm } = await clientOf(stack));
    before = await stack.rowCounts();
  });

  afterAll(async () => {
    await stack?.stop();
  });

  function bodyOf(entry: CorpusEntry): string | Buffer | undefined {
    if (entry.bodyBase64 !== undefined) return Buffer.from(entry.bodyBase64, 'base64');
    if (entry.repeat) return entry.repeat.prefix + entry.repeat.chunk.repeat(entry.repeat.times) + entry.repeat.suffix;
    return entry.body?.replaceAll('{{LM}}', lm);
  }

  it(`holds at least 150 requests`, () => {
    expect(corpus.length).toBeGreaterThanOrEqual(150);
  });

  it.each((corpus as CorpusEntry[]).map((e) => [e.name, e]))('refuses %s', async (_name, entry: CorpusEntry) => {
    const headers: Record<string, string> = { 'Content-Type': entry.contentType, Authorization: `Bearer ${token}`, ...entry.headers };
    const query = entry.query ? `?${entry.query}` : '';
    const res = await http(`${stack.clientApiUrl}/messaging/conversation/start${query}`, { method: 'POST', headers, body: bodyOf(entry) });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    if (entry.expect) expect(res.status).toBe(entry.expect);
    const wsError = typeof res.body === 'object' ? res.body : JSON.parse(res.text);
    expect(wsError.code).toMatch(new RegExp(`^${res.status}-\\d{3}$`));
    expect(typeof wsError.userMessage).toBe('string');
    expect(res.text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
  });

  it('leaves the api up and the database unchanged', async () => {
    expect(stack.api.child.exitCode).toBeNull();
    const res = await http(`${stack.clientApiUrl}/messaging/configuration?entrypoint=1001`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(await stack.rowCounts()).toEqual(before);
  });

  it('stores SQL and script text in free-text fields verbatim, harming nothing', async () => {
    const name = "Robert'); DROP TABLE customer;--";
    const subject = "' OR '1'='1 <!-- x -->";
    const doc = { entryPointConfiguration: { entryPoint: { id: '1001' }, lastModified: { date: lm } }, activity: { subject: subject.replace('<', '(') , customer: { contacts: { contact: [{ firstName: name, email: [{ emailAddress: 'bobby.tables@example.com' }] }] } } } };
    const res = await http(`${stack.clientApiUrl}/messaging/conversation/start?searchContactOnAttribute=email.emailAddress`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` }, body: JSON.stringify(doc),
    });
    expect(res.status).toBe(200);
    const [customer] = await stack.db.query('SELECT first_name FROM customer WHERE id = ?', [res.body.conversation.customer.id]);
    expect(customer.first_name).toBe(name);
    const [activity] = await stack.db.query('SELECT subject FROM activity WHERE conversation_id = ?', [res.body.conversation.id]);
    expect(activity.subject).toBe(subject.replace('<', '('));
  });
});

