import { ERROR_CATALOGUE, type ErrorKind } from '../src/platform/errors/error-catalogue';
import type { MappedRoute, RouteTable } from '../src/platform/openapi/mapped-routes';
import { DASHBOARD_REALM } from '../src/modules/administration/interface/queue-dashboard.auth';
import { BASIC_CHALLENGE } from '../src/platform/session/challenge';
import { adminLogin } from './support/admin';
import { agentLogin, startChat, waitForActivity } from './support/assignment';
import { clientOf, http, login, type HttpResult } from './support/client';
import { addChatApplication, applicationId } from './support/messaging';
import { Stack, waitFor, waitForOutput } from './support/stack';

/**
 * Who may call what, over the api's whole route table as the running api walks it (the
 * "route table" line it logs at start-up), so that a route added later is checked the day it
 * appears: without credentials, with each wrong kind of session, and with another tenant's
 * resource, every refusal leaving every table as it was. A route no rule below classifies
 * fails the first test; a new public route must be listed in PUBLIC on purpose.
 */

type Principal = 'client' | 'agent' | 'administrator';
const PRINCIPALS: Principal[] = ['client', 'agent', 'administrator'];

const V19 = '/system/ws/v19';

/** Each API's prefix and the session it takes (docs/operations.md, Administration API; docs/webhooks.md). */
const PRINCIPAL_OF_PREFIX: [string, Principal][] = [
  [`${V19}/administration/`, 'administrator'],
  [`${V19}/agent/`, 'agent'],
  [`${V19}/clientapplications/`, 'client'],
];

/** The OpenAPI security scheme each principal's routes declare. */
const SCHEME_OF: Record<Principal, string> = { client: 'clientApplicationSession', agent: 'agentSession', administrator: 'administratorSession' };

/** What a session of another kind gets on each principal's routes (401-104, 401-106, 401-107). */
const NOT_A_SESSION_OF: Record<Principal, ErrorKind> = { client: 'NotClientApplicationSession', agent: 'NotAgentSession', administrator: 'NotAdministratorSession' };

/**
 * Routes that take no session, each listed on purpose: the logins, the token route (Basic client
 * credentials: without them 401-101 with the Basic challenge), health, metrics and the API docs.
 */
const PUBLIC: Record<string, string> = {
  'POST /system/ws/v19/clientapplications/authentication/oauth2/token': 'client credentials',
  'POST /system/ws/v19/agent/authentication/login': 'login',
  'POST /system/ws/v19/administration/authentication/login': 'login',
  'GET /health/live': 'operations',
  'GET /health/ready': 'operations',
  'GET /metrics': 'operations',
};
/** The docs UI and its document: every file under it is public. */
const DOCS = '/system/docs';
const isDocs = (path: string) => path === DOCS || path.startsWith(`${DOCS}/`) || path === `${DOCS}-json`;

/** Mounts (middleware, sub-applications) and who they admit: only the queue dashboard wants anyone. */
/** The docs' script is sent from one buffer made at start-up, mounted at both paths the UI asks for it (setup-openapi.ts). */
const PUBLIC_MOUNTS = ['/health/live', '/health/ready', '/metrics', '/system', DOCS, `${DOCS}/docs`, `${DOCS}/swagger-ui-init.js`, `${DOCS}/docs/swagger-ui-init.js`];
const DASHBOARD = '/system/admin/queues';

/**
 * Routes that take another tenant's resource, and what refuses it (docs/webhooks.md, Customer
 * side and Agent side; docs/start-conversation.md, 403-102): each client application or agent
 * route with a path parameter, a conversation or an entry point in its body, or an entry point
 * in its query must be here.
 */
const CROSS_TENANT = [
  'GET /system/ws/v19/clientapplications/messaging/configuration',
  'POST /system/ws/v19/clientapplications/messaging/conversation/start',
  'GET /system/ws/v19/clientapplications/messaging/conversation/:id',
  'POST /system/ws/v19/clientapplications/messaging/sendmessage',
  'GET /system/ws/v19/agent/chats/:conversationId',
  'POST /system/ws/v19/agent/chats/:conversationId/complete',
  'POST /system/ws/v19/agent/chats/:conversationId/transfer',
  'POST /system/ws/v19/agent/messaging/sendmessage',
];

const key = (r: MappedRoute) => `${r.method} ${r.path}`;
const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

function principalOf(route: MappedRoute): Principal | 'public' | undefined {
  if (PUBLIC[key(route)] || isDocs(route.path)) return 'public';
  return PRINCIPAL_OF_PREFIX.find(([prefix]) => route.path.startsWith(prefix))?.[1];
}

describe('authorization matrix: every route of the route table, every kind of caller', () => {
  let stack: Stack;
  let table: RouteTable;
  let doc: any;
  const tokens = {} as Record<Principal, string>;
  /** The client application of another tenant, its token, and its own conversation. */
  let otherClient: string;
  let otherAgent: string;
  let conversation: string;
  let otherConversation: string;
  /** Real resources of each kind, by the path segment that names them before the parameter. */
  let ids: Record<string, string>;

  beforeAll(async () => {
    stack = await Stack.start({ env: { LOG_LEVEL: 'debug' } });
    table = JSON.parse(await waitForOutput(stack.api, /"msg":"route table"/)) as RouteTable;
    doc = (await http(`${stack.contextUrl}/docs-json`)).body;

    // Both agents of queue 1 logged in: the chat goes to one of them, the other is the other tenant.
    const alice = await agentLogin(stack, 'alice');
    const bob = await agentLogin(stack, 'bob');
    const client = await clientOf(stack);
    tokens.client = client.token;
    tokens.administrator = await adminLogin(stack);
    ({ conversationId: conversation } = await startChat(stack, client));
    const { agent_id: owner } = await waitForActivity(stack, conversation, (a) => a.state === 'assigned');
    [tokens.agent, otherAgent] = String(owner) === alice.userId ? [alice.token, bob.token] : [bob.token, alice.token];

    const otherApplication = await addChatApplication(stack, 'matrix-other-client', 'matrix-other-secret');
    otherClient = await login(stack, 'matrix-other-client', 'matrix-other-secret');
    ({ conversationId: otherConversation } = await startChat(stack, { ...client, token: otherClient }));
    await waitForActivity(stack, otherConversation, (a) => a.state === 'assigned');

    // An entry point of the other application only.
    await stack.db.query("INSERT INTO entry_point (id, department_id, queue_id, name, last_modified) VALUES (1003, 1, 1, 'Other tenant chat', NOW(3))");
    await stack.db.query('INSERT INTO client_application_entry_point (client_application_id, entry_point_id) VALUES (?, 1003)', [otherApplication]);

    const first = async (table: string) => String((await stack.db.query(`SELECT MIN(id) AS id FROM ${table}`))[0].id);
    ids = {
      departments: await first('department'),
      queues: await first('chat_queue'),
      entrypoints: await first('entry_point'),
      agents: String(owner),
      clientapplications: await applicationId(stack),
      attributes: await first('attribute_definition'),
      conversation,
      chats: conversation,
    };
    // Nothing is left in flight (the assignments' outbox, their events): the tables stand still.
    await waitFor(async () => {
      const before = await snapshot();
      await new Promise((r) => setTimeout(r, 200));
      return JSON.stringify(await snapshot()) === JSON.stringify(before);
    }, 10000, 0);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** A checksum of every table but the workers' heartbeats, which move on their own. */
  async function snapshot(): Promise<Record<string, string>> {
    const tables: { name: string }[] = await stack.db.query(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name <> 'worker_heartbeat' ORDER BY table_name",
    );
    const rows: { Table: string; Checksum: string }[] = await stack.db.query(`CHECKSUM TABLE ${tables.map((t) => `\`${t.name}\``).join(', ')}`);
    return Object.fromEntries(rows.map((r) => [r.Table.split('.').pop()!, String(r.Checksum)]));
  }

  /** The path with each parameter given a real resource of its kind. */
  function filled(path: string): string {
    return path.replace(/\/([^/]+)\/:(\w+)/g, (_m, segment: string, param: string) => {
      const id = ids[segment];
      if (id === undefined) throw new Error(`${path}: no resource known for :${param} after /${segment}/; add one to ids`);
      return `/${segment}/${encodeURIComponent(id)}`;
    });
  }

  function operation(route: MappedRoute): any {
    return doc.paths[openApiPath(route.path)]?.[route.method.toLowerCase()];
  }

  /** The route's documented JSON example, so that a route a guard failed to protect would really change something. */
  function exampleBody(route: MappedRoute): unknown {
    return operation(route)?.requestBody?.content?.['application/json']?.example;
  }

  function call(method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult> {
    const all: Record<string, string> = { ...headers };
    if (token) all.Authorization = `Bearer ${token}`;
    if (body !== undefined) all['Content-Type'] = 'application/json';
    return http(`${stack.baseUrl}${path}`, { method, headers: all, body: body === undefined ? undefined : JSON.stringify(body) });
  }

  function refusal(res: HttpResult, kind: ErrorKind, challenge: string | undefined, documented: string[] | undefined, where: string): string[] {
    const { status, code } = ERROR_CATALOGUE[kind];
    const problems: string[] = [];
    if (res.status !== status || res.body?.code !== code) problems.push(`${where}: expected ${status} ${code} (${kind}), got ${res.status} ${res.text.slice(0, 200)}`);
    if (challenge !== undefined && res.headers.get('www-authenticate') !== challenge) problems.push(`${where}: WWW-Authenticate ${JSON.stringify(res.headers.get('www-authenticate'))}, expected ${challenge}`);
    if (documented && !documented.includes(code)) problems.push(`${where}: ${code} is not among the codes its OpenAPI operation lists`);
    return problems;
  }

  const guarded = () => table.routes.filter((r) => principalOf(r) !== 'public') as MappedRoute[];

  it('classifies every route and mount of the route table, as the OpenAPI document does', () => {
    expect(table.routes.length).toBeGreaterThan(50);
    expect(table.routes.filter((r) => principalOf(r) === undefined).map(key)).toEqual([]);
    expect(table.mounts.filter((m) => !PUBLIC_MOUNTS.includes(m) && m !== DASHBOARD)).toEqual([]);
    const disagreements: string[] = [];
    for (const route of table.routes) {
      const principal = principalOf(route);
      if (principal === 'public' || principal === undefined) continue;
      const security = operation(route)?.security;
      if (JSON.stringify(security) !== JSON.stringify([{ [SCHEME_OF[principal]]: [] }])) disagreements.push(`${key(route)}: ${principal}, documented ${JSON.stringify(security)}`);
    }
    expect(disagreements).toEqual([]);
    // A route taken off the API leaves its entry here, which would otherwise pass unnoticed.
    expect(Object.keys(PUBLIC).filter((k) => !table.routes.some((r) => key(r) === k))).toEqual([]);
  });

  it('gives each route a real resource of its kind: the right caller is admitted to every reading', async () => {
    const problems: string[] = [];
    for (const route of guarded().filter((r) => r.method === 'GET')) {
      const res = await call('GET', filled(route.path), tokens[principalOf(route) as Principal]);
      // The configuration reading wants ?entrypoint= (400): admitted all the same.
      if (res.status >= 400 && res.status !== 400) problems.push(`${key(route)}: ${res.status} ${res.text.slice(0, 200)}`);
    }
    expect(problems).toEqual([]);
  });

  it('answers every guarded route without credentials with 401-101 and the Bearer challenge, and public routes without asking for a session', async () => {
    const problems: string[] = [];
    for (const route of table.routes) {
      const principal = principalOf(route);
      const before = await snapshot();
      const res = await call(route.method, filled(route.path), undefined, exampleBody(route));
      if (principal === 'public') {
        if (PUBLIC[key(route)] === 'client credentials') problems.push(...refusal(res, 'AuthorizationMissing', BASIC_CHALLENGE, operation(route)?.['x-error-codes'], key(route)));
        else if (res.status === 401 && res.body?.code !== ERROR_CATALOGUE.InvalidUserCredentials.code) problems.push(`${key(route)}: public, answered ${res.status} ${res.text.slice(0, 200)}`);
        continue;
      }
      problems.push(...refusal(res, 'AuthorizationMissing', 'Bearer', operation(route)?.['x-error-codes'], `${key(route)} without credentials`));
      if (JSON.stringify(await snapshot()) !== JSON.stringify(before)) problems.push(`${key(route)} without credentials changed the tables`);
    }
    expect(problems).toEqual([]);
  });

  it('refuses a session of each wrong kind on every guarded route with 401 and the invalid_token challenge, changing nothing', async () => {
    const problems: string[] = [];
    for (const route of guarded()) {
      const principal = principalOf(route) as Principal;
      for (const wrong of PRINCIPALS.filter((p) => p !== principal)) {
        const before = await snapshot();
        const res = await call(route.method, filled(route.path), tokens[wrong], exampleBody(route));
        const where = `${key(route)} with ${wrong === 'agent' ? 'an' : 'a'} ${wrong} session`;
        problems.push(...refusal(res, NOT_A_SESSION_OF[principal], 'Bearer error="invalid_token"', operation(route)?.['x-error-codes'], where));
        if (JSON.stringify(await snapshot()) !== JSON.stringify(before)) problems.push(`${where} changed the tables`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('admits only administrators to the queue dashboard, challenging with its Basic realm', async () => {
    const problems = refusal(await call('GET', DASHBOARD), 'AuthorizationMissing', DASHBOARD_REALM, undefined, 'dashboard without credentials');
    for (const wrong of ['client', 'agent'] as const) {
      problems.push(...refusal(await call('GET', DASHBOARD, tokens[wrong]), 'NotAdministratorSession', DASHBOARD_REALM, undefined, `dashboard with ${wrong === 'agent' ? 'an' : 'a'} ${wrong} session`));
    }
    expect(problems).toEqual([]);
    expect((await call('GET', DASHBOARD, tokens.administrator)).status).toBe(200);
  });

  describe('another tenant\'s resource', () => {
    it('lists every client application and agent route that takes a conversation or an entry point', () => {
      const takesOne = guarded()
        .filter((r) => principalOf(r) !== 'administrator')
        .filter((r) => {
          const body = JSON.stringify(exampleBody(r) ?? {});
          const query = (operation(r)?.parameters ?? []).filter((p: any) => p.in === 'query').map((p: any) => p.name);
          return r.path.includes('/:') || body.includes('"conversation"') || body.includes('"entryPoint"') || query.includes('entrypoint');
        })
        .map(key);
      expect(takesOne.sort()).toEqual([...CROSS_TENANT].sort());
    });

    /** Runs a request that must be refused with `kind` and leave every table as it was. */
    async function refusedUnchanged(request: () => Promise<HttpResult>, kind: ErrorKind, where: string): Promise<void> {
      const before = await snapshot();
      const res = await request();
      expect(refusal(res, kind, undefined, undefined, where)).toEqual([]);
      expect(await snapshot()).toEqual(before);
    }

    const textTo = (id: string, type = 'text/plain') => ({ conversation: { id }, type: { value: type }, content: 'Hello' });

    it('refuses another client application\'s conversation with 404-102, for reading and every kind of send', async () => {
      const read = `${V19}/clientapplications/messaging/conversation/${otherConversation}`;
      const send = `${V19}/clientapplications/messaging/sendmessage`;
      expect((await call('GET', read, otherClient)).status).toBe(200);
      await refusedUnchanged(() => call('GET', read, tokens.client), 'ConversationNotFound', 'reading');
      for (const type of ['text/plain', 'startTyping', 'complete']) {
        await refusedUnchanged(() => call('POST', send, tokens.client, textTo(otherConversation, type)), 'ConversationNotFound', `sendmessage ${type}`);
      }
      // A key the owner used is no way in: it is not replayed to another application.
      const idempotency = { 'Idempotency-Key': 'matrix-client-key' };
      const before = await snapshot();
      expect((await call('POST', send, otherClient, textTo(otherConversation), idempotency)).status).toBe(200);
      // The snapshot sees a write: the comparisons around each refusal are not vacuous.
      expect(await snapshot()).not.toEqual(before);
      await refusedUnchanged(() => call('POST', send, tokens.client, textTo(otherConversation), idempotency), 'ConversationNotFound', 'sendmessage with the owner\'s Idempotency-Key');
    });

    it('refuses an entry point of another client application with 403-102, for its configuration and a start', async () => {
      const configuration = `${V19}/clientapplications/messaging/configuration?entrypoint=1003`;
      const res = await call('GET', configuration, otherClient);
      expect(res.status).toBe(200);
      const lastModified = res.body.entryPointConfiguration[0].lastModified.date as string;
      await refusedUnchanged(() => call('GET', configuration, tokens.client), 'EntryPointNotAllowed', 'configuration');
      const start = { entryPointConfiguration: { entryPoint: { id: '1003' }, lastModified: { date: lastModified } } };
      await refusedUnchanged(() => call('POST', `${V19}/clientapplications/messaging/conversation/start?anonymousCustomer=yes`, tokens.client, start), 'EntryPointNotAllowed', 'start');
    });

    it('refuses another agent\'s chat with 403-104, for reading, sendmessage, complete and transfer', async () => {
      const chat = `${V19}/agent/chats/${conversation}`;
      const send = `${V19}/agent/messaging/sendmessage`;
      expect((await call('GET', chat, tokens.agent)).status).toBe(200);
      await refusedUnchanged(() => call('GET', chat, otherAgent), 'NotYourConversation', 'reading');
      await refusedUnchanged(() => call('POST', `${chat}/complete`, otherAgent), 'NotYourConversation', 'complete');
      await refusedUnchanged(() => call('POST', `${chat}/transfer`, otherAgent, { queue: { id: ids.queues } }), 'NotYourConversation', 'transfer');
      for (const type of ['text/plain', 'startTyping']) {
        await refusedUnchanged(() => call('POST', send, otherAgent, textTo(conversation, type)), 'NotYourConversation', `sendmessage ${type}`);
      }
      const idempotency = { 'Idempotency-Key': 'matrix-agent-key' };
      expect((await call('POST', send, tokens.agent, textTo(conversation), idempotency)).status).toBe(200);
      await refusedUnchanged(() => call('POST', send, otherAgent, textTo(conversation), idempotency), 'NotYourConversation', 'sendmessage with the owner\'s Idempotency-Key');
      const list = await call('GET', `${V19}/agent/chats`, otherAgent);
      expect(list.status).toBe(200);
      expect(list.text).not.toContain(conversation);
    });
  });
});
