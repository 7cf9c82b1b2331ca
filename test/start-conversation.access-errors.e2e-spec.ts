import { clientOf, customerWithEmail, lastModified, login, startDocument, uniqueEmail } from './support/client';
import { Stack, stopProcess, waitFor } from './support/stack';
import { expectStartRefused, startOk } from './support/ws-error';

const ANONYMOUS = 'anonymousCustomer=yes';
const HEARTBEAT_TTL_MS = 1000;

/**
 * Refusals that depend on who calls and on the state of the platform: the client
 * application's type and entry points (403), a stale configuration (409), and the three
 * preconditions (no live assignment worker, no available agent, callback deactivated).
 */
describe('start conversation: access, configuration changes and preconditions', () => {
  let stack: Stack;
  let token: string;
  let lm: string;
  let chatApplicationId: string;

  beforeAll(async () => {
    stack = await Stack.start({ env: { WORKER_HEARTBEAT_INTERVAL_MS: '200', WORKER_HEARTBEAT_TTL_MS: String(HEARTBEAT_TTL_MS) }, agentCapacity: 100 });
    ({ token, lm } = await clientOf(stack));
    [{ id: chatApplicationId }] = await stack.db.query('SELECT id FROM client_application WHERE client_id = ?', [stack.credentials.chatClientKey]);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  describe('403', () => {
    it('refuses a client application that is not of type chat', async () => {
      const emailToken = await login(stack, stack.credentials.otherClientKey, stack.credentials.otherClientSecret);
      await expectStartRefused(stack, startDocument(lm), { token: emailToken, query: ANONYMOUS }, 'ClientApplicationNotChat');
      await expectStartRefused(stack, startDocument(lm, { customer: customerWithEmail(uniqueEmail()) }), { token: emailToken, query: 'searchContactOnAttribute=email.emailAddress' }, 'ClientApplicationNotChat');
    });

    it('refuses an entry point the application is not configured for', async () => {
      const lm2 = await lastModified(stack, token, '1002');
      await stack.db.query('DELETE FROM client_application_entry_point WHERE client_application_id = ? AND entry_point_id = 1002', [chatApplicationId]);
      try {
        await expectStartRefused(stack, startDocument(lm2, undefined, '1002'), { token, query: ANONYMOUS }, 'EntryPointNotAllowed', 'entryPointConfiguration.entryPoint.id');
      } finally {
        await stack.db.query('INSERT INTO client_application_entry_point (client_application_id, entry_point_id) VALUES (?, 1002)', [chatApplicationId]);
      }
      await startOk(stack, startDocument(lm2, undefined, '1002'), { token, query: ANONYMOUS });
    });

    it('refuses an entry point created without the application', async () => {
      await stack.db.query("INSERT INTO entry_point (id, department_id, queue_id, name, last_modified) VALUES (1003, 1, 1, 'Other chat', '2026-01-05 10:00:00.000')");
      await expectStartRefused(stack, startDocument('2026-01-05T10:00:00.000Z', undefined, '1003'), { token, query: ANONYMOUS }, 'EntryPointNotAllowed');
    });
  });

  describe('409', () => {
    it('refuses a lastModified that is not the current one', async () => {
      const stale = new Date(Date.parse(lm) - 1).toISOString();
      await expectStartRefused(stack, startDocument(stale), { token, query: ANONYMOUS }, 'EntryPointConfigurationChanged', 'entryPointConfiguration.lastModified.date');
    });

    it('refuses the old date once the configuration changed, and accepts the new one', async () => {
      const [{ id }] = await stack.db.query('SELECT id FROM entry_point WHERE id = 1002');
      const before = await lastModified(stack, token, id);
      await stack.db.query('UPDATE entry_point SET last_modified = last_modified + INTERVAL 1 SECOND WHERE id = 1002');
      await expectStartRefused(stack, startDocument(before, undefined, '1002'), { token, query: ANONYMOUS }, 'EntryPointConfigurationChanged');
      const after = await lastModified(stack, token, '1002');
      expect(after).not.toBe(before);
      await startOk(stack, startDocument(after, undefined, '1002'), { token, query: ANONYMOUS });
    });

    it('compares instants, so the same time in another offset is current', async () => {
      const d = new Date(lm);
      const shifted = new Date(d.getTime() + 2 * 3600_000).toISOString().replace('Z', '+02:00');
      await startOk(stack, startDocument(shifted), { token, query: ANONYMOUS });
    });
  });

  describe('preconditions', () => {
    it('refuses while the callback URL is deactivated', async () => {
      await stack.db.query("UPDATE client_application SET callback_state = 'deactivated' WHERE id = ?", [chatApplicationId]);
      try {
        await expectStartRefused(stack, startDocument(lm), { token, query: ANONYMOUS }, 'CallbackUrlDeactivated');
      } finally {
        await stack.db.query("UPDATE client_application SET callback_state = 'active' WHERE id = ?", [chatApplicationId]);
      }
      await startOk(stack, startDocument(lm), { token, query: ANONYMOUS });
    });

    it.each([
      ['not available', "availability = 'not_available'"],
      ['logged out', "availability = 'logged_out'"],
      ['at their chat limit', 'active_chats = max_chats'],
    ])('refuses when the agents of the queue are %s', async (_name, change) => {
      const saved: { id: string; availability: string; active_chats: number }[] = await stack.db.query(
        'SELECT a.id, a.availability, a.active_chats FROM agent a JOIN agent_queue q ON q.agent_id = a.id WHERE q.queue_id = 1',
      );
      await stack.db.query(`UPDATE agent a JOIN agent_queue q ON q.agent_id = a.id SET ${change} WHERE q.queue_id = 1`);
      try {
        await expectStartRefused(stack, startDocument(lm), { token, query: ANONYMOUS }, 'NoAgentAvailable');
        // an available agent of another queue does not help
        const [{ n }] = await stack.db.query("SELECT COUNT(*) AS n FROM agent a JOIN agent_queue q ON q.agent_id = a.id WHERE q.queue_id = 2 AND a.availability = 'available'");
        expect(Number(n)).toBeGreaterThan(0);
      } finally {
        for (const a of saved) await stack.db.query('UPDATE agent SET availability = ?, active_chats = ? WHERE id = ?', [a.availability, a.active_chats, a.id]);
      }
      await startOk(stack, startDocument(lm), { token, query: ANONYMOUS });
    });

    it('refuses when no assignment worker has a live heartbeat, and accepts again when one is back', async () => {
      for (const worker of stack.workers) await stopProcess(worker, 'SIGKILL');
      // A killed worker leaves its heartbeat row: only its age tells that it is gone.
      const [{ n }] = await stack.db.query('SELECT COUNT(*) AS n FROM worker_heartbeat');
      expect(Number(n)).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, HEARTBEAT_TTL_MS + 600));
      await expectStartRefused(stack, startDocument(lm), { token, query: ANONYMOUS }, 'AssignmentServiceNotRunning');
      await expectStartRefused(stack, startDocument(lm, { customer: customerWithEmail(uniqueEmail()) }), { token, query: 'searchContactOnAttribute=email.emailAddress' }, 'AssignmentServiceNotRunning');
      await stack.startWorker();
      await waitFor(async () => {
        const res = await startOk(stack, startDocument(lm), { token, query: ANONYMOUS }).catch(() => undefined);
        return res !== undefined;
      }, 5000, 100);
    });
  });
});
