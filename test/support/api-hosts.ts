import { request } from 'node:http';
import { freePort } from './operations';
import { type RunningProcess, Stack, type StackOptions, waitFor } from './stack';

export interface Answer {
  status: number;
  retryAfter: string | undefined;
  code: string | undefined;
}

/** A POST on a connection of its own, so that a cluster hands each request to the next api process. */
export function postOnNewConnection(url: string, headers: Record<string, string>, body: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent: false, headers: { Accept: 'application/json', ...headers, Connection: 'close', 'Content-Length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        const retryAfter = res.headers['retry-after'];
        resolve({ status: res.statusCode ?? 0, retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined, code: text ? (JSON.parse(text) as { code?: string }).code : undefined });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A second api host beside the stack's api, on the same database, Redis and REDIS_PREFIX; resolves once it listens. */
export async function startSecondApiHost(stack: Stack, env: Record<string, string>): Promise<{ host: RunningProcess; baseUrl: string }> {
  const port = await freePort();
  const host = stack.spawn('dist/src/main.js', { HTTP_PORT: String(port), API_PROCESSES: '1', ...env });
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitFor(async () => {
    if (host.child.exitCode !== null) throw new Error(`second api exited (${host.child.exitCode}):\n${host.output.slice(-20).join('\n')}`);
    return fetch(`${baseUrl}/`).then(() => true, () => false);
  }, 30000);
  return { host, baseUrl };
}

/** The pids of the api processes whose JSON log lines match `matches`. */
export function loggingPids(p: RunningProcess, matches: (entry: Record<string, unknown>) => boolean): Set<number> {
  const pids = new Set<number>();
  for (const line of p.output) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line) as Record<string, unknown>;
    if (matches(entry)) pids.add(entry.pid as number);
  }
  return pids;
}

/**
 * A stack whose api runs as two processes (API_PROCESSES=2), once both take connections: each
 * logs "api listening", an info line, so the api logs at info.
 */
export async function startTwoProcessStack(options: StackOptions): Promise<Stack> {
  const stack = await Stack.start({ ...options, env: { ...options.env, API_PROCESSES: '2', LOG_LEVEL: 'info' } });
  await waitFor(async () => stack.api.output.filter((line) => line.includes('"api listening"')).length === 2, 30000);
  return stack;
}
