import { adminApi, adminLogin, type AdminApi } from './support/admin';
import { agentLogin } from './support/assignment';
import { Stack } from './support/stack';

/**
 * Concurrent PATCHes of the same resource against the real api: each round fires them
 * together and then checks, in the database, the rule the administration promises.
 */
describe('administration: concurrent changes of one resource', () => {
  const ROUNDS = 10;
  let stack: Stack;
  let admin: AdminApi;

  beforeAll(async () => {
    // The rules are checked in the tables the changes write; the drain requests they queue are not taken here: no worker.
    stack = await Stack.start({ workers: 0 });
    admin = adminApi(stack, await adminLogin(stack));
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const createQueue = async (departmentId: string, name: string): Promise<string> => {
    const res = await admin('POST', 'queues', { body: { departmentId, name } });
    expect(res.status).toBe(201);
    return res.body.queue.id;
  };

  it('an entry point moved to another department and given another queue at once keeps a queue of its own department', async () => {
    const otherQueueOfSales = await createQueue('1', 'Sales overflow');
    const created = await admin('POST', 'entrypoints', { body: { departmentId: '1', queueId: '1', name: 'Racing entry point' } });
    expect(created.status).toBe(201);
    const id = created.body.entryPoint.id;

    for (let round = 0; round < ROUNDS; round++) {
      const reset = await admin('PATCH', `entrypoints/${id}`, { body: { departmentId: '1', queueId: '1' } });
      expect(reset.status).toBe(200);
      const answers = await Promise.all([
        admin('PATCH', `entrypoints/${id}`, { body: { departmentId: '2', queueId: '2' } }),
        admin('PATCH', `entrypoints/${id}`, { body: { queueId: otherQueueOfSales } }),
      ]);
      // Whichever comes second is checked against the row the first one left: the move is
      // refused after the queue change or the queue change after the move, never both accepted wrongly.
      for (const answer of answers) expect([200, 400]).toContain(answer.status);
      const [row] = await stack.db.query(
        'SELECT e.department_id, q.department_id AS queue_department_id FROM entry_point e JOIN chat_queue q ON q.id = e.queue_id WHERE e.id = ?',
        [id],
      );
      expect(String(row.queue_department_id)).toBe(String(row.department_id));
      expect((await admin('PATCH', `entrypoints/${id}`, { body: { name: 'Racing entry point' } })).status).toBe(200);
    }
  });

  it('two changes of different fields of an attribute definition at once both stand', async () => {
    const created = await admin('POST', 'attributes', { body: { scope: 'contact', name: 'race_topic', type: 'string', maxLength: 20 } });
    expect(created.status).toBe(201);
    const id = created.body.attributeDefinition.id;

    for (let round = 0; round < ROUNDS; round++) {
      expect((await admin('PATCH', `attributes/${id}`, { body: { type: 'string', searchable: false } })).status).toBe(200);
      const answers = await Promise.all([
        admin('PATCH', `attributes/${id}`, { body: { type: 'enum', enumValues: ['a', 'b'] } }),
        admin('PATCH', `attributes/${id}`, { body: { searchable: true } }),
      ]);
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      const [row] = await stack.db.query('SELECT type, enum_values, searchable FROM attribute_definition WHERE id = ?', [id]);
      expect([row.type, Number(row.searchable)]).toEqual(['enum', 1]);
    }
  });

  it('concurrent replacements of an agent’s queues all succeed and the last one stands whole', async () => {
    const queues = [await createQueue('1', 'Agent race A'), await createQueue('1', 'Agent race B'), await createQueue('2', 'Agent race C'), '1', '2'];
    const created = await admin('POST', 'agents', {
      body: { username: 'racer', password: 'racer-password-1', displayName: 'Racer', maxChats: 2, queueIds: [] },
    });
    expect(created.status).toBe(201);
    const id = created.body.agent.id;
    // Available, so that each new queue opens capacity and its change writes a drain request too.
    await agentLogin(stack, 'racer', 'racer-password-1');
    expect((await admin('PATCH', `agents/${id}`, { body: { availability: 'available' } })).status).toBe(200);
    const requested = [[queues[0]], [queues[1], queues[2]], [queues[3]], [queues[0], queues[3], queues[4]], [], [queues[2], queues[4]]];
    const asSet = (ids: string[]) => [...ids].map(String).sort().join(',');

    for (let round = 0; round < ROUNDS; round++) {
      const answers = await Promise.all(requested.map((queueIds) => admin('PATCH', `agents/${id}`, { body: { queueIds } })));
      expect(answers.map((a) => a.status)).toEqual(requested.map(() => 200));
      const rows = await stack.db.query('SELECT queue_id FROM agent_queue WHERE agent_id = ?', [id]);
      expect(requested.map(asSet)).toContain(asSet(rows.map((r: { queue_id: string }) => r.queue_id)));
    }
  });

  it('concurrent replacements of an application’s entry points all succeed and the last one stands whole', async () => {
    const created = await admin('POST', 'clientapplications', { body: { name: 'Racing app', type: 'chat', entryPointIds: [] } });
    expect(created.status).toBe(201);
    const id = created.body.clientApplication.id;
    const entryPoints = (await stack.db.query('SELECT id FROM entry_point ORDER BY id LIMIT 3')).map((r: { id: string }) => String(r.id));
    const requested = [[entryPoints[0]], [entryPoints[1], entryPoints[2]], [], [entryPoints[0], entryPoints[2]], [entryPoints[2]], entryPoints];
    const asSet = (ids: string[]) => [...ids].map(String).sort().join(',');

    for (let round = 0; round < ROUNDS; round++) {
      const answers = await Promise.all(requested.map((entryPointIds) => admin('PATCH', `clientapplications/${id}`, { body: { entryPointIds } })));
      expect(answers.map((a) => a.status)).toEqual(requested.map(() => 200));
      const rows = await stack.db.query('SELECT entry_point_id FROM client_application_entry_point WHERE client_application_id = ?', [id]);
      expect(requested.map(asSet)).toContain(asSet(rows.map((r: { entry_point_id: string }) => r.entry_point_id)));
    }
  });
});
