import type { MigrationInterface, QueryRunner } from 'typeorm';
import { generateSigningSecret } from '../modules/webhook/domain/signing';

/**
 * Client applications whose callback URL was set through the administration API before it
 * went through the webhook module have a URL but no signing secret, and their events were
 * skipped. Each gets the secret it should have had; nobody has seen it, so an administrator
 * rotates it (`POST …/callback/signing-secret?keepPreviousSeconds=0`) to hand it to the
 * receiver. It is stored as given, as values written without SECRETS_KEY are:
 * `npm run secrets:reseal` or that rotation seals it when a key is configured.
 */
export class SigningSecretForCallbackUrls1764800000000 implements MigrationInterface {
  name = 'SigningSecretForCallbackUrls1764800000000';

  async up(q: QueryRunner): Promise<void> {
    const rows: { id: string }[] = await q.query('SELECT id FROM client_application WHERE callback_url IS NOT NULL AND callback_signing_secret IS NULL');
    for (const { id } of rows) {
      await q.query('UPDATE client_application SET callback_signing_secret = ? WHERE id = ? AND callback_signing_secret IS NULL', [generateSigningSecret(), id]);
    }
  }

  async down(): Promise<void> {
    // The secrets may have been handed to receivers since; removing them would stop delivery again.
  }
}
