import { adminApi, adminLogin, type AdminApi } from './support/admin';
import { customerWithEmail, http, lastModified, login, start, startDocument, uniqueEmail } from './support/client';
import { Stack } from './support/stack';

/**
 * Administration of departments, queues, entry points and settings against the real api.
 * CONFIG_CACHE_TTL_MS is ten minutes here: whatever the api shows after a change, it shows
 * because the change dropped its caches, not because they expired.
 */
describe('administration: departments, queues, entry points, settings', () => {
  let stack: Stack;
  let admin: AdminApi;

  beforeAll(async () => {
    stack = await Stack.start({ env: { CONFIG_CACHE_TTL_MS: '600000' } });
    admin = adminApi(stack, await adminLogin(stack));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('admits administrator sessions only', async () => {
    const none = await admin('GET', 'departments', { token: '' });
    expect([none.status, none.body.code]).toEqual([401, '401-101']);
    const client = await admin('GET', 'departments', { token: await login(stack) });
    expect([client.status, client.body.code]).toEqual([401, '401-107']);
  });

  describe('departments', () => {
    it('create → read → update, in JSON and XML', async () => {
      const created = await admin('POST', 'departments', { body: { name: 'Billing' } });
      expect(created.status).toBe(201);
      const id = created.body.department.id;
      expect(id).toMatch(/^\d+$/);
      expect((await admin('GET', `departments/${id}`)).body).toEqual({ department: { id, name: 'Billing' } });
      const list = await admin('GET', 'departments');
      expect(list.body.departments.department.map((d: { name: string }) => d.name)).toEqual(['Sales', 'Support', 'Billing']);
      const updated = await admin('PATCH', `departments/${id}`, { body: { name: 'Billing and refunds' }, xmlRoot: 'department' });
      expect([updated.status, updated.xmlRoot, updated.body.name]).toEqual([200, 'department', 'Billing and refunds']);
      expect((await stack.db.query('SELECT name FROM department WHERE id = ?', [id]))[0].name).toBe('Billing and refunds');
    });

    it('refuses a taken name (409), an unknown id (404) and a bad body (400)', async () => {
      const taken = await admin('POST', 'departments', { body: { name: 'Sales' } });
      expect([taken.status, taken.body.code, taken.body.details]).toEqual([409, '409-103', 'name']);
      expect((await admin('GET', 'departments/999999')).body.code).toBe('404-103');
      expect((await admin('GET', 'departments/abc')).status).toBe(404);
      const bad = await admin('POST', 'departments', { body: { name: '' } });
      expect([bad.status, bad.body.code, bad.body.details]).toEqual([400, '400-112', 'name']);
      const unknown = await admin('POST', 'departments', { body: { name: 'X', color: 'red' } });
      expect([unknown.status, unknown.body.details]).toEqual([400, 'color']);
    });

    it('refuses a name holding U+FFFE or U+FFFF (400-112), which its XML form would show as U+FFFD, and stores nothing', async () => {
      for (const name of ['Returns\uFFFE', 'Returns\uFFFF']) {
        const refused = await admin('POST', 'departments', { body: { name } });
        expect([refused.status, refused.body.code, refused.body.details]).toEqual([400, '400-112', 'name']);
        const renamed = await admin('PATCH', 'entrypoints/1001', { body: { name } });
        expect([renamed.status, renamed.body.code, renamed.body.details]).toEqual([400, '400-112', 'name']);
      }
      expect(await stack.db.query("SELECT id FROM department WHERE name LIKE 'Returns%'")).toEqual([]);
      expect((await admin('GET', 'entrypoints/1001')).body.entryPoint.name).toBe('Web chat (sales)');
    });

    it('counts a name in characters as its column does: each variation selector is one, an emoji is one', async () => {
      // 60 of "a" + U+FE0F are 120 characters: over the 100 a name may hold.
      const long = await admin('POST', 'departments', { body: { name: 'a\uFE0F'.repeat(60) } });
      expect([long.status, long.body.code, long.body.details]).toEqual([400, '400-112', 'name']);
      const name = '\u{1F600}'.repeat(100);
      const created = await admin('POST', 'departments', { body: { name } });
      expect(created.status).toBe(201);
      expect((await stack.db.query('SELECT name FROM department WHERE id = ?', [created.body.department.id]))[0].name).toBe(name);
    });
  });

  describe('queues', () => {
    it('create (default strategy) → read → update the strategy', async () => {
      const created = await admin('POST', 'queues', { body: { departmentId: 2, name: 'Returns chat' } });
      expect(created.status).toBe(201);
      const queue = created.body.queue;
      expect(queue).toEqual({ id: expect.stringMatching(/^\d+$/), departmentId: '2', name: 'Returns chat', strategy: 'least_loaded' });
      expect((await admin('GET', `queues/${queue.id}`)).body.queue).toEqual(queue);
      const updated = await admin('PATCH', `queues/${queue.id}`, { body: { strategy: 'round_robin' } });
      expect(updated.body.queue.strategy).toBe('round_robin');
      expect((await stack.db.query('SELECT strategy FROM chat_queue WHERE id = ?', [queue.id]))[0].strategy).toBe('round_robin');
    });

    it('refuses an unknown strategy and an unknown department', async () => {
      const strategy = await admin('POST', 'queues', { body: { departmentId: '1', name: 'Q', strategy: 'random' } });
      expect([strategy.status, strategy.body.code, strategy.body.details]).toEqual([400, '400-112', 'strategy']);
      const department = await admin('POST', 'queues', { body: { departmentId: '424242', name: 'Q' } });
      expect([department.status, department.body.code, department.body.details]).toEqual([400, '400-152', 'departmentId']);
    });
  });

  describe('entry points', () => {
    it('create → read → update; the queue must be of the same department', async () => {
      const created = await admin('POST', 'entrypoints', { body: { departmentId: '2', queueId: '2', name: 'Mobile chat' } });
      expect(created.status).toBe(201);
      const entryPoint = created.body.entryPoint;
      expect(entryPoint).toMatchObject({ departmentId: '2', queueId: '2', name: 'Mobile chat', active: true });
      expect((await admin('GET', `entrypoints/${entryPoint.id}`)).body.entryPoint).toEqual(entryPoint);
      const updated = await admin('PATCH', `entrypoints/${entryPoint.id}`, { body: { active: 'false' }, xmlRoot: 'entryPoint' });
      expect(updated.body.active).toBe('false');
      const mismatch = await admin('PATCH', `entrypoints/${entryPoint.id}`, { body: { queueId: '1' } });
      expect([mismatch.status, mismatch.body.code, mismatch.body.details]).toEqual([400, '400-153', 'queueId']);
      const moved = await admin('PATCH', `entrypoints/${entryPoint.id}`, { body: { departmentId: '1' } });
      expect([moved.status, moved.body.code, moved.body.details]).toEqual([400, '400-153', 'departmentId']);
      expect((await admin('GET', 'entrypoints')).body.entryPoints.entryPoint).toHaveLength(3);
    });

    it('a change bumps lastModified: the configuration API shows the new date at once, and a start with the old one gets 409', async () => {
      const token = await login(stack);
      const before = await lastModified(stack, token);
      const changed = await admin('PATCH', 'entrypoints/1001', { body: { name: 'Web chat (sales, renamed)' } });
      expect(changed.status).toBe(200);
      const after = changed.body.entryPoint.lastModified.date;
      expect(new Date(after).getTime()).toBeGreaterThan(new Date(before).getTime());
      expect(await lastModified(stack, token)).toBe(after);

      const stale = await start(stack, startDocument(before), { token, query: 'anonymousCustomer=yes' });
      expect([stale.status, stale.body.code]).toEqual([409, '409-101']);
      const fresh = await start(stack, startDocument(after), { token, query: 'anonymousCustomer=yes' });
      expect(fresh.status).toBe(200);

      // Two changes within the same millisecond still give two different dates.
      const [a, b] = await Promise.all([
        admin('PATCH', 'entrypoints/1001', { body: { name: 'Web chat (sales, renamed again)' } }),
        admin('PATCH', 'entrypoints/1001', { body: { active: false } }),
      ]);
      expect(new Set([after, a.body.entryPoint.lastModified.date, b.body.entryPoint.lastModified.date]).size).toBe(3);
      await admin('PATCH', 'entrypoints/1001', { body: { active: true } });
    });

    it('a PATCH that changes nothing leaves lastModified, so that clients holding it are not refused', async () => {
      const token = await login(stack);
      const current = (await admin('GET', 'entrypoints/1001')).body.entryPoint;
      const same = await admin('PATCH', 'entrypoints/1001', {
        body: { name: current.name, departmentId: current.departmentId, queueId: current.queueId, active: current.active },
      });
      expect(same.status).toBe(200);
      expect(same.body.entryPoint.lastModified.date).toBe(current.lastModified.date);
      expect(await lastModified(stack, token)).toBe(current.lastModified.date);
      const held = await start(stack, startDocument(current.lastModified.date), { token, query: 'anonymousCustomer=yes' });
      expect(held.status).toBe(200);
    });
  });

  it('refuses an XML document whose root element is not the resource the route takes (400-112, (root)), and changes nothing', async () => {
    const [before] = await stack.db.query('SELECT COUNT(*) AS n FROM department');
    const department = await admin('POST', 'departments', { body: { name: 'Sent as a queue' }, xmlRoot: 'queue' });
    expect([department.status, department.xmlRoot, department.body.code, department.body.details]).toEqual([400, 'WSError', '400-112', '(root)']);
    const [after] = await stack.db.query('SELECT COUNT(*) AS n FROM department');
    expect(after.n).toBe(before.n);

    const [entryPoint] = await stack.db.query('SELECT name, last_modified FROM entry_point WHERE id = 1002');
    const renamed = await admin('PATCH', 'entrypoints/1002', { body: { name: 'Renamed under another root' }, xmlRoot: 'department' });
    expect([renamed.status, renamed.body.code, renamed.body.details]).toEqual([400, '400-112', '(root)']);
    expect(await stack.db.query('SELECT name, last_modified FROM entry_point WHERE id = 1002')).toEqual([entryPoint]);

    const settings = await admin('PATCH', 'settings', { body: { customerDepartmentalization: 'true' }, xmlRoot: 'setting' });
    expect([settings.status, settings.body.code, settings.body.details]).toEqual([400, '400-112', '(root)']);
    for (const [path, root] of [['queues', 'department'], ['agents', 'user'], ['clientapplications', 'application'], ['attributes', 'attribute']]) {
      const refused = await admin('POST', path, { body: { name: 'x' }, xmlRoot: root });
      expect([path, refused.status, refused.body.code, refused.body.details]).toEqual([path, 400, '400-112', '(root)']);
    }
    // The right root still passes, and so does JSON, which has none.
    const right = await admin('PATCH', 'settings', { body: { customerDepartmentalization: 'false' }, xmlRoot: 'settings' });
    expect([right.status, right.xmlRoot]).toEqual([200, 'settings']);

    const loginAs = (role: string, root: string, username: string, password: string) =>
      http(`${stack.contextUrl}/ws/v19/${role}/authentication/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/xml' },
        body: `<${root}><username>${username}</username><password>${password}</password></${root}>`,
      });
    const wrongRoot = await loginAs('administration', 'credentials', stack.credentials.adminUsername, stack.credentials.adminPassword);
    expect([wrongRoot.status, wrongRoot.body.code, wrongRoot.body.details]).toEqual([400, '400-112', '(root)']);
    expect((await loginAs('administration', 'login', stack.credentials.adminUsername, stack.credentials.adminPassword)).status).toBe(200);
  });

  it('takes a PATCH of only nulls as no body (400-110): null is an absent member, and lastModified stays', async () => {
    const [entryPoint] = await stack.db.query('SELECT name, active, last_modified FROM entry_point WHERE id = 1002');
    const nulls = await admin('PATCH', 'entrypoints/1002', { body: { name: null, active: null } });
    expect([nulls.status, nulls.body.code]).toEqual([400, '400-110']);
    expect(await stack.db.query('SELECT name, active, last_modified FROM entry_point WHERE id = 1002')).toEqual([entryPoint]);
  });

  describe('ids with leading zeros name the same resource', () => {
    it('a queue created in department "02" is in department 2, and says so', async () => {
      const created = await admin('POST', 'queues', { body: { departmentId: '02', name: 'Q02' } });
      expect([created.status, created.body.queue.departmentId]).toEqual([201, '2']);
      expect((await admin('GET', `queues/0${created.body.queue.id}`)).body.queue).toEqual(created.body.queue);
      expect((await stack.db.query('SELECT department_id FROM chat_queue WHERE id = ?', [created.body.queue.id]))[0].department_id).toBe('2');
    });

    it('an entry point in department "01" with queue "01" is accepted: queue 1 is in department 1', async () => {
      const created = await admin('POST', 'entrypoints', { body: { departmentId: '01', queueId: '01', name: 'Echo' } });
      expect(created.status).toBe(201);
      expect(created.body.entryPoint).toMatchObject({ departmentId: '1', queueId: '1' });
      const id = created.body.entryPoint.id;
      const updated = await admin('PATCH', `entrypoints/00${id}`, { body: { departmentId: '001', queueId: '01', name: 'Echo 2' } });
      expect([updated.status, updated.body.entryPoint.id, updated.body.entryPoint.departmentId, updated.body.entryPoint.queueId]).toEqual([200, id, '1', '1']);
      const [row] = await stack.db.query('SELECT department_id, queue_id, name FROM entry_point WHERE id = ?', [id]);
      expect(row).toEqual({ department_id: '1', queue_id: '1', name: 'Echo 2' });
    });

    it('still refuses what is no id, zero-padded past 19 digits included', async () => {
      const long = await admin('POST', 'queues', { body: { departmentId: '00000000000000000001', name: 'Q long' } });
      expect([long.status, long.body.code, long.body.details]).toEqual([400, '400-112', 'departmentId']);
      const negative = await admin('POST', 'queues', { body: { departmentId: -1, name: 'Q negative' } });
      expect([negative.status, negative.body.details]).toEqual([400, 'departmentId']);
    });
  });

  describe('settings', () => {
    it('customer departmentalization, read and changed in XML, applies to the next start at once', async () => {
      const token = await login(stack);
      const lm = await lastModified(stack, token, '1002');
      const startOn1002 = () =>
        start(stack, startDocument(lm, { customer: customerWithEmail(uniqueEmail('dept')) }, '1002'), { token, query: 'searchContactOnAttribute=email.emailAddress' });
      const departmentOfCustomer = async (res: { body: any }) =>
        (await stack.db.query('SELECT department_id FROM customer WHERE id = ?', [res.body.conversation.customer.id]))[0].department_id;
      // This start loads the setting (off) into the api's cache.
      expect(await departmentOfCustomer(await startOn1002())).toBeNull();

      const read = await admin('GET', 'settings');
      expect(read.body.settings).toEqual({ customerDepartmentalization: false, defaultLanguage: 'en', supportedLanguages: expect.arrayContaining(['de', 'en', 'es', 'fr']) });
      const changed = await admin('PATCH', 'settings', { body: { customerDepartmentalization: true }, xmlRoot: 'settings' });
      expect([changed.status, changed.xmlRoot, changed.body.customerDepartmentalization]).toEqual([200, 'settings', 'true']);

      const res = await startOn1002();
      expect(res.status).toBe(200);
      expect(String(await departmentOfCustomer(res))).toBe('2');
      expect((await admin('PATCH', 'settings', { body: { customerDepartmentalization: false } })).body.settings.customerDepartmentalization).toBe(false);
    });

    it('takes xsd:boolean 1 and 0 in XML, and refuses 1 in JSON, where booleans are JSON booleans', async () => {
      const inXml = async (value: string) => (await admin('PATCH', 'settings', { body: { customerDepartmentalization: value }, xmlRoot: 'settings' })).body.customerDepartmentalization;
      expect(await inXml('1')).toBe('true');
      expect(await inXml(' 0 ')).toBe('false');
      const refused = await admin('PATCH', 'settings', { body: { customerDepartmentalization: 1 } });
      expect([refused.status, refused.body.code, refused.body.details]).toEqual([400, '400-112', 'customerDepartmentalization']);
      expect((await admin('GET', 'settings')).body.settings.customerDepartmentalization).toBe(false);
    });
  });

  it('documents what it serves: the same resources appear in the OpenAPI document', async () => {
    const doc = await http(`${stack.contextUrl}/docs-json`);
    for (const path of ['departments', 'queues', 'entrypoints', 'agents', 'clientapplications', 'attributes']) {
      expect(Object.keys(doc.body.paths[`/system/ws/v19/administration/${path}/{id}`])).toEqual(['get', 'patch']);
    }
  });
});
