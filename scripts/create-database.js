#!/usr/bin/env node
// Creates DB_NAME if it does not exist (the migrations need an existing database).
const mysql = require('mysql2/promise');

try {
  process.loadEnvFile();
} catch {
  // no .env
}

(async () => {
  const name = process.env.DB_NAME || 'messaging';
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`DB_NAME ${name} may hold letters, digits and _ only`);
  // DB_SOCKET_PATH as the api and the migrations read it: the socket, DB_HOST and DB_PORT unused.
  const socketPath = process.env.DB_SOCKET_PATH || undefined;
  const connection = await mysql.createConnection({
    ...(socketPath ? { socketPath } : { host: process.env.DB_HOST || '127.0.0.1', port: Number(process.env.DB_PORT || 3306) }),
    user: process.env.DB_USER || 'root',
    password: process.env.DB_PASSWORD || '',
  });
  await connection.query(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  await connection.end();
})().catch((err) => {
  console.error(`Could not create the database: ${err.message}`);
  process.exit(1);
});
