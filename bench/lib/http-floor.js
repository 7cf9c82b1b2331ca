'use strict';
// The floor behind the plainest HTTP server Node has: node:http, the body read and parsed
// with JSON.parse, the floor's statements for the e-mail it carries, a small JSON answer.
// No framework, authentication, validation, logging or queue: what HTTP alone adds to the
// floor on this machine, the same load generator driving it as the api. Run by bench/run.js
// (section 1) as its own process, so that its CPU is measured like the api's.
const http = require('node:http');
const { openPool, oneStart } = require('./floor');

async function main() {
  const env = process.env;
  const config = { DB_HOST: env.DB_HOST, DB_PORT: Number(env.DB_PORT), DB_SOCKET_PATH: env.DB_SOCKET_PATH, DB_USER: env.DB_USER, DB_PASSWORD: env.DB_PASSWORD };
  const pool = await openPool({ config, database: env.FLOOR_DATABASE, poolSize: Number(env.FLOOR_POOL_SIZE) });
  const answer = (res, status, document) => {
    const text = JSON.stringify(document);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const start = async (body) => {
    const email = JSON.parse(body).activity.customer.contacts.contact[0].email[0].emailAddress;
    const conn = await pool.getConnection();
    try {
      const { conversationId, activityId } = await oneStart(conn, email, env.FLOOR_CLIENT_APPLICATION_ID, pool.marks);
      return { conversation: { id: conversationId }, activity: { id: activityId } };
    } finally {
      conn.release();
    }
  };
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      start(Buffer.concat(chunks).toString()).then((doc) => answer(res, 200, doc), (err) => answer(res, 500, { error: err.message }));
    });
  });
  server.keepAliveTimeout = 30000;
  server.listen(Number(env.HTTP_PORT), '127.0.0.1');
  process.once('SIGTERM', () => {
    server.closeAllConnections();
    server.close();
    pool.end().finally(() => process.exit(0));
  });
}

main().catch((err) => {
  console.error(err.stack || err.message);
  process.exit(1);
});
