import { customerWithEmail, http, login, start, startDocument, uniqueEmail } from './support/client';
import { waitForActivity } from './support/assignment';
import { getConversation, message, sendMessage } from './support/messaging';
import { PrivateMariaDb } from './support/private-services';
import { Stack } from './support/stack';

/** Within this much of the test's clock: a time zone mix-up is off by hours. */
const CLOSE_MS = 60_000;

/**
 * Times are instants whatever the time zone of the database server and of the processes:
 * a MariaDB whose time zone is five hours behind UTC, and api and worker processes in
 * America/New_York. Stored times (sessions, lastModified, conversations, messages) are
 * written and read in UTC.
 */
describe('database: a server time zone other than UTC', () => {
  const mariadb = new PrivateMariaDb(['--default-time-zone=-05:00']);
  let stack: Stack;

  beforeAll(async () => {
    await mariadb.start();
    stack = await Stack.start({ env: { DB_PORT: String(mariadb.port), TZ: 'America/New_York', SESSION_TTL_SECONDS: '3600' }, agentCapacity: 10 });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop().catch(() => undefined);
    await mariadb.destroy();
  });

  const expectNow = (iso: string | number) => expect(Math.abs(new Date(iso).getTime() - Date.now())).toBeLessThan(CLOSE_MS);

  it('a session of an hour is live right after the login, and lastModified is now', async () => {
    const token = await login(stack);
    const res = await http(`${stack.clientApiUrl}/messaging/configuration?entrypoint=1001`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expectNow(res.body.entryPointConfiguration[0].lastModified.date);
  });

  it('a conversation and its messages carry the time they happened', async () => {
    const token = await login(stack);
    const config = await http(`${stack.clientApiUrl}/messaging/configuration?entrypoint=1001`, { headers: { Authorization: `Bearer ${token}` } });
    const lm = config.body.entryPointConfiguration[0].lastModified.date as string;
    const started = await start(stack, startDocument(lm, { customer: customerWithEmail(uniqueEmail('tz')) }), { token, query: 'searchContactOnAttribute=email.emailAddress' });
    expect(started.status).toBe(200);
    const conversationId = started.body.conversation.id as string;
    await waitForActivity(stack, conversationId, (a) => a.state === 'assigned');
    expect((await sendMessage(stack, token, message(conversationId, 'text/plain', 'hello'))).status).toBe(200);

    const read = await getConversation(stack, token, conversationId);
    expect(read.status).toBe(200);
    const { conversation } = read.body;
    expectNow(conversation.createdDate.date);
    expect(Math.abs(new Date(conversation.createdDate.date).getTime() - new Date(started.body.conversation.createdDate.date).getTime())).toBeLessThan(5_000);
    expectNow(conversation.assignedDate.date);
    const text = conversation.message.find((m: { type: { value: string } }) => m.type.value === 'text/plain');
    expectNow(text.timeStamp);
  });
});
