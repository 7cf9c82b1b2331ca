'use strict';
// HTTP load on the start API with autocannon, driven programmatically. Every identified
// request carries a customer e-mail never used before, so each start creates a customer.
const autocannon = require('autocannon');
const { summarize } = require('./stats');

const CLIENT_API = '/system/ws/v19/clientapplications';
const START = `${CLIENT_API}/messaging/conversation/start`;
const ACTIVITY_ID = { json: /"activity":\{"id":"(\d+)"/, xml: /<activity><id>(\d+)<\/id><\/activity>/ };

// One login per api start; forceLogin=yes keeps repeated starts under the per-application session cap.
async function login(baseUrl, credentials) {
  const basic = Buffer.from(`${credentials.chatClientKey}:${credentials.chatClientSecret}`).toString('base64');
  const res = await fetch(`${baseUrl}${CLIENT_API}/authentication/oauth2/token?forceLogin=yes`, {
    method: 'POST',
    headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return (await res.json()).access_token;
}

async function lastModified(baseUrl, token, entryPointId = '1001') {
  const res = await fetch(`${baseUrl}${CLIENT_API}/messaging/configuration?entrypoint=${entryPointId}`, { headers: { Authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`configuration failed: ${res.status} ${await res.text()}`);
  return (await res.json()).entryPointConfiguration[0].lastModified.date;
}

let sequence = 0;

/** autocannon hands setupRequest a fresh copy of the request each time, so setting the body is safe. */
function withEmail(head, tail, email) {
  return (req) => {
    req.body = head + email(sequence++) + tail;
    return req;
  };
}

/**
 * The three workloads. `identified-json` and `identified-xml` send reference request 1
 * (identified, required elements plus a name) for a new customer each time;
 * `anonymous-json` sends reference request 4.
 */
function workload(kind, { token, lastModifiedDate, tag }) {
  const entry = { entryPoint: { id: '1001' }, lastModified: { date: lastModifiedDate } };
  const headers = { authorization: `Bearer ${token}` };
  if (kind === 'anonymous-json') {
    return { format: 'json', request: { method: 'POST', path: `${START}?anonymousCustomer=yes`, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ entryPointConfiguration: entry }) } };
  }
  const path = `${START}?searchContactOnAttribute=email.emailAddress`;
  const email = (n) => `b.${tag}.${n}@bench.example`;
  if (kind === 'identified-json') {
    // The document is fixed except for the e-mail: split it once, splice the address in per request.
    const [head, tail] = JSON.stringify({
      entryPointConfiguration: entry,
      activity: { customer: { contacts: { contact: [{ firstName: 'Bench', lastName: 'Load', email: [{ emailAddress: '@@' }] }] } } },
    }).split('@@');
    return {
      format: 'json',
      request: {
        method: 'POST', path, headers: { ...headers, 'content-type': 'application/json' },
        setupRequest: withEmail(head, tail, email),
      },
    };
  }
  if (kind === 'identified-xml') {
    const head = '<?xml version="1.0" encoding="UTF-8"?><conversation><entryPointConfiguration><entryPoint><id>1001</id></entryPoint>'
      + `<lastModified><date>${lastModifiedDate}</date></lastModified></entryPointConfiguration><activity><customer><contacts><contact>`
      + '<firstName>Bench</firstName><lastName>Load</lastName><email><emailAddress>';
    const tail = '</emailAddress></email></contact></contacts></customer></activity></conversation>';
    return {
      format: 'xml',
      request: {
        method: 'POST', path, headers: { ...headers, 'content-type': 'application/xml', accept: 'application/xml' },
        setupRequest: withEmail(head, tail, email),
      },
    };
  }
  throw new Error(`unknown workload ${kind}`);
}

/**
 * Runs autocannon against the api. Options: connections, duration (s) or amount,
 * overallRate. Returns throughput, latency and the activity ids the 2xx answers carried.
 */
function drive(baseUrl, load, { connections, duration, amount, overallRate }) {
  const activityIds = [];
  const pattern = ACTIVITY_ID[load.format];
  const statuses = {};
  const request = {
    ...load.request,
    onResponse: (status, body) => {
      statuses[status] = (statuses[status] || 0) + 1;
      if (status >= 200 && status < 300) {
        const match = pattern.exec(body);
        if (match) activityIds.push(match[1]);
      }
    },
  };
  return new Promise((resolve, reject) => {
    autocannon({
      url: baseUrl, connections, pipelining: 1, timeout: 10,
      ...(amount ? { amount } : { duration }),
      ...(overallRate ? { overallRate } : {}),
      requests: [request],
    }, (err, result) => {
      if (err) return reject(err);
      const ok = result['2xx'];
      resolve({
        connections,
        amount,
        ok,
        rps: ok / result.duration,
        p50: result.latency.p50,
        p99: result.latency.p99,
        errors: result.errors, // timeouts included
        non2xx: result.non2xx,
        statuses,
        duration: result.duration,
        activityIds,
      });
    });
  });
}

/**
 * Open-loop load at an even pace: request i leaves at start + i/rate, whatever the answers
 * do (at most `maxInFlight` outstanding). autocannon's overallRate gives each connection a
 * quota of rate/connections per second, which it sends back to back as soon as the second
 * begins, all connections together: the queueing of those bursts, not the steady rate, would
 * be measured. Latency is taken from each request's departure. Same result shape as `drive`.
 */
function pace(baseUrl, load, { rate, duration, maxInFlight = 256 }) {
  const http = require('node:http');
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: maxInFlight });
  const pattern = ACTIVITY_ID[load.format];
  const activityIds = [];
  const statuses = {};
  const latencies = [];
  let errors = 0;
  let ok = 0;
  let non2xx = 0;
  const total = Math.round(rate * duration);
  const started = process.hrtime.bigint();
  const elapsedMs = () => Number(process.hrtime.bigint() - started) / 1e6;
  return new Promise((resolve) => {
    let sent = 0;
    let done = 0;
    const finish = () => {
      if (done < sent || sent < total) return;
      agent.destroy();
      const { p50, p99 } = summarize(latencies);
      const seconds = elapsedMs() / 1000;
      resolve({ rate, ok, rps: ok / seconds, p50, p99, errors, non2xx, statuses, duration: seconds, activityIds });
    };
    const send = () => {
      const req = load.request.setupRequest ? load.request.setupRequest({ ...load.request }) : load.request;
      const departed = process.hrtime.bigint();
      sent++;
      const call = http.request({ host: url.hostname, port: url.port, path: req.path, method: req.method, headers: { ...req.headers, 'content-length': Buffer.byteLength(req.body) }, agent }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          latencies.push(Number(process.hrtime.bigint() - departed) / 1e6);
          statuses[res.statusCode] = (statuses[res.statusCode] || 0) + 1;
          const body = Buffer.concat(chunks).toString();
          // As drive counts them: a 2xx without an activity id is a 2xx, which validation then refuses.
          if (res.statusCode >= 200 && res.statusCode < 300) {
            ok++;
            const match = pattern.exec(body);
            if (match) activityIds.push(match[1]);
          } else {
            non2xx++;
          }
          done++;
          finish();
        });
      });
      call.on('error', () => {
        errors++;
        done++;
        finish();
      });
      call.end(req.body);
    };
    const tick = () => {
      const due = Math.min(total, Math.floor((elapsedMs() * rate) / 1000) + 1);
      while (sent < due && sent - done < maxInFlight) send();
      if (sent < total) setTimeout(tick, Math.max(0, ((sent * 1000) / rate) - elapsedMs()));
      else finish();
    };
    tick();
  });
}

module.exports = { login, lastModified, workload, drive, pace };
