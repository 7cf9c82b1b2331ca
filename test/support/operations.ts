import { request } from 'node:http';
import { freePort } from './private-services';

export { freePort };

/** Helpers for the operations tests: free ports, GETs spread over a cluster, metrics text. */

/** A GET on a new connection each time (no keep-alive), so a cluster spreads the requests over its processes. */
export function getOnNewConnection(url: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; contentType?: string }> {
  return new Promise((resolve, reject) => {
    request(url, { agent: false, headers: { ...headers, Connection: 'close' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, contentType: res.headers['content-type'] }));
    })
      .on('error', reject)
      .end();
  });
}

/** The value of one sample of a Prometheus text exposition (`name{labels}`), or undefined. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const present = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => present[k] === v)) return Number(m[3]);
  }
  return undefined;
}
