import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The whole schema of the first release. Ids the API shows as numbers are BIGINT
 * auto-increments (sent as strings); conversation ids are UUIDs.
 */
export class InitialSchema1764150000000 implements MigrationInterface {
  name = 'InitialSchema1764150000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE system_setting (
      name VARCHAR(64) NOT NULL PRIMARY KEY,
      value VARCHAR(255) NOT NULL
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);

    await q.query(`CREATE TABLE department (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      name VARCHAR(100) NOT NULL,
      UNIQUE KEY uq_department_name (name)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);

    await q.query(`CREATE TABLE chat_queue (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      department_id BIGINT UNSIGNED NOT NULL,
      name VARCHAR(100) NOT NULL,
      strategy ENUM('least_loaded','round_robin') NOT NULL DEFAULT 'least_loaded',
      UNIQUE KEY uq_queue_name (department_id, name),
      CONSTRAINT fk_queue_department FOREIGN KEY (department_id) REFERENCES department (id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);

    await q.query(`CREATE TABLE entry_point (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      department_id BIGINT UNSIGNED NOT NULL,
      queue_id BIGINT UNSIGNED NOT NULL,
      name VARCHAR(100) NOT NULL,
      active TINYINT(1) NOT NULL DEFAULT 1,
      last_modified DATETIME(3) NOT NULL,
      CONSTRAINT fk_entry_point_department FOREIGN KEY (department_id) REFERENCES department (id),
      CONSTRAINT fk_entry_point_queue FOREIGN KEY (queue_id) REFERENCES chat_queue (id)
    ) ENGINE=InnoDB AUTO_INCREMENT=1001 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);

    await q.query(`CREATE TABLE client_application (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      name VARCHAR(100) NOT NULL,
      type ENUM('chat','email','messaging','custom') NOT NULL,
      client_id VARCHAR(64) NOT NULL,
      secret_hash VARCHAR(255) NOT NULL,
      callback_url VARCHAR(2048) NULL,
      callback_format ENUM('json','xml') NOT NULL DEFAULT 'json',
      callback_auth_type ENUM('none','basic','oauth2') NOT NULL DEFAULT 'none',
      callback_auth_config JSON NULL,
      callback_signing_secret VARCHAR(128) NULL,
      callback_state ENUM('active','deactivated') NOT NULL DEFAULT 'active',
      callback_failures INT UNSIGNED NOT NULL DEFAULT 0,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      UNIQUE KEY uq_client_application_client_id (client_id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);

    await q.query(`CREATE TABLE client_application_entry_point (
      client_application_id BIGINT UNSIGNED NOT NULL,
      entry_point_id BIGINT UNSIGNED NOT NULL,
      PRIMARY KEY (client_application_id, entry_point_id),
      CONSTRAINT fk_caep_application FOREIGN KEY (client_application_id) REFERENCES client_application (id) ON DELETE CASCADE,
      CONSTRAINT fk_caep_entry_point FOREIGN KEY (entry_point_id) REFERENCES entry_point (id) ON DELETE CASCADE
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);

    await q.query(`CREATE TABLE user_account (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      role ENUM('agent','administrator') NOT NULL,
      username VARCHAR(100) NOT NULL,
      password_hash VARCHAR(255) NOT NULL,
      display_name VARCHAR(100) NOT NULL,
      UNIQUE KEY uq_user_username (username)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);

    await q.query(`CREATE TABLE agent (
      id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
      availability ENUM('available','not_available','logged_out') NOT NULL DEFAULT 'logged_out',
      max_chats INT UNSIGNED NOT NULL DEFAULT 3,
      active_chats INT UNSIGNED NOT NULL DEFAULT 0,
      last_assigned_at DATETIME(3) NOT NULL DEFAULT '1970-01-01 00:00:01.000',
      CONSTRAINT fk_agent_user FOREIGN KEY (id) REFERENCES user_account (id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);

    await q.query(`CREATE TABLE agent_queue (
      agent_id BIGINT UNSIGNED NOT NULL,
      queue_id BIGINT UNSIGNED NOT NULL,
      PRIMARY KEY (queue_id, agent_id),
      KEY ix_agent_queue_agent (agent_id),
      CONSTRAINT fk_agent_queue_agent FOREIGN KEY (agent_id) REFERENCES agent (id) ON DELETE CASCADE,
      CONSTRAINT fk_agent_queue_queue FOREIGN KEY (queue_id) REFERENCES chat_queue (id) ON DELETE CASCADE
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);

    await q.query(`CREATE TABLE session (
      token_hash BINARY(32) NOT NULL PRIMARY KEY,
      kind ENUM('client_application','agent','administrator') NOT NULL,
      subject_id BIGINT UNSIGNED NOT NULL,
      created_at DATETIME(3) NOT NULL,
      expires_at DATETIME(3) NOT NULL,
      ended_at DATETIME(3) NULL,
      KEY ix_session_subject (kind, subject_id, ended_at, expires_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);

    await q.query(`CREATE TABLE attribute_definition (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      scope ENUM('activity','contact') NOT NULL,
      name VARCHAR(64) NOT NULL,
      type ENUM('string','enum') NOT NULL,
      enum_values JSON NULL,
      max_length INT UNSIGNED NOT NULL DEFAULT 255,
      searchable TINYINT(1) NOT NULL DEFAULT 0,
      UNIQUE KEY uq_attribute_definition (scope, name)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);

    await q.query(`CREATE TABLE customer (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      department_id BIGINT UNSIGNED NULL,
      type VARCHAR(32) NOT NULL DEFAULT 'individual',
      first_name VARCHAR(255) NULL,
      last_name VARCHAR(255) NULL,
      custom_attributes JSON NULL,
      created_at DATETIME(3) NOT NULL
    ) ENGINE=InnoDB AUTO_INCREMENT=1000 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);

    // Every contact point of a customer. The row a customer was created from carries a
    // lookup_scope (department id, or 0 without departmentalization); the unique key on it
    // is what makes two concurrent starts for one new customer end with one customer.
    await q.query(`CREATE TABLE contact_point (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      customer_id BIGINT UNSIGNED NOT NULL,
      department_id BIGINT UNSIGNED NULL,
      attribute VARCHAR(80) NOT NULL,
      value VARCHAR(255) NOT NULL,
      normalized_value VARCHAR(255) NOT NULL,
      lookup_scope BIGINT UNSIGNED NULL,
      KEY ix_contact_point_lookup (attribute, normalized_value, department_id),
      KEY ix_contact_point_customer (customer_id),
      UNIQUE KEY uq_contact_point_lookup_key (attribute, normalized_value, lookup_scope),
      CONSTRAINT fk_contact_point_customer FOREIGN KEY (customer_id) REFERENCES customer (id) ON DELETE CASCADE
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);

    await q.query(`CREATE TABLE customer_case (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      customer_id BIGINT UNSIGNED NULL,
      department_id BIGINT UNSIGNED NOT NULL,
      subject VARCHAR(255) NULL,
      status ENUM('open','closed') NOT NULL DEFAULT 'open',
      created_at DATETIME(3) NOT NULL,
      KEY ix_case_customer (customer_id)
    ) ENGINE=InnoDB AUTO_INCREMENT=1200 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);

    await q.query(`CREATE TABLE activity (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      case_id BIGINT UNSIGNED NOT NULL,
      customer_id BIGINT UNSIGNED NULL,
      client_application_id BIGINT UNSIGNED NOT NULL,
      entry_point_id BIGINT UNSIGNED NOT NULL,
      queue_id BIGINT UNSIGNED NOT NULL,
      conversation_id CHAR(36) NOT NULL,
      state ENUM('waiting','assigned','completed','unassigned') NOT NULL DEFAULT 'waiting',
      agent_id BIGINT UNSIGNED NULL,
      subject VARCHAR(255) NULL,
      contact_attribute VARCHAR(80) NULL,
      contact_value VARCHAR(255) NULL,
      client_info JSON NULL,
      custom_attributes JSON NULL,
      rich_text TINYINT(1) NOT NULL DEFAULT 1,
      typing_notifications TINYINT(1) NOT NULL DEFAULT 0,
      created_at DATETIME(3) NOT NULL,
      assigned_at DATETIME(3) NULL,
      completed_at DATETIME(3) NULL,
      UNIQUE KEY uq_activity_conversation (conversation_id),
      KEY ix_activity_waiting (queue_id, state, id),
      KEY ix_activity_agent (agent_id, state),
      KEY ix_activity_case (case_id),
      CONSTRAINT fk_activity_case FOREIGN KEY (case_id) REFERENCES customer_case (id)
    ) ENGINE=InnoDB AUTO_INCREMENT=5000 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);

    await q.query(`CREATE TABLE conversation (
      id CHAR(36) NOT NULL PRIMARY KEY,
      activity_id BIGINT UNSIGNED NOT NULL,
      client_application_id BIGINT UNSIGNED NOT NULL,
      correlation_id VARCHAR(64) NOT NULL,
      created_at DATETIME(3) NOT NULL,
      UNIQUE KEY uq_conversation_activity (activity_id),
      KEY ix_conversation_application (client_application_id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);

    await q.query(`CREATE TABLE message (
      id CHAR(36) NOT NULL PRIMARY KEY,
      conversation_id CHAR(36) NOT NULL,
      seq BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE,
      sender_type ENUM('customer','user','system') NOT NULL,
      agent_id BIGINT UNSIGNED NULL,
      type VARCHAR(32) NOT NULL,
      content TEXT NULL,
      created_at DATETIME(3) NOT NULL,
      KEY ix_message_conversation (conversation_id, seq)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);

    // Side effects leave through here, written in the same transaction as the change they announce.
    await q.query(`CREATE TABLE outbox (
      id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      topic VARCHAR(64) NOT NULL,
      job_id VARCHAR(128) NOT NULL,
      payload JSON NOT NULL,
      created_at DATETIME(3) NOT NULL,
      relayed_at DATETIME(3) NULL,
      KEY ix_outbox_pending (relayed_at, id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);

    // Live assignment workers: each one refreshes its row; a row older than the TTL is a dead worker.
    await q.query(`CREATE TABLE worker_heartbeat (
      worker_id VARCHAR(64) NOT NULL PRIMARY KEY,
      host VARCHAR(255) NOT NULL,
      pid INT UNSIGNED NOT NULL,
      started_at DATETIME(3) NOT NULL,
      seen_at DATETIME(3) NOT NULL,
      KEY ix_worker_heartbeat_seen (seen_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'worker_heartbeat', 'outbox', 'message', 'conversation', 'activity', 'customer_case', 'contact_point', 'customer', 'attribute_definition',
      'session', 'agent_queue', 'agent', 'user_account', 'client_application_entry_point', 'client_application',
      'entry_point', 'chat_queue', 'department', 'system_setting',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
