#!/usr/bin/env node
// Creates DB_NAME if it does not exist (the migrations need an existing database). Runs after
// the build (`npm start` builds first), so it reads and validates the settings as the api and
// the migrations do: a wrong value stops it before it connects, with the same message.
require('reflect-metadata');
const mysql = require('mysql2/promise');
const { configOrExit } = require('../dist/src/platform/config/config-or-exit');
const { loadEnvFile } = require('../dist/src/platform/config/load-env');
const { databaseEndpoint } = require('../dist/src/platform/database/data-source-options');

loadEnvFile();
const config = configOrExit();

(async () => {
  // DB_SOCKET_PATH as the api and the migrations read it: the socket, DB_HOST and DB_PORT unused.
  const connection = await mysql.createConnection({ ...databaseEndpoint(config), user: config.DB_USER, password: config.DB_PASSWORD });
  // DB_NAME holds letters, digits and _ only (validated).
  await connection.query(`CREATE DATABASE IF NOT EXISTS \`${config.DB_NAME}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  await connection.end();
})().catch((err) => {
  console.error(`Could not create the database: ${err.message}`);
  process.exit(1);
});
