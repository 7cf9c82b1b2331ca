import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook delivery bookkeeping. `webhook_delivery` holds each event a client application
 * must hear, written in the transaction that records the event (a snapshot, so delivery
 * needs nothing else); its `seq` is the delivery order. `webhook_dispatch` is one row per
 * application: who is delivering to it now (a lease), when the next retry is due, and
 * the batch that was attempted and must be sent again as it was.
 */
export class WebhookDelivery1764400000000 implements MigrationInterface {
  name = 'WebhookDelivery1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE webhook_delivery (
      seq BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      message_id CHAR(36) NOT NULL,
      client_application_id BIGINT UNSIGNED NOT NULL,
      conversation_id CHAR(36) NOT NULL,
      correlation_id VARCHAR(64) NOT NULL,
      type VARCHAR(32) NOT NULL,
      content TEXT NULL,
      sender_type ENUM('user','system') NOT NULL,
      agent_id BIGINT UNSIGNED NULL,
      occurred_at DATETIME(3) NOT NULL,
      state ENUM('pending','delivered','rejected','skipped') NOT NULL DEFAULT 'pending',
      batch_id CHAR(36) NULL,
      attempts INT UNSIGNED NOT NULL DEFAULT 0,
      last_result VARCHAR(255) NULL,
      settled_at DATETIME(3) NULL,
      UNIQUE KEY uq_webhook_delivery_message (message_id),
      KEY ix_webhook_delivery_application (client_application_id, state, seq),
      KEY ix_webhook_delivery_state (state, client_application_id),
      KEY ix_webhook_delivery_batch (batch_id),
      KEY ix_webhook_delivery_settled (settled_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);

    await q.query(`CREATE TABLE webhook_dispatch (
      client_application_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
      lease_token CHAR(36) NULL,
      lease_until DATETIME(3) NULL,
      retry_at DATETIME(3) NULL,
      batch_id CHAR(36) NULL
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE webhook_dispatch');
    await q.query('DROP TABLE webhook_delivery');
  }
}
