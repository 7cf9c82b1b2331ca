import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** bench/lib/fixed-rate.js: what bench/ab.js measures, api CPU per start at a fixed rate. */
const fixedRate = require('../bench/lib/fixed-rate') as {
  cpuAtFixedRate(baseUrl: string, pid: number, load: unknown, options: { rate: number; duration: number }): Promise<{ ok: number; cpuMs: number }>;
};

/**
 * An A/B at a fixed rate must send its starts at that rate, evenly: sent in bursts (autocannon's
 * overallRate sends each second's quota at once, then nothing), it measures the api working
 * through a burst. The starts arrive at a server of this process, which records when.
 */
describe('bench: ab.js sends its fixed-rate starts at an even pace', () => {
  let server: Server;
  let baseUrl: string;
  const arrivals: number[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      arrivals.push(performance.now());
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"activity":{"id":"1"}}'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends rate × duration starts, one every 1/rate, and counts CPU per 2xx', async () => {
    const rate = 50;
    const duration = 2;
    const request = { method: 'POST', path: '/start', headers: { 'content-type': 'application/json' }, body: '{}' };
    const run = await fixedRate.cpuAtFixedRate(baseUrl, process.pid, { format: 'json', request }, { rate, duration });

    expect({ ok: run.ok, arrived: arrivals.length }).toEqual({ ok: rate * duration, arrived: rate * duration });
    expect(run.cpuMs).toBeGreaterThan(0);
    // Even: most consecutive starts 20 ms apart. A late timer on a loaded machine sends the starts
    // it owes together, a few at once now and then; a burst sends nearly all of them ~0 ms apart.
    const gaps = arrivals.slice(1).map((t, i) => t - arrivals[i]).sort((a, b) => a - b);
    expect(gaps[Math.floor(gaps.length / 2)]).toBeGreaterThanOrEqual(1000 / rate / 2);
    // At the rate, not faster: the last start leaves (n - 1)/rate after the first.
    expect(arrivals[arrivals.length - 1] - arrivals[0]).toBeGreaterThanOrEqual(0.8 * ((rate * duration - 1) * 1000) / rate);
  });
});
