#!/usr/bin/env node
// A stand-in for code-server, shipped in the Berth e2e mirror's code-server .deb (see
// harness/mirror/code-server.ts, which fills in the __NAME__ placeholders). It is not VS Code:
// it reads the config the way code-server does and answers the endpoints Berth and the tests
// look at (/healthz, /login), with node's standard library only.
//
//   code-server --version   prints `<version> <commit> with Code <code version>`
//   code-server             serves HTTP at bind-addr from $HOME/.config/code-server/config.yaml
//
// The sandboxes share the host's network, so a wildcard bind-addr (0.0.0.0, ::) binds the
// container's own address, $BERTH_SIM_IPV4 (127.0.0.1 without it): two containers' code-servers
// on port 8080 must not collide, and the host must not see one on 0.0.0.0.
'use strict';
const { readFileSync } = require('node:fs');
const { createServer } = require('node:http');
const { homedir } = require('node:os');
const { join } = require('node:path');

const VERSION = '__VERSION__';
const COMMIT = '__COMMIT__';
const CODE_VERSION = '__CODE_VERSION__';

function fail(message) {
  console.error(`code-server: error: ${message}`);
  process.exit(1);
}

/** `key: value` lines; values may be quoted ('…' with '' for a quote, or "…"). No nesting. */
function parseConfig(text) {
  const config = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    let value = line.slice(colon + 1).trim();
    if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) {
      value = value.slice(1, -1).replaceAll("''", "'");
    } else if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
      try {
        value = JSON.parse(value);
      } catch {
        value = value.slice(1, -1);
      }
    }
    config[line.slice(0, colon).trim()] = value;
  }
  return config;
}

/** `host:port` (IPv6 in brackets) → [host, port]; a wildcard host → this container's address. */
function bindAddress(bindAddr) {
  const colon = bindAddr.lastIndexOf(':');
  const port = Number(bindAddr.slice(colon + 1));
  if (colon < 0 || !Number.isInteger(port) || port < 0 || port > 65535) fail(`bad bind-addr '${bindAddr}'`);
  let host = bindAddr.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  if (host === '' || host === '0.0.0.0' || host === '::') host = process.env.BERTH_SIM_IPV4 || '127.0.0.1';
  return [host, port];
}

const args = process.argv.slice(2);
if (args.includes('--version') || args.includes('-v')) {
  console.log(`${VERSION} ${COMMIT} with Code ${CODE_VERSION}`);
  process.exit(0);
}
if (args.length > 0) fail(`this stand-in takes no arguments but --version (got: ${args.join(' ')})`);

const configPath = join(homedir(), '.config', 'code-server', 'config.yaml');
let text;
try {
  text = readFileSync(configPath, 'utf8');
} catch (e) {
  fail(`cannot read the config ${configPath}: ${e.message}`);
}
const config = parseConfig(text);
const auth = config.auth || 'password';
if (auth !== 'password' && auth !== 'none') fail(`unknown auth '${auth}' in ${configPath}`);
if (auth === 'password' && !config.password && !process.env.PASSWORD) {
  fail(`auth is password but ${configPath} sets no password`);
}
const [host, port] = bindAddress(config['bind-addr'] || '127.0.0.1:8080');

const LOGIN_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>code-server login</title></head>
<body><h1>Welcome to code-server</h1><p>Berth e2e stand-in, code-server ${VERSION}.</p>
<form method="post"><input type="password" name="password" autofocus><button>Submit</button></form></body></html>
`;

const server = createServer((req, res) => {
  const path = (req.url || '/').split('?')[0];
  if (req.method === 'GET' && path === '/healthz') {
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"alive","lastHeartbeat":0}');
  } else if (req.method === 'GET' && path === '/login') {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(LOGIN_PAGE);
  } else {
    res.writeHead(302, { Location: '/login' }).end();
  }
});
server.on('error', (e) => fail(`cannot listen on ${host}:${port}: ${e.message}`));
server.listen(port, host, () => {
  const shown = host.includes(':') ? `[${host}]` : host;
  console.log(`HTTP server listening on http://${shown}:${server.address().port}/`);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
