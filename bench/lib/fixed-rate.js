'use strict';
// What bench/ab.js compares between two builds: the api's CPU per start at a fixed rate.
const { cpuSeconds } = require('./platform');
const { pace } = require('./load');

/**
 * Api CPU per 2xx start while starts leave at an even pace (`pace`: request i at i/rate).
 * Not autocannon's `overallRate`: it gives each connection a quota of rate/connections per
 * second, reset by a one-second timer started with the connection, and each connection sends its
 * quota back to back, one request per answer; so the whole second's starts go out at once at full
 * concurrency and nothing follows until the next second. What such an A/B measures is the api
 * working through a burst, with its queueing and batching, not the api at the stated rate.
 */
async function cpuAtFixedRate(baseUrl, pid, load, { rate, duration }) {
  const before = cpuSeconds(pid);
  const run = await pace(baseUrl, load, { rate, duration });
  return { ...run, cpuMs: ((cpuSeconds(pid) - before) * 1000) / Math.max(1, run.ok) };
}

module.exports = { cpuAtFixedRate };
