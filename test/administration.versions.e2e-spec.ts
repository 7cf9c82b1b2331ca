import { SecretBox } from '../src/platform/security/secret-box';
import { adminApi, adminLogin, type AdminApi } from './support/admin';
import { http } from './support/client';
import { Stack } from './support/stack';

/**
 * Administered resources answer their version as a strong `ETag`; a change sent with
 * `If-Match` is made only while the resource is still at that version, so that two
 * administrators editing the same resource cannot silently write over each other.
 */
describe('administration: versions (ETag, If-Match)', () => {
  let stack: Stack;
  let admin: AdminApi;

  beforeAll(async () => {
    // Changes through the administration API checked in the tables, no start made: no worker.
    stack = await Stack.start({ workers: 0 });
    admin = adminApi(stack, await adminLogin(stack));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const etagOf = async (path: string): Promise<string> => {
    const res = await admin('GET', path);
    expect(res.status).toBe(200);
    const tag = res.headers.get('etag');
    expect(tag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    return tag as string;
  };
  const patch = (path: string, body: Record<string, unknown>, ifMatch?: string) => admin('PATCH', path, { body, ...(ifMatch !== undefined ? { headers: { 'If-Match': ifMatch } } : {}) });

  async function newDepartment(name: string): Promise<string> {
    const res = await admin('POST', 'departments', { body: { name } });
    expect(res.status).toBe(201);
    return res.body.department.id as string;
  }

  it('answers the version a reading, a creation and a change give, and changes it with the resource', async () => {
    const created = await admin('POST', 'departments', { body: { name: 'Versions A' } });
    const id = created.body.department.id as string;
    const first = await etagOf(`departments/${id}`);
    expect(created.headers.get('etag')).toBe(first);
    const changed = await patch(`departments/${id}`, { name: 'Versions A2' }, first);
    expect(changed.status).toBe(200);
    const second = changed.headers.get('etag');
    expect(second).not.toBe(first);
    expect(await etagOf(`departments/${id}`)).toBe(second);
  });

  it('refuses a change on a version that is no longer the resource\'s with 412-101, and changes nothing', async () => {
    const id = await newDepartment('Versions B');
    const read = await etagOf(`departments/${id}`);
    expect((await patch(`departments/${id}`, { name: 'Versions B by one' }, read)).status).toBe(200);
    const late = await patch(`departments/${id}`, { name: 'Versions B by another' }, read);
    expect([late.status, late.body.code, late.body.details]).toEqual([412, '412-101', 'If-Match']);
    expect(late.headers.get('etag')).toBeNull();
    expect(await stack.db.query('SELECT name FROM department WHERE id = ?', [id])).toEqual([{ name: 'Versions B by one' }]);
  });

  it('lets exactly one of two concurrent changes made on the same version through', async () => {
    const created = await admin('POST', 'queues', { body: { departmentId: '1', name: 'Versions queue' } });
    const id = created.body.queue.id as string;
    const read = await etagOf(`queues/${id}`);
    const answers = await Promise.all([
      patch(`queues/${id}`, { name: 'Versions queue one' }, read),
      patch(`queues/${id}`, { name: 'Versions queue two' }, read),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 412]);
    const winner = answers.find((a) => a.status === 200)!;
    expect(await stack.db.query('SELECT name FROM chat_queue WHERE id = ?', [id])).toEqual([{ name: winner.body.queue.name }]);
  });

  it('takes *, a list of tags one of which is current, and no header; refuses weak and malformed tags', async () => {
    const id = await newDepartment('Versions C');
    const current = await etagOf(`departments/${id}`);
    expect((await patch(`departments/${id}`, { name: 'Versions C1' }, '*')).status).toBe(200);
    const now = await etagOf(`departments/${id}`);
    expect((await patch(`departments/${id}`, { name: 'Versions C2' }, `${current}, ${now}`)).status).toBe(200);
    const latest = await etagOf(`departments/${id}`);
    expect((await patch(`departments/${id}`, { name: 'Versions C3' }, `W/${latest}`)).status).toBe(412);
    expect((await patch(`departments/${id}`, { name: 'Versions C3' }, latest.slice(1, -1))).status).toBe(412);
    expect((await patch(`departments/${id}`, { name: 'Versions C3' }, '')).status).toBe(412);
    expect(await stack.db.query('SELECT name FROM department WHERE id = ?', [id])).toEqual([{ name: 'Versions C2' }]);
    expect((await patch(`departments/${id}`, { name: 'Versions C4' })).status).toBe(200);
    expect((await patch('departments/999999', { name: 'nobody' }, '*')).status).toBe(404);
  });

  it('keeps an agent\'s version while its open chats move, and changes it with what an administrator sets', async () => {
    const [{ id }] = await stack.db.query("SELECT a.id FROM agent a JOIN user_account u ON u.id = a.id ORDER BY a.id LIMIT 1");
    const read = await etagOf(`agents/${id}`);
    await stack.db.query('UPDATE agent SET active_chats = active_chats + 1 WHERE id = ?', [id]);
    expect((await admin('GET', `agents/${id}`)).body.agent.activeChats).toBeGreaterThan(0);
    expect(await etagOf(`agents/${id}`)).toBe(read);
    const changed = await patch(`agents/${id}`, { displayName: 'Versioned Agent' }, read);
    expect(changed.status).toBe(200);
    expect((await patch(`agents/${id}`, { displayName: 'Late Agent' }, read)).status).toBe(412);
    await stack.db.query('UPDATE agent SET active_chats = active_chats - 1 WHERE id = ?', [id]);
  });

  it('checks the version of an entry point even when the change would change nothing', async () => {
    const [{ id }] = await stack.db.query('SELECT id, name FROM entry_point ORDER BY id LIMIT 1');
    const read = await etagOf(`entrypoints/${id}`);
    const [{ name }] = await stack.db.query('SELECT name FROM entry_point WHERE id = ?', [id]);
    expect((await patch(`entrypoints/${id}`, { name: `${name} (v)` }, read)).status).toBe(200);
    const noChange = await patch(`entrypoints/${id}`, { name: `${name} (v)` }, read);
    expect([noChange.status, noChange.body.code]).toEqual([412, '412-101']);
    expect((await patch(`entrypoints/${id}`, { name }, await etagOf(`entrypoints/${id}`))).status).toBe(200);
  });

  it('leaves the secrets a creation or change answers once out of a client application\'s version', async () => {
    const created = await admin('POST', 'clientapplications', { body: { name: 'Versions app', type: 'chat', clientId: 'versions-app', entryPointIds: [] } });
    expect(created.body.clientApplication.clientSecret).toBeDefined();
    const id = created.body.clientApplication.id as string;
    expect(created.headers.get('etag')).toBe(await etagOf(`clientapplications/${id}`));
    const withUrl = await patch(`clientapplications/${id}`, { callbackUrl: 'https://app.example/versions' }, created.headers.get('etag')!);
    expect([withUrl.status, typeof withUrl.body.clientApplication.callbackSigningSecret]).toEqual([200, 'string']);
    expect(withUrl.headers.get('etag')).toBe(await etagOf(`clientapplications/${id}`));
    const late = await patch(`clientapplications/${id}`, { name: 'Versions app 2' }, created.headers.get('etag')!);
    expect(late.status).toBe(412);
  });

  it('refuses the second of two rotations of a client secret made on the same version, the secret the first answered still valid', async () => {
    const created = await admin('POST', 'clientapplications', { body: { name: 'Rotated app', type: 'chat', clientId: 'rotated-app', entryPointIds: ['1001'] } });
    const id = created.body.clientApplication.id as string;
    const read = await etagOf(`clientapplications/${id}`);
    const first = await admin('POST', `clientapplications/${id}/secret`, { headers: { 'If-Match': read } });
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).not.toBe(read);
    expect(first.body.clientApplication.secretChangedDate.date > created.body.clientApplication.secretChangedDate.date).toBe(true);
    const second = await admin('POST', `clientapplications/${id}/secret`, { headers: { 'If-Match': read } });
    expect([second.status, second.body.code, second.body.clientApplication]).toEqual([412, '412-101', undefined]);
    const token = await http(`${stack.clientApiUrl}/authentication/oauth2/token`, {
      method: 'POST',
      headers: { Authorization: `Basic ${Buffer.from(`rotated-app:${first.body.clientApplication.clientSecret}`).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    expect(token.status).toBe(200);
    expect((await admin('POST', `clientapplications/${id}/secret`, { headers: { 'If-Match': first.headers.get('etag')! } })).status).toBe(200);
  });

  it('versions the system settings as the other resources: the second of two changes on the same version is 412-101 and changes nothing', async () => {
    const read = await etagOf('settings');
    const first = await patch('settings', { customerDepartmentalization: true }, read);
    expect([first.status, first.body.settings.customerDepartmentalization]).toEqual([200, true]);
    expect(first.headers.get('etag')).not.toBe(read);
    expect(await etagOf('settings')).toBe(first.headers.get('etag'));
    const late = await patch('settings', { customerDepartmentalization: false }, read);
    expect([late.status, late.body.code, late.body.details]).toEqual([412, '412-101', 'If-Match']);
    expect(late.headers.get('etag')).toBeNull();
    expect(await stack.db.query("SELECT value FROM system_setting WHERE name = 'customer_departmentalization'")).toEqual([{ value: 'true' }]);
    const now = await etagOf('settings');
    const answers = await Promise.all([patch('settings', { customerDepartmentalization: false }, now), patch('settings', { customerDepartmentalization: false }, now)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 412]);
    expect((await patch('settings', { customerDepartmentalization: false })).status).toBe(200);
  });

  it('refuses the second of two rotations of a callback signing secret made on the same version, the secret the first answered still the one that signs', async () => {
    const created = await admin('POST', 'clientapplications', { body: { name: 'Signing app', type: 'chat', clientId: 'signing-app', entryPointIds: ['1001'], callbackUrl: 'https://app.example/signing' } });
    const id = created.body.clientApplication.id as string;
    const createdDate = created.body.clientApplication.callbackSigningSecretChangedDate.date as string;
    const read = await etagOf(`clientapplications/${id}`);
    const rotate = (ifMatch: string) => admin('POST', `clientapplications/${id}/callback/signing-secret?keepPreviousSeconds=0`, { headers: { 'If-Match': ifMatch } });
    const first = await rotate(read);
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).not.toBe(read);
    expect(first.headers.get('etag')).toBe(await etagOf(`clientapplications/${id}`));
    expect((await admin('GET', `clientapplications/${id}`)).body.clientApplication.callbackSigningSecretChangedDate.date > createdDate).toBe(true);
    const second = await rotate(read);
    expect([second.status, second.body.code, second.body.signingSecret]).toEqual([412, '412-101', undefined]);
    const [{ callback_signing_secret: stored }] = await stack.db.query('SELECT callback_signing_secret FROM client_application WHERE id = ?', [id]);
    expect(SecretBox.fromBase64Key(undefined).open(stored, `client_application/${id}/callback-signing-secret`)).toBe(first.body.signingSecret.value);
    expect((await rotate(first.headers.get('etag')!)).status).toBe(200);
  });

  it('refuses the second of two callback changes made on the same version (a Basic password each), the first one\'s password kept', async () => {
    const created = await admin('POST', 'clientapplications', { body: { name: 'Callback app', type: 'chat', clientId: 'callback-app', entryPointIds: ['1001'], callbackUrl: 'https://app.example/callback' } });
    const id = created.body.clientApplication.id as string;
    const read = await etagOf(`clientapplications/${id}`);
    const put = (password: string | undefined, ifMatch: string) =>
      admin('PUT', `clientapplications/${id}/callback`, { body: { url: 'https://app.example/callback', authentication: { type: 'basic', username: 'hooks', ...(password ? { password } : {}) } }, headers: { 'If-Match': ifMatch } });
    const first = await put('first-password', read);
    expect([first.status, first.body.callback.authentication]).toEqual([200, { type: 'basic', username: 'hooks', password: '********' }]);
    expect(first.headers.get('etag')).not.toBe(read);
    expect(first.headers.get('etag')).toBe(await etagOf(`clientapplications/${id}`));
    const second = await put('second-password', read);
    expect([second.status, second.body.code, second.body.details, second.body.callback]).toEqual([412, '412-101', 'If-Match', undefined]);
    expect(second.headers.get('etag')).toBeNull();
    const storedPassword = async () => {
      const [{ callback_auth_config: config }] = await stack.db.query('SELECT callback_auth_config FROM client_application WHERE id = ?', [id]);
      const sealed = (typeof config === 'string' ? JSON.parse(config) : config).password as string;
      return SecretBox.fromBase64Key(undefined).open(sealed, `client_application/${id}/callback-credentials`);
    };
    expect(await storedPassword()).toBe('first-password');
    // A change that leaves the settings as they are (the password kept by leaving it out) leaves the version.
    const same = await put(undefined, first.headers.get('etag')!);
    expect([same.status, same.headers.get('etag')]).toEqual([200, first.headers.get('etag')]);
    expect((await put('second-password', first.headers.get('etag')!)).status).toBe(200);
    expect(await storedPassword()).toBe('second-password');
  });

  it('refuses the second of two first callback URLs set on the same version, the signing secret the first answered still the one that signs', async () => {
    const created = await admin('POST', 'clientapplications', { body: { name: 'First URL app', type: 'chat', clientId: 'first-url-app', entryPointIds: ['1001'] } });
    const id = created.body.clientApplication.id as string;
    expect(created.body.clientApplication.callbackChangedDate).toBeUndefined();
    const read = await etagOf(`clientapplications/${id}`);
    const put = (url: string) => admin('PUT', `clientapplications/${id}/callback`, { body: { url }, headers: { 'If-Match': read } });
    const first = await put('https://app.example/first');
    expect([first.status, typeof first.body.callback.signingSecret.value]).toEqual([200, 'string']);
    expect((await admin('GET', `clientapplications/${id}`)).body.clientApplication.callbackChangedDate.date).toBeDefined();
    const second = await put('https://app.example/second');
    expect([second.status, second.body.code, second.body.callback]).toEqual([412, '412-101', undefined]);
    const [row] = await stack.db.query('SELECT callback_url, callback_signing_secret FROM client_application WHERE id = ?', [id]);
    expect(row.callback_url).toBe('https://app.example/first');
    expect(SecretBox.fromBase64Key(undefined).open(row.callback_signing_secret, `client_application/${id}/callback-signing-secret`)).toBe(first.body.callback.signingSecret.value);
  });

  it('answers the application\'s version with its callback, the one a callback change takes, and 304 while it holds', async () => {
    const created = await admin('POST', 'clientapplications', { body: { name: 'Callback reading app', type: 'chat', clientId: 'callback-reading-app', entryPointIds: ['1001'], callbackUrl: 'https://app.example/reading' } });
    const id = created.body.clientApplication.id as string;
    const read = await etagOf(`clientapplications/${id}/callback`);
    expect(read).toBe(await etagOf(`clientapplications/${id}`));
    const conditional = { 'If-None-Match': read, 'Cache-Control': 'max-age=0' };
    const same = await admin('GET', `clientapplications/${id}/callback`, { headers: conditional });
    expect([same.status, same.text]).toEqual([304, '']);
    const put = (url: string) => admin('PUT', `clientapplications/${id}/callback`, { body: { url }, headers: { 'If-Match': read } });
    const first = await put('https://app.example/reading-one');
    expect(first.status).toBe(200);
    expect((await put('https://app.example/reading-two')).status).toBe(412);
    const changed = await admin('GET', `clientapplications/${id}/callback`, { headers: conditional });
    expect([changed.status, changed.body.callback.url, changed.headers.get('etag')]).toEqual([200, 'https://app.example/reading-one', first.headers.get('etag')]);
  });

  it('reactivates a callback only while the application is at the version read, and answers its new version', async () => {
    const created = await admin('POST', 'clientapplications', { body: { name: 'Reactivation app', type: 'chat', clientId: 'reactivation-app', entryPointIds: ['1001'], callbackUrl: 'https://app.example/reactivation' } });
    const id = created.body.clientApplication.id as string;
    await stack.db.query("UPDATE client_application SET callback_state = 'deactivated' WHERE id = ?", [id]);
    const read = await etagOf(`clientapplications/${id}/callback`);
    const reactivate = (ifMatch: string) => admin('POST', `clientapplications/${id}/callback/reactivate`, { headers: { 'If-Match': ifMatch } });
    // Another administrator renames the application meanwhile: a reactivation on the version read before is refused, nothing changed.
    expect((await patch(`clientapplications/${id}`, { name: 'Reactivation app renamed' })).status).toBe(200);
    const late = await reactivate(read);
    expect([late.status, late.body.code, late.body.details, late.body.callback]).toEqual([412, '412-101', 'If-Match', undefined]);
    expect(late.headers.get('etag')).toBeNull();
    expect(await stack.db.query('SELECT callback_state FROM client_application WHERE id = ?', [id])).toEqual([{ callback_state: 'deactivated' }]);
    const current = await etagOf(`clientapplications/${id}/callback`);
    const first = await reactivate(current);
    expect([first.status, first.body.callback.state]).toEqual([200, 'active']);
    expect(first.headers.get('etag')).not.toBe(current);
    expect(first.headers.get('etag')).toBe(await etagOf(`clientapplications/${id}`));
    // The state is part of the version: the second of two reactivations on the same version is refused.
    expect((await reactivate(current)).status).toBe(412);
  });

  it('refuses a stale change of an attribute definition without touching it', async () => {
    const created = await admin('POST', 'attributes', { body: { scope: 'activity', name: 'versions_note', type: 'string', maxLength: 40 } });
    const id = created.body.attributeDefinition.id as string;
    const read = created.headers.get('etag')!;
    expect((await patch(`attributes/${id}`, { maxLength: 50 }, read)).status).toBe(200);
    expect((await patch(`attributes/${id}`, { maxLength: 60 }, read)).status).toBe(412);
    expect(await stack.db.query('SELECT max_length FROM attribute_definition WHERE id = ?', [id])).toEqual([{ max_length: 50 }]);
  });

  it('answers a reading whose If-None-Match names its version 304, and 200 once it changed', async () => {
    const id = await newDepartment('Versions D');
    const read = await etagOf(`departments/${id}`);
    // fetch adds `Cache-Control: no-cache` to a conditional request unless told otherwise, which asks any server for a full answer.
    const conditional = { 'If-None-Match': read, 'Cache-Control': 'max-age=0' };
    const same = await admin('GET', `departments/${id}`, { headers: conditional });
    expect([same.status, same.text]).toEqual([304, '']);
    await patch(`departments/${id}`, { name: 'Versions D2' });
    const changed = await admin('GET', `departments/${id}`, { headers: conditional });
    expect([changed.status, changed.body.department.name]).toEqual([200, 'Versions D2']);
  });
});
