#!/usr/bin/env node
// A stand-in for File Browser, shipped in the Berth e2e mirror's release tarball (see
// harness/mirror/filebrowser.ts, which fills in the __NAME__ placeholders). It takes the
// commands install-filebrowser runs, with node's standard library only:
//
//   filebrowser version
//   filebrowser --database DB config init                      creates DB (fails if it exists)
//   filebrowser --database DB users add NAME PASSWORD [--perm.admin]
//   filebrowser --database DB --address A --port P --root DIR  serves HTTP (GET /health)
//
// The database is JSON, not bolt: {"users":[{"id","username","password_sha256","perm":{"admin"}}]}
// (a sha256 where the real one keeps a bcrypt hash; never the password). The sandboxes share the
// host's network, so a wildcard address (0.0.0.0, ::) binds the container's own address,
// $BERTH_SIM_IPV4 (127.0.0.1 without it).
'use strict';
const { createHash } = require('node:crypto');
const { existsSync, readFileSync, statSync, writeFileSync } = require('node:fs');
const { createServer } = require('node:http');

const VERSION = '__VERSION__';
const VALUE_FLAGS = { database: 'd', address: 'a', port: 'p', root: 'r', baseurl: 'b', log: 'l' };

function fail(message) {
  console.error(`Error: ${message}`);
  process.exit(1);
}

/** Flags in any order (`--flag value`, `--flag=value`, `-f value`); `--perm.*` are booleans. */
function parseArgs(argv) {
  const flags = {};
  const words = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('-') || arg === '-') {
      words.push(arg);
      continue;
    }
    const [key, inline] = arg.replace(/^--?/, '').split(/=(.*)/s);
    const name = Object.keys(VALUE_FLAGS).find((f) => f === key || VALUE_FLAGS[f] === key);
    if (name) {
      const value = inline ?? argv[++i];
      if (value === undefined) fail(`flag needs an argument: ${arg}`);
      flags[name] = value;
    } else if (key.startsWith('perm.')) {
      flags[key] = inline === undefined || inline === 'true';
    } else {
      fail(`unknown flag: ${arg}`);
    }
  }
  return { flags, words };
}

const { flags, words } = parseArgs(process.argv.slice(2));
const database = flags.database || './filebrowser.db';
const command = words.join(' ');

function readDatabase() {
  if (!existsSync(database)) fail(`${database} does not exist. Please run 'filebrowser config init' first.`);
  try {
    return JSON.parse(readFileSync(database, 'utf8'));
  } catch (e) {
    fail(`cannot read the database ${database}: ${e.message}`);
  }
}

function serve() {
  readDatabase();
  const root = flags.root || '.';
  if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) fail(`the root ${root} is not a directory`);
  const port = Number(flags.port || '8080');
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`bad port '${flags.port}'`);
  let host = flags.address ?? '127.0.0.1';
  if (host === '' || host === '0.0.0.0' || host === '::') host = process.env.BERTH_SIM_IPV4 || '127.0.0.1';
  const page = `<!doctype html>
<html><head><meta charset="utf-8"><title>File Browser</title></head>
<body><h1>File Browser</h1><p>Berth e2e stand-in, File Browser v${VERSION}.</p><ul></ul></body></html>
`;
  const server = createServer((req, res) => {
    if (req.method === 'GET' && (req.url || '/').split('?')[0] === '/health') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"OK"}');
    } else {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page);
    }
  });
  server.on('error', (e) => fail(`cannot listen on ${host}:${port}: ${e.message}`));
  server.listen(port, host, () => console.log(`Listening on ${host}:${server.address().port}`));
  for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
}

if (command === 'version') {
  console.log(`File Browser v${VERSION}/deadbeef`);
} else if (command === 'config init') {
  try {
    writeFileSync(database, '{"users":[]}\n', { flag: 'wx', mode: 0o600 });
  } catch (e) {
    fail(e.code === 'EEXIST' ? `the database ${database} already exists` : e.message);
  }
  console.log(`Database: ${database}\nUsers: none`);
} else if (words[0] === 'users' && words[1] === 'add') {
  if (words.length !== 4) fail('usage: filebrowser users add <username> <password> [flags]');
  const [, , username, password] = words;
  const db = readDatabase();
  if (db.users.some((u) => u.username === username)) fail('the resource already exists');
  const id = db.users.reduce((max, u) => Math.max(max, u.id), 0) + 1;
  const passwordSha256 = createHash('sha256').update(password).digest('hex');
  db.users.push({ id, username, password_sha256: passwordSha256, perm: { admin: flags['perm.admin'] === true } });
  writeFileSync(database, `${JSON.stringify(db)}\n`);
  console.log(`ID\tUsername\tAdmin\n${id}\t${username}\t${flags['perm.admin'] === true}`);
} else if (command === '') {
  serve();
} else {
  fail(`unknown command "${words[0]}" for "filebrowser"`);
}
