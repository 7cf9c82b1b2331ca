import type { DataSource, EntityManager } from 'typeorm';
import { hashSecret } from '../platform/security/secret-hasher';
import { SETTING_CUSTOMER_DEPARTMENTALIZATION } from '../platform/settings/settings';

export interface DemoCredentials {
  chatClientKey: string;
  chatClientSecret: string;
  otherClientKey: string;
  otherClientSecret: string;
  entryPointIds: string[];
  agentPassword: string;
  adminUsername: string;
  adminPassword: string;
}

export const DEMO_DEFAULTS: DemoCredentials = {
  chatClientKey: 'demo-chat-client',
  chatClientSecret: 'demo-chat-secret',
  otherClientKey: 'demo-email-client',
  otherClientSecret: 'demo-email-secret',
  entryPointIds: ['1001', '1002'],
  agentPassword: 'agent-password',
  adminUsername: 'admin',
  adminPassword: 'admin-password',
};

/** Every table the demo seed writes; it writes its own ids, so any row in one of them could collide with it. */
const SEEDED_TABLES = [
  'system_setting', 'department', 'chat_queue', 'entry_point', 'user_account', 'agent', 'agent_queue',
  'client_application', 'client_application_entry_point', 'attribute_definition',
];

/**
 * Empty: none of the tables the seed writes holds a row. An administrator may have begun the
 * configuration (a department, a setting) before any client application exists; the seed leaves
 * such a database alone rather than fail on its ids.
 */
export async function isEmpty(db: DataSource): Promise<boolean> {
  const rows: { n: string }[] = await db.query(SEEDED_TABLES.map((t) => `SELECT EXISTS (SELECT 1 FROM \`${t}\`) AS n`).join(' UNION ALL '));
  return rows.every((r) => Number(r.n) === 0);
}

/**
 * Demo configuration: two departments with a queue and an entry point each, available
 * agents, a chat client application and a non-chat one, activity and contact custom
 * attributes (one enumerated, one searchable). Enough to start a conversation at once.
 */
export async function seedDemo(db: DataSource, credentials: DemoCredentials = DEMO_DEFAULTS): Promise<DemoCredentials> {
  const [chatHash, otherHash, agentHash, adminHash] = await Promise.all([
    hashSecret(credentials.chatClientSecret),
    hashSecret(credentials.otherClientSecret),
    hashSecret(credentials.agentPassword),
    hashSecret(credentials.adminPassword),
  ]);
  await db.transaction(async (tx: EntityManager) => {
    await tx.query('INSERT INTO system_setting (name, value) VALUES (?, ?)', [SETTING_CUSTOMER_DEPARTMENTALIZATION, 'false']);
    await tx.query("INSERT INTO department (id, name) VALUES (1, 'Sales'), (2, 'Support')");
    await tx.query("INSERT INTO chat_queue (id, department_id, name, strategy) VALUES (1, 1, 'Sales chat', 'least_loaded'), (2, 2, 'Support chat', 'round_robin')");
    await tx.query(
      "INSERT INTO entry_point (id, department_id, queue_id, name, last_modified) VALUES (?, 1, 1, 'Web chat (sales)', NOW(3)), (?, 2, 2, 'Help center chat', NOW(3))",
      credentials.entryPointIds,
    );
    const agents: [string, string, number, number][] = [
      ['alice', 'Alice Agent', 1, 3],
      ['bob', 'Bob Agent', 1, 3],
      ['carol', 'Carol Agent', 2, 2],
    ];
    for (const [username, name, queueId, maxChats] of agents) {
      const user: { insertId: number } = await tx.query("INSERT INTO user_account (role, username, password_hash, display_name) VALUES ('agent', ?, ?, ?)", [username, agentHash, name]);
      await tx.query("INSERT INTO agent (id, availability, max_chats) VALUES (?, 'available', ?)", [user.insertId, maxChats]);
      await tx.query('INSERT INTO agent_queue (agent_id, queue_id) VALUES (?, ?)', [user.insertId, queueId]);
    }
    await tx.query("INSERT INTO user_account (role, username, password_hash, display_name) VALUES ('administrator', ?, ?, 'Administrator')", [credentials.adminUsername, adminHash]);
    const chat: { insertId: number } = await tx.query("INSERT INTO client_application (name, type, client_id, secret_hash) VALUES ('Demo web chat', 'chat', ?, ?)", [credentials.chatClientKey, chatHash]);
    const other: { insertId: number } = await tx.query("INSERT INTO client_application (name, type, client_id, secret_hash) VALUES ('Demo email form', 'email', ?, ?)", [credentials.otherClientKey, otherHash]);
    for (const ep of credentials.entryPointIds) {
      await tx.query('INSERT INTO client_application_entry_point (client_application_id, entry_point_id) VALUES (?, ?), (?, ?)', [chat.insertId, ep, other.insertId, ep]);
    }
    await tx.query(
      `INSERT INTO attribute_definition (scope, name, type, enum_values, max_length, searchable) VALUES
        ('activity', 'order_channel', 'enum', '["web","app","store"]', 16, 0),
        ('activity', 'order_note', 'string', NULL, 50, 0),
        ('contact', 'loyalty_id', 'string', NULL, 32, 1),
        ('contact', 'tier', 'enum', '["gold","silver","bronze"]', 16, 0)`,
    );
  });
  return credentials;
}
