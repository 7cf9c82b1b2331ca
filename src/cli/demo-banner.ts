import type { AppConfig } from '../platform/config/app-config';
import { HEALTH_READY_PATH } from '../platform/health/health.paths';
import { DEMO_DEFAULTS, type DemoCredentials } from './demo-seed';

/** Where a shell on this machine reaches the api: its own address, or loopback when it listens on all of them. */
export function localOrigin(config: Pick<AppConfig, 'HTTP_HOST' | 'HTTP_PORT'>): string {
  const host = ['', '0.0.0.0', '::'].includes(config.HTTP_HOST) ? '127.0.0.1' : config.HTTP_HOST;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.HTTP_PORT}`;
}

export function readinessUrl(config: Pick<AppConfig, 'HTTP_HOST' | 'HTTP_PORT'>): string {
  return `${localOrigin(config)}/${HEALTH_READY_PATH}`;
}

/** The demo seed's credentials, with the secret `DEMO_CLIENT_SECRET` gives the chat application. */
export function demoCredentials(env: Record<string, string | undefined> = process.env): DemoCredentials {
  return { ...DEMO_DEFAULTS, chatClientSecret: env.DEMO_CLIENT_SECRET || DEMO_DEFAULTS.chatClientSecret };
}

/** What `npm start` serves the worker's metrics and health on unless the environment or `.env` names a port. */
export const NPM_START_WORKER_HEALTH_PORT = '3001';

/**
 * The environment `npm start` gives its worker: the worker serves health and metrics only on a
 * port it is given, and a setting left empty means unset, as everywhere else in the configuration.
 */
export function workerEnvironment(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return { ...env, WORKER_HEALTH_PORT: env.WORKER_HEALTH_PORT || NPM_START_WORKER_HEALTH_PORT };
}

/** The demo's credentials and a curl session that starts a conversation and reads it back. */
export function demoBanner(config: Pick<AppConfig, 'HTTP_HOST' | 'HTTP_PORT' | 'CONTEXT_PATH'>, credentials: DemoCredentials): string {
  const base = `${localOrigin(config)}${config.CONTEXT_PATH}/ws/v19/clientapplications`;
  return `
Demo chat client application: ${credentials.chatClientKey} / ${credentials.chatClientSecret}
Entry points: ${credentials.entryPointIds.join(', ')}   Agents: alice, bob, carol (password ${credentials.agentPassword})
Administrator (administration API, queue dashboard at ${localOrigin(config)}${config.CONTEXT_PATH}/admin/queues): ${credentials.adminUsername} / ${credentials.adminPassword}

Start a conversation:
  TOKEN=$(curl -s -u ${credentials.chatClientKey}:${credentials.chatClientSecret} -d grant_type=client_credentials ${base}/authentication/oauth2/token | sed 's/.*"access_token":"\\([^"]*\\)".*/\\1/')
  LM=$(curl -s -H "Authorization: Bearer $TOKEN" "${base}/messaging/configuration?entrypoint=1001" | sed 's/.*"date":"\\([^"]*\\)".*/\\1/')
  STARTED=$(curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\
    -d '{"entryPointConfiguration":{"entryPoint":{"id":"1001"},"lastModified":{"date":"'$LM'"}},"activity":{"subject":"Where is my order?","customer":{"contacts":{"contact":[{"firstName":"Ada","email":[{"emailAddress":"ada@example.com"}]}]}}}}' \\
    "${base}/messaging/conversation/start?searchContactOnAttribute=email.emailAddress"); echo "$STARTED"
Read it back, assigned to an agent a moment later:
  ID=$(echo "$STARTED" | sed 's/^{"conversation":{"id":"\\([^"]*\\)".*/\\1/')
  sleep 1; curl -s -H "Authorization: Bearer $TOKEN" "${base}/messaging/conversation/$ID"
`;
}
