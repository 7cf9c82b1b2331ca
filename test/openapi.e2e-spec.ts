import { existsSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { AGENT_MESSAGE_TYPES, CUSTOMER_MESSAGE_TYPES } from '../src/modules/conversation/domain/send-message.command';
import { ERROR_CATALOGUE } from '../src/platform/errors/error-catalogue';
import { parseXml } from '../src/platform/http/xml-codec';
import { LOGGED_QUERY_PARAMETERS } from '../src/platform/logging/logged-url';
import type { RouteTable } from '../src/platform/openapi/mapped-routes';
import { adminApi, adminLogin } from './support/admin';
import { agentLogin } from './support/assignment';
import { exampleSchemaProblems, specificationRuleProblems, specificationSchemaProblems } from './support/openapi-conformance';
import { http, lastModified, login, start, startDocument } from './support/client';
import { Stack, waitFor, waitForOutput } from './support/stack';

/** What answers under these paths is not part of the API: the docs UI and the queue dashboard (see docs/operations.md). */
const NON_API = ['/system/docs', '/system/admin/queues'];
const isNonApi = (path: string) => NON_API.some((p) => path === p || path.startsWith(`${p}/`) || path.startsWith(`${p}-json`));

/** Express `:id` → OpenAPI `{id}`. */
const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

/** The names the api takes and answers XML under (docs/start-conversation.md, Content types). */
const XML_TYPES = ['application/xml', 'text/xml'];

/**
 * The OpenAPI document against the route table of the running api (logged at debug level
 * at start-up by walking its Express router): every route must be described, with its
 * answers and WSError codes, and nothing described may be missing from the server.
 */
describe('OpenAPI description', () => {
  let stack: Stack;
  let table: RouteTable;
  let doc: any;

  beforeAll(async () => {
    // A short request timeout and login allowance, so that live 503 and 429 answers can be compared with the document.
    stack = await Stack.start({ env: { LOG_LEVEL: 'debug', REQUEST_TIMEOUT_MS: '3000', LOGIN_THROTTLE_LIMIT_PER_CLIENT: '2' } });
    const line = await waitForOutput(stack.api, /"msg":"route table"/);
    table = JSON.parse(line) as RouteTable;
    const res = await http(`${stack.contextUrl}/docs-json`);
    expect(res.status).toBe(200);
    doc = res.body;
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('the route table holds every route Nest mapped, so the comparison below is not vacuous', () => {
    const mapped = stack.api.output
      .map((l) => /"msg":"Mapped \{([^,]+), (\w+)\} route"/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => `${m[2]} ${m[1]}`);
    expect(mapped.length).toBeGreaterThan(8);
    const walked = new Set(table.routes.map((r) => `${r.method} ${r.path}`));
    expect(mapped.filter((r) => !walked.has(r))).toEqual([]);
  });

  it('describes every route the api answers', () => {
    const undocumented = table.routes
      .filter((r) => !isNonApi(r.path))
      .filter((r) => !doc.paths[openApiPath(r.path)]?.[r.method.toLowerCase()])
      .map((r) => `${r.method} ${r.path}`);
    expect(undocumented).toEqual([]);
  });

  it('describes no route the api does not answer', () => {
    const routes = new Set(table.routes.map((r) => `${r.method} ${openApiPath(r.path)}`));
    const stale: string[] = [];
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const method of Object.keys(item)) if (!routes.has(`${method.toUpperCase()} ${path}`)) stale.push(`${method} ${path}`);
    }
    expect(stale).toEqual([]);
  });

  it('mounts nothing outside the described routes but the docs UI and the queue dashboard', () => {
    expect(table.mounts).toContain('/system/admin/queues');
    const described = Object.keys(doc.paths);
    const unexplained = table.mounts.filter((m) => m !== '/system' && !described.includes(openApiPath(m)) && !isNonApi(m));
    expect(unexplained).toEqual([]);
  });

  it('is a valid OpenAPI document: every $ref resolves and it matches the specification\'s schema', async () => {
    expect(doc.openapi).toMatch(/^3\.0\.\d$/);
    expect(await specificationSchemaProblems(doc)).toEqual([]);
  });

  it('keeps the rules of the specification its schema cannot state: path templates and parameters agree, operationIds are unique', () => {
    expect(specificationRuleProblems(doc)).toEqual([]);
  });

  it('gives every JSON example a value its schema accepts', async () => {
    expect(await exampleSchemaProblems(doc)).toEqual([]);
  });

  it('gives every operation a summary, a success answer and a WSError answer for each code it lists', () => {
    const problems: string[] = [];
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        if (!op.summary) problems.push(`${where}: no summary`);
        if (!Object.keys(op.responses).some((s) => /^2\d\d$/.test(s))) problems.push(`${where}: no 2xx answer`);
        const codes: string[] = op['x-error-codes'] ?? [];
        // /metrics answers its Prometheus text whatever Accept says: nothing to negotiate, no 406.
        const fixedFormat = Object.keys(op.responses['200']?.content ?? {}).some((type) => type.startsWith('text/') && !XML_TYPES.includes(type));
        for (const required of fixedFormat ? ['500-101'] : ['406-101', '406-102', '500-101']) if (!codes.includes(required)) problems.push(`${where}: does not list ${required}`);
        if (fixedFormat && codes.some((c) => c.startsWith('406'))) problems.push(`${where}: lists a 406 it never answers`);
        // Every route but health and metrics reads MySQL: 503-101 when it does not answer (or at REQUEST_TIMEOUT_MS).
        const operations = /^\/(health|metrics)/.test(path);
        if (!operations && !codes.includes('503-101')) problems.push(`${where}: does not list 503-101`);
        // The router refuses a path parameter that is not percent-encoded UTF-8 with 400-150.
        if (path.includes('{') && !codes.includes('400-150')) problems.push(`${where}: does not list 400-150`);
        for (const code of codes) {
          const response = op.responses[code.slice(0, 3)];
          const examples = Object.values<any>(response?.content?.['application/json']?.examples ?? {}).map((e) => e.value.code);
          if (response?.content?.['application/json']?.schema?.$ref !== '#/components/schemas/WSError') problems.push(`${where}: ${code} is not a WSError`);
          if (!examples.includes(code)) problems.push(`${where}: no example for ${code}`);
          if (!response?.content?.['application/xml']) problems.push(`${where}: no XML form of ${code}`);
        }
        if (op.requestBody) {
          const content = op.requestBody.content;
          if (!content['application/json']?.example && !content['application/x-www-form-urlencoded']) problems.push(`${where}: no JSON request example`);
          if (content['application/xml'] && !String(content['application/xml'].example).startsWith('<?xml')) problems.push(`${where}: no XML request example`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('keeps the readiness report as the 503 of /health/ready', () => {
    const ready = doc.paths['/health/ready'].get;
    expect(ready['x-error-codes']).not.toContain('503-101');
    expect(ready.responses['503'].content['application/json'].example.status).toBe('error');
    const check = ready.responses['503'].content['application/json'].schema.properties.error.additionalProperties;
    expect(check.properties.message.description).toContain('timeout, refused, unreachable, connection lost, access denied, failed');
  });

  it('lists the codes a route really answers when MySQL is away and when a path parameter cannot be decoded', async () => {
    const complete = doc.paths['/system/ws/v19/agent/chats/{conversationId}/complete'].post;
    expect(complete['x-error-codes']).toEqual(expect.arrayContaining(['400-150', '503-101']));
    expect(complete.responses['503'].content['application/json'].examples.ServiceUnavailable.value.code).toBe('503-101');
    const undecodable = await http(`${stack.contextUrl}/ws/v19/agent/chats/%E0%A4%A/complete`, { method: 'POST' });
    expect([undecodable.status, undecodable.body.code]).toEqual([400, '400-150']);
  });

  it('lists on a route that takes no body what a body sent to it anyway is answered', async () => {
    const revoke = doc.paths['/system/ws/v19/clientapplications/authentication/oauth2/revoke'].post;
    expect(revoke.requestBody).toBeUndefined();
    const url = `${stack.clientApiUrl}/authentication/oauth2/revoke`;
    const send = (contentType: string, body: string) => http(url, { method: 'POST', headers: { 'Content-Type': contentType }, body });
    const sent = [
      await send('application/json', '{"a":'),
      await send('multipart/form-data; boundary=b', '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b\r\nContent-Disposition: form-data; name="b"\r\n\r\n2\r\n--b--\r\n'),
      await send('application/xml', '<!DOCTYPE c [<!ENTITY x "y">]><c>&x;</c>'),
      await send('application/json', `{"a":"${'x'.repeat(70000)}"}`),
      await send('text/csv', 'a,b'),
    ];
    expect(sent.map((r) => r.body.code)).toEqual(['400-111', '400-113', '400-114', '413-101', '415-101']);
    for (const res of sent) expect(revoke['x-error-codes']).toContain(res.body.code);
  });

  it('lists on a route that takes neither XML nor multipart what such a body sent to it is answered', async () => {
    const token = doc.paths['/system/ws/v19/clientapplications/authentication/oauth2/token'].post;
    expect(Object.keys(token.requestBody.content)).not.toContain('application/xml');
    const url = `${stack.clientApiUrl}/authentication/oauth2/token`;
    const send = (contentType: string, body: string) => http(url, { method: 'POST', headers: { 'Content-Type': contentType }, body });
    const sent = [
      await send('application/xml', '<!DOCTYPE c [<!ENTITY x "y">]><c>&x;</c>'),
      await send('multipart/form-data; boundary=b', '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b\r\nContent-Disposition: form-data; name="b"\r\n\r\n2\r\n--b--\r\n'),
      await send('application/xml', '<c>grant_type</c>'),
    ];
    expect(sent.map((r) => r.body.code)).toEqual(['400-114', '400-113', '415-101']);
    for (const res of sent) expect(token['x-error-codes']).toContain(res.body.code);
  });

  it('lists on the health and metrics routes what a body sent to them is answered, as on every other route', async () => {
    for (const path of ['/health/live', '/health/ready', '/metrics']) {
      const sent = [await getWithBody(`${stack.baseUrl}${path}`, 'application/json', '{"a":'), await getWithBody(`${stack.baseUrl}${path}`, 'text/csv', 'a,b')];
      expect(sent.map((r) => [r.status, r.code])).toEqual([
        [400, '400-111'],
        [415, '415-101'],
      ]);
      expect(doc.paths[path].get['x-error-codes']).toEqual(expect.arrayContaining(['400-111', '400-113', '400-114', '408-101', '413-101', '415-101', '501-101']));
    }
  });

  it('names every query parameter it describes among those whose values the request lines log', () => {
    const described = Object.values(doc.paths as Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>)
      .flatMap((operations) => Object.values(operations))
      .flatMap((operation) => operation.parameters ?? [])
      .filter((p) => p.in === 'query')
      .map((p) => p.name);
    expect(described.length).toBeGreaterThan(5);
    expect([...new Set(described)].filter((name) => !LOGGED_QUERY_PARAMETERS.has(name))).toEqual([]);
  });

  it('defines WSError with every code of the catalogue', () => {
    const schema = doc.components.schemas.WSError;
    expect(schema.required).toEqual(['code', 'developerMessage', 'userMessage']);
    expect(schema.properties.code.enum).toEqual(expect.arrayContaining(Object.values(ERROR_CATALOGUE).map((e) => e.code)));
  });

  it('lists every XML media type the api takes and answers on each operation that speaks XML, with the schema of its JSON form', () => {
    const problems: string[] = [];
    let xmlOperations = 0;
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        const contents: [string, Record<string, any>][] = [
          ...(op.requestBody ? [['request', op.requestBody.content] as [string, Record<string, any>]] : []),
          ...Object.entries<any>(op.responses).filter(([, r]) => r.content).map(([status, r]) => [status, r.content] as [string, Record<string, any>]),
        ];
        for (const [part, content] of contents) {
          if (!XML_TYPES.some((type) => content[type])) continue;
          xmlOperations++;
          for (const type of XML_TYPES) {
            if (!content[type]) problems.push(`${where} ${part}: no ${type}`);
            else if (content['application/json'] && JSON.stringify(content[type].schema) !== JSON.stringify(content['application/json'].schema)) problems.push(`${where} ${part}: ${type} has another schema`);
            else if (content[type].example !== undefined && !String(content[type].example).startsWith('<?xml')) problems.push(`${where} ${part}: ${type} has no XML example`);
          }
        }
      }
    }
    expect(xmlOperations).toBeGreaterThan(50);
    expect(problems).toEqual([]);
  });

  it('documents the start with its request in XML, its answer and its 409', () => {
    const start = doc.paths['/system/ws/v19/clientapplications/messaging/conversation/start'].post;
    const xml = parseXml(start.requestBody.content['application/xml'].example);
    expect(xml.root).toBe('conversation');
    expect((xml.content as any).entryPointConfiguration.entryPoint.id).toBe('1001');
    expect(Object.keys(start.requestBody.content)).toEqual(['application/json', 'application/xml', 'text/xml', 'multipart/form-data']);
    expect(start.requestBody.content['text/xml']).toEqual(start.requestBody.content['application/xml']);
    expect(start.responses['200'].content['text/xml'].schema).toEqual(start.responses['200'].content['application/json'].schema);
    expect(start.responses['200'].content['application/json'].example.conversation.state).toBe('waiting');
    expect(start.responses['409'].content['application/json'].examples.EntryPointConfigurationChanged.value.code).toBe('409-101');
    expect(start.security).toEqual([{ clientApplicationSession: [] }]);
    // The start takes an Idempotency-Key, as the customer's sendmessage does.
    expect(start['x-error-codes']).toEqual(expect.arrayContaining(['400-160', '409-110', '422-101']));
  });

  it('documents the start with every code its rules answer, and the Idempotency-Key it accepts with its three codes', () => {
    const start = doc.paths['/system/ws/v19/clientapplications/messaging/conversation/start'].post;
    expect(start['x-error-codes']).toEqual(expect.arrayContaining(['400-138', '400-160', '409-110', '422-101', '503-101']));
    expect(start.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false })]));
    // The header's schema is the one the interceptor checks (visible ASCII, 1 to 255 characters), so a client can check a key before sending it.
    const header = start.parameters.find((p: { name: string }) => p.name === 'Idempotency-Key');
    expect(header.schema).toMatchObject({ type: 'string', minLength: 1, maxLength: 255 });
    const key = new RegExp(header.schema.pattern);
    expect(['a', '!~', 'x'.repeat(255)].every((k) => key.test(k))).toBe(true);
    expect(['', 'a b', 'é', 'x'.repeat(256)].some((k) => key.test(k))).toBe(false);
    const send = doc.paths['/system/ws/v19/clientapplications/messaging/sendmessage'].post;
    expect(send.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header' })]));
    const agentSend = doc.paths['/system/ws/v19/agent/messaging/sendmessage'].post;
    expect(agentSend.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header' })]));
    expect(agentSend['x-error-codes']).toEqual(expect.arrayContaining(['400-160', '409-110', '422-101']));
  });

  it('documents messaging and callback routes with their own security, XML bodies and error codes', () => {
    const base = '/system/ws/v19';
    const send = doc.paths[`${base}/clientapplications/messaging/sendmessage`].post;
    expect(send.security).toEqual([{ clientApplicationSession: [] }]);
    expect(parseXml(send.requestBody.content['application/xml'].example).root).toBe('message');
    expect(send['x-error-codes']).toEqual(expect.arrayContaining(['404-102', '409-102', '400-160', '409-110', '422-101']));
    const agentSend = doc.paths[`${base}/agent/messaging/sendmessage`].post;
    expect(agentSend.security).toEqual([{ agentSession: [] }]);
    expect(agentSend['x-error-codes']).toEqual(expect.arrayContaining(['403-104', '404-102', '409-102']));
    expect(doc.paths[`${base}/clientapplications/messaging/conversation/{id}`].get['x-error-codes']).toContain('404-102');
    const put = doc.paths[`${base}/administration/clientapplications/{id}/callback`].put;
    expect(put.security).toEqual([{ administratorSession: [] }]);
    expect(parseXml(put.requestBody.content['application/xml'].example).root).toBe('callback');
    expect(put['x-error-codes']).toContain('404-103');
    const rotate = doc.paths[`${base}/administration/clientapplications/{id}/callback/signing-secret`].post;
    expect(rotate.responses['200'].content['application/json'].example.signingSecret.value).toMatch(/^whsec_/);
    expect(doc.paths[`${base}/clientapplications/callback/reactivate`].post.security).toEqual([{ clientApplicationSession: [] }]);
  });

  it('documents the agent\'s transfer targets with the agent session, its XML form, and an answer that matches its schema', async () => {
    const list = doc.paths['/system/ws/v19/agent/transfertargets'].get;
    expect(list.security).toEqual([{ agentSession: [] }]);
    expect(list['x-error-codes']).toEqual(expect.arrayContaining(['401-101', '401-106']));
    expect(parseXml(list.responses['200'].content['application/xml'].example).root).toBe('transferTargets');
    const schema = list.responses['200'].content['application/json'].schema;
    const agent = await agentLogin(stack, 'bob');
    const live = await http(`${stack.contextUrl}/ws/v19/agent/transfertargets`, { headers: { Authorization: `Bearer ${agent.token}` } });
    expect(live.status).toBe(200);
    expect(live.body.transferTargets.queues.queue.length).toBeGreaterThan(0);
    expect(live.body.transferTargets.agents.agent.length).toBeGreaterThan(0);
    expect(exampleProblems(doc, schema, live.body, 'answer')).toEqual([]);
  });

  it('describes every number an answer carries as an integer, as each is a count, a limit, seconds or epoch milliseconds', () => {
    // "number" lets a generated client read a limit or a time stamp into a float (Double, decimal); no answer has a fraction.
    const schemas = doc.components.schemas;
    const seen = new Set<string>();
    const problems: string[] = [];
    const walk = (schema: any, where: string): void => {
      if (!schema || typeof schema !== 'object') return;
      if (schema.$ref) {
        const name = schema.$ref.split('/').pop();
        if (!seen.has(name)) {
          seen.add(name);
          walk(schemas[name], name);
        }
        return;
      }
      if (schema.type === 'number') problems.push(where);
      for (const [member, property] of Object.entries<any>(schema.properties ?? {})) walk(property, `${where}.${member}`);
      for (const part of [...(schema.allOf ?? []), ...(schema.oneOf ?? []), ...(schema.anyOf ?? [])]) walk(part, where);
      walk(schema.items, `${where}[]`);
      if (typeof schema.additionalProperties === 'object') walk(schema.additionalProperties, `${where}{}`);
    };
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        for (const [status, answer] of Object.entries<any>(op.responses)) {
          if (/^2/.test(status)) walk(answer.content?.['application/json']?.schema, `${method} ${path} ${status}`);
        }
      }
    }
    expect(seen.has('AgentStatusView')).toBe(true);
    expect(problems).toEqual([]);
  });

  it('describes no text, number or boolean member as an object (members typed as unions get their real types)', () => {
    const problems: string[] = [];
    for (const [name, schema] of Object.entries<any>(doc.components.schemas)) {
      for (const [member, property] of Object.entries<any>(schema.properties ?? {})) {
        if (property.type === 'object' && !property.properties && !property.additionalProperties) problems.push(`${name}.${member}`);
      }
    }
    expect(problems).toEqual([]);
    const content = doc.components.schemas.SendMessageRequest.properties.content;
    expect(content.oneOf.map((t: { type: string }) => t.type)).toEqual(['string', 'number', 'boolean']);
    expect(doc.components.schemas.ChangeCallbackSettingsRequest.properties.url).toMatchObject({ type: 'string', nullable: true });
  });

  it('gives every JSON example, of a request or an answer, the members its schema requires and no member it does not describe', () => {
    const problems: string[] = [];
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        const request = op.requestBody?.content?.['application/json'];
        if (request?.example !== undefined) problems.push(...exampleProblems(doc, request.schema, request.example, `${method} ${path} request`));
        for (const [status, answer] of Object.entries<any>(op.responses)) {
          const json = answer.content?.['application/json'];
          if (json?.example !== undefined) problems.push(...exampleProblems(doc, json.schema, json.example, `${method} ${path} ${status}`));
        }
      }
    }
    expect(problems).toEqual([]);
    // The start's entry point is the request's own: an id (text or number) and lastModified, not the configuration's answer.
    const start = doc.components.schemas.StartConversationRequest.properties.entryPointConfiguration;
    const configuration = doc.components.schemas[start.$ref.split('/').pop()];
    expect(configuration.required).toEqual(['entryPoint', 'lastModified']);
    expect(doc.components.schemas[configuration.properties.entryPoint.$ref.split('/').pop()].properties.id.oneOf).toHaveLength(2);
    // The conversation an answer names is a UUID, and so is the one sendmessage takes (anything else is 400-112).
    for (const ref of [doc.components.schemas.SentMessage.properties.conversation, doc.components.schemas.SendMessageRequest.properties.conversation]) {
      expect(doc.components.schemas[ref.$ref.split('/').pop()].properties.id.format).toBe('uuid');
    }
  });

  it('declares Retry-After on every answer that carries it, and Idempotent-Replayed on the success of every route taking Idempotency-Key', () => {
    const problems: string[] = [];
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        const codes: string[] = op['x-error-codes'] ?? [];
        for (const [status, answer] of Object.entries<any>(op.responses)) {
          const retryAfter = answer.headers?.['Retry-After'];
          const carrying = codes.filter((c) => c.startsWith(status) && ['409-110', '429-101', '503-101'].includes(c));
          const all = codes.filter((c) => c.startsWith(status));
          if (carrying.length > 0 && retryAfter?.required !== (carrying.length === all.length)) problems.push(`${method} ${path} ${status}: Retry-After ${JSON.stringify(retryAfter)}`);
          if (carrying.length === 0 && retryAfter) problems.push(`${method} ${path} ${status}: Retry-After declared, never sent`);
          const replayed = answer.headers?.['Idempotent-Replayed'];
          const idempotent = (op.parameters ?? []).some((p: { name: string }) => p.name === 'Idempotency-Key');
          if (/^2/.test(status) && idempotent !== (replayed?.required === false)) problems.push(`${method} ${path} ${status}: Idempotent-Replayed ${JSON.stringify(replayed)}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('lists 304 and If-None-Match on every reading that answers an ETag, and on no other operation', () => {
    const readings: string[] = [];
    const problems: string[] = [];
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        // Express answers 304 to a GET whose answer carries an ETag that If-None-Match names, and to nothing else.
        const reading = method === 'get' && op.responses['200']?.headers?.ETag !== undefined;
        if (reading) readings.push(where);
        const notModified = op.responses['304'];
        const ifNoneMatch = (op.parameters ?? []).some((p: { in: string; name: string }) => p.in === 'header' && p.name === 'If-None-Match');
        if (reading !== (notModified !== undefined)) problems.push(`${where}: 304 ${reading ? 'missing' : 'listed, never answered'}`);
        if (reading !== ifNoneMatch) problems.push(`${where}: If-None-Match ${reading ? 'missing' : 'listed, never read'}`);
        if (notModified && (notModified.content !== undefined || notModified.headers?.ETag === undefined)) problems.push(`${where}: 304 with a body or without its ETag`);
      }
    }
    const base = '/system/ws/v19/administration';
    expect(readings).toEqual(expect.arrayContaining([`GET ${base}/settings`, `GET ${base}/departments/{id}`, `GET ${base}/clientapplications/{id}`]));
    expect(problems).toEqual([]);
  });

  it('answers 304 where the document lists it: a reading whose If-None-Match names the version read', async () => {
    const admin = adminApi(stack, await adminLogin(stack));
    const created = await admin('POST', 'departments', { body: { name: 'OpenAPI 304' } });
    expect(created.status).toBe(201);
    for (const [path, documented] of [['settings', 'settings'], [`departments/${created.body.department.id}`, 'departments/{id}']]) {
      const read = await admin('GET', path);
      // fetch adds `Cache-Control: no-cache` to a conditional request unless told otherwise, which asks for a full answer.
      const again = await admin('GET', path, { headers: { 'If-None-Match': read.headers.get('etag') ?? '', 'Cache-Control': 'max-age=0' } });
      expect([path, again.status, again.text, again.headers.get('etag')]).toEqual([path, 304, '', read.headers.get('etag')]);
      expect(doc.paths[`/system/ws/v19/administration/${documented}`].get.responses['304']).toBeDefined();
    }
  });

  it('states every bound the validator checks on a request member: lengths, list sizes, enumerations, ranges, whole numbers', () => {
    // Every request class, read from the sources, with the checks class-validator holds for it.
    const interfaces = join(__dirname, '..', 'src', 'modules');
    for (const module of readdirSync(interfaces)) {
      const dir = join(interfaces, module, 'interface');
      if (existsSync(dir)) for (const file of readdirSync(dir).filter((f) => f.endsWith('.request.ts'))) require(join(dir, file));
    }
    const problems: string[] = [];
    let checked = 0;
    for (const [target, checks] of (getMetadataStorage() as any).validationMetadatas as Map<Function, any[]>) {
      const schema = doc.components.schemas[target.name];
      if (!schema?.properties) continue;
      for (const check of checks) {
        const property = schema.properties[check.propertyName];
        const value = check.each ? property?.items : property;
        const typed = (type: string) => (value?.type === type ? value : value?.oneOf?.find((s: any) => s.type === type));
        const [a, b] = check.constraints ?? [];
        type Bound = [any, string, unknown];
        const expected: Bound[] = ({
          maxLength: [[typed('string'), 'maxLength', a]],
          isLength: [[typed('string'), 'maxLength', b]],
          characterLength: [[typed('string'), 'maxLength', b], ...(a > 0 ? [[typed('string'), 'minLength', a] as Bound] : [])],
          isWireText: Number.isFinite(a) ? [[typed('string'), 'maxLength', a]] : [],
          arrayMaxSize: [[property, 'maxItems', a]],
          arrayMinSize: [[property, 'minItems', a]],
          isIn: [[value, 'enum', a]],
          min: [[typed('integer') ?? typed('number'), 'minimum', a]],
          max: [[typed('integer') ?? typed('number'), 'maximum', a]],
          // "number" would let a generated client send 2.5, which @IsInt refuses with 400-112.
          isInt: [[value, 'type', 'integer']],
        } as Record<string, Bound[]>)[check.name as string] ?? [];
        for (const [where, key, bound] of expected) {
          checked++;
          if (JSON.stringify(where?.[key]) !== JSON.stringify(bound)) problems.push(`${target.name}.${check.propertyName}: ${check.name} ${JSON.stringify(check.constraints)}, ${key} ${JSON.stringify(where?.[key])}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(40);
    expect(problems).toEqual([]);
    // Rules of the commands, with codes of their own, are stated too.
    const { Activity, SendMessageRequest } = doc.components.schemas;
    expect(Activity.properties.subject).toMatchObject({ minLength: 1, maxLength: 255 });
    expect(SendMessageRequest.properties.content.oneOf[0]).toMatchObject({ type: 'string', minLength: 1, maxLength: 10000 });
    // Each side's sendmessage offers the types its command takes, no other: one document for both offered an agent `complete`,
    // and a customer `text/html`, which a generated client would send and have refused 400-112.
    const typesOf = (path: string) => {
      const body = doc.components.schemas[doc.paths[path].post.requestBody.content['application/json'].schema.$ref.split('/').pop()];
      return doc.components.schemas[body.properties.type.$ref.split('/').pop()].properties.value.enum;
    };
    expect(typesOf('/system/ws/v19/clientapplications/messaging/sendmessage')).toEqual([...CUSTOMER_MESSAGE_TYPES]);
    expect(typesOf('/system/ws/v19/agent/messaging/sendmessage')).toEqual([...AGENT_MESSAGE_TYPES]);
  });

  it("answers Retry-After and Idempotent-Replayed where the document declares them, with values of the declared schema", async () => {
    const base = '/system/ws/v19';
    const declared = (path: string, method: string, status: number, header: string) => doc.paths[path][method].responses[String(status)].headers?.[header];
    const token = await login(stack);
    const lm = await lastModified(stack, token);
    const headers = { 'Idempotency-Key': 'headers-probe' };
    const startPath = `${base}/clientapplications/messaging/conversation/start`;
    // The start waits on the outbox lock: a retry with its key meanwhile is 409-110, and the start itself 503-101 at REQUEST_TIMEOUT_MS.
    const runner = stack.db.createQueryRunner();
    await runner.connect();
    await runner.query('LOCK TABLES outbox WRITE');
    let first: Awaited<ReturnType<typeof start>>;
    let retry: Awaited<ReturnType<typeof start>>;
    try {
      const running = start(stack, startDocument(lm), { token, query: 'anonymousCustomer=yes', headers });
      await waitFor(async () => (await stack.db.query("SELECT 1 FROM idempotency_record WHERE idempotency_key = 'headers-probe'")).length === 1);
      retry = await start(stack, startDocument(lm), { token, query: 'anonymousCustomer=yes', headers });
      first = await running;
    } finally {
      await runner.query('UNLOCK TABLES');
      await runner.release();
    }
    expect([retry.status, retry.body.code, first.status, first.body.code]).toEqual([409, '409-110', 503, '503-101']);
    let replay = retry;
    await waitFor(async () => (replay = await start(stack, startDocument(lm), { token, query: 'anonymousCustomer=yes', headers })).status === 200);
    const fresh = await start(stack, startDocument(lm), { token, query: 'anonymousCustomer=yes', headers: { 'Idempotency-Key': 'headers-probe-2' } });
    // Unknown client keys, agents and administrators: the third attempt of each name is over the allowance.
    const refusedLogin = async (url: string, init: RequestInit) => {
      for (let i = 0; i < 2; i++) await http(url, init);
      return http(url, init);
    };
    const basic = `Basic ${Buffer.from('no-such-client:x').toString('base64')}`;
    const userLogin = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'no-such-user', password: 'x' }) };
    const throttled = {
      [`${base}/clientapplications/authentication/oauth2/token`]: await refusedLogin(`${stack.clientApiUrl}/authentication/oauth2/token`, {
        method: 'POST',
        headers: { Authorization: basic, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      }),
      [`${base}/agent/authentication/login`]: await refusedLogin(`${stack.baseUrl}${base}/agent/authentication/login`, userLogin),
      [`${base}/administration/authentication/login`]: await refusedLogin(`${stack.baseUrl}${base}/administration/authentication/login`, userLogin),
    };

    const seconds = (value: string | null) => (value !== null && /^\d+$/.test(value) ? Number(value) : undefined);
    for (const [res, status] of [[retry, 409], [first, 503]] as const) {
      expect(declared(startPath, 'post', status, 'Retry-After')).toMatchObject({ schema: { type: 'integer', minimum: 1 } });
      expect(seconds(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    for (const [path, res] of Object.entries(throttled)) {
      expect([path, res.status, res.body.code]).toEqual([path, 429, '429-101']);
      expect(declared(path, 'post', 429, 'Retry-After')).toMatchObject({ required: true, schema: { type: 'integer', minimum: 1 } });
      expect(seconds(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    // sendmessage's throttle, answered by test/sendmessage.throttle.e2e-spec.ts.
    for (const path of [`${base}/clientapplications/messaging/sendmessage`, `${base}/agent/messaging/sendmessage`]) {
      expect(declared(path, 'post', 429, 'Retry-After')).toMatchObject({ required: true, schema: { type: 'integer', minimum: 1 } });
    }
    const replayed = declared(startPath, 'post', 200, 'Idempotent-Replayed');
    expect([replay.status, replay.headers.get('idempotent-replayed'), fresh.status, fresh.headers.get('idempotent-replayed')]).toEqual([200, 'true', 200, null]);
    expect(replayed).toMatchObject({ required: false, schema: { enum: ['true'] } });
    // No other answer of these routes carries either header.
    expect(declared(startPath, 'post', 400, 'Retry-After')).toBeUndefined();
  });

  it('declares WWW-Authenticate on the 401s that carry it, as the live answers do, and calls the session tokens opaque', async () => {
    const base = '/system/ws/v19';
    const declared = (path: string, method = 'post') => doc.paths[path][method].responses['401'].headers?.['WWW-Authenticate'];
    const post = (path: string, init: RequestInit = {}) => http(`${stack.baseUrl}${path}`, { method: 'POST', ...init });
    const token = `${base}/clientapplications/authentication/oauth2/token`;
    const start = `${base}/clientapplications/messaging/conversation/start`;
    const login = `${base}/agent/authentication/login`;
    const answers = [
      [token, await post(token, { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' })],
      [start, await post(start, { headers: { Authorization: 'Bearer no-such-token' } })],
      [login, await post(login, { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'nobody', password: 'x' }) })],
    ] as const;
    expect(answers.map(([, res]) => [res.status, res.headers.get('www-authenticate')])).toEqual([
      [401, 'Basic realm="clientapplications", charset="UTF-8"'],
      [401, 'Bearer error="invalid_token"'],
      [401, null],
    ]);
    expect(declared(token)).toMatchObject({ required: true, schema: { type: 'string' } });
    expect(declared(token).description).toContain('Basic realm="clientapplications"');
    expect(declared(start)).toMatchObject({ required: true });
    expect(declared(start).description).toContain('401-103: Bearer error="invalid_token"');
    // A login's 401 is its wrong password, sent in the body: no challenge.
    expect(declared(login)).toBeUndefined();
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        if (op.responses['401'] && (op.security ?? []).length > 0 && !/login$/.test(path)) expect([method, path, declared(path, method)?.required]).toEqual([method, path, true]);
      }
    }
    for (const scheme of Object.values<any>(doc.components.securitySchemes)) expect(scheme.bearerFormat).not.toBe('JWT');
  });

  it('serves a browsable page', async () => {
    const res = await fetch(`${stack.contextUrl}/docs`, { headers: { Accept: 'text/html', 'Accept-Language': 'ja' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('swagger-ui');
  });
});

/** Members of an example missing from, or not described by, its schema (JSON Schema as the document writes it: $ref, allOf, objects and arrays). */
function exampleProblems(doc: any, schema: any, value: unknown, at: string): string[] {
  let s = schema;
  while (s?.$ref || s?.allOf?.length === 1) s = s.$ref ? doc.components.schemas[s.$ref.split('/').pop()] : s.allOf[0];
  if (!s || value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return s.items ? value.flatMap((v, i) => exampleProblems(doc, s.items, v, `${at}[${i}]`)) : [];
  if (!s.properties) return [];
  const members = value as Record<string, unknown>;
  return [
    ...(s.required ?? []).filter((m: string) => !(m in members)).map((m: string) => `${at}: ${m} missing`),
    ...Object.keys(members).filter((m) => !(m in s.properties)).map((m) => `${at}: ${m} not described`),
    ...Object.entries(members).filter(([m]) => m in s.properties).flatMap(([m, v]) => exampleProblems(doc, s.properties[m], v, `${at}.${m}`)),
  ];
}

/** A GET with a body (which fetch does not send): the probes and scrapers of some setups do. */
function getWithBody(url: string, contentType: string, body: string): Promise<{ status: number; code: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers: { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, code: JSON.parse(text).code }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
