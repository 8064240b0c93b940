// Starts a private Berth for the run: a fresh database, `berth-server migrate`, then berth-worker
// and berth-server on a free port. Sets BERTH_E2E_BASE_URL for the workers (and the config's baseURL).
import { randomBytes } from 'node:crypto';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import type { FullConfig } from '@playwright/test';
import {
  type Child,
  type Harness,
  createDatabase,
  currentHarness,
  databaseUrl,
  describeExit,
  requireEnv,
  setHarness,
  shutdown,
  startChild,
  tail,
} from './berth';

const READY_TIMEOUT_MS = 60_000;
const MIGRATE_TIMEOUT_MS = 120_000;

function executable(name: string): string {
  const path = requireEnv(name);
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(`${name}=${path} is not an executable file: run the suite with \`cargo xtask test\`.`);
  }
  return path;
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? ok(addr.port) : fail(new Error('no port'))));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function failure(c: Child, what: string): Error {
  return new Error(`${what}: ${describeExit(c)}. Tail of ${c.logPath}:\n${tail(c.logPath)}`);
}

async function migrate(c: Child): Promise<void> {
  const timer = setTimeout(() => c.proc.kill('SIGKILL'), MIGRATE_TIMEOUT_MS);
  await c.exited;
  clearTimeout(timer);
  if (c.exit?.code !== 0) throw failure(c, '`berth-server migrate` failed');
}

async function waitReady(url: string, children: Child[]): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    const dead = children.find((c) => c.exit);
    if (dead) throw failure(dead, `${dead.name} exited during start-up`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
      last = `HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await sleep(250);
  }
  const logs = children.map((c) => `--- tail of ${c.logPath}\n${tail(c.logPath)}`).join('\n');
  console.error(`[berth-e2e] ${url} not ready after ${READY_TIMEOUT_MS / 1000}s (last: ${last})\n${logs}`);
  throw new Error(`Berth did not become ready within ${READY_TIMEOUT_MS / 1000}s (last: ${last}); logs above.`);
}

export default async function globalSetup(config: FullConfig): Promise<void> {
  const serverBin = executable('BERTH_E2E_SERVER_BIN');
  const workerBin = executable('BERTH_E2E_WORKER_BIN');
  const siteRoot = requireEnv('BERTH_E2E_SITE_ROOT');
  const adminUrl = requireEnv('BERTH_TEST_DATABASE_URL');
  const redisUrl = requireEnv('BERTH_TEST_REDIS_URL');
  // The Proxmox VE simulator that `cargo xtask test` started for this run.
  const pveUrl = requireEnv('BERTH_E2E_PVE_URL');
  const pveToken = requireEnv('BERTH_E2E_PVE_TOKEN');
  const pveCaFile = requireEnv('BERTH_E2E_PVE_CA_FILE');

  const logDir = resolve(config.projects[0]?.outputDir ?? join(__dirname, '..', 'test-results'));
  mkdirSync(logDir, { recursive: true });

  const harness: Harness = { adminUrl, children: [], crashed: [] };
  setHarness(harness);
  try {
    const database = `berth_e2e_${randomBytes(6).toString('hex')}`;
    await createDatabase(adminUrl, database);
    harness.database = database;

    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      BERTH_DATABASE_URL: databaseUrl(adminUrl, database),
      BERTH_REDIS_URL: redisUrl,
      BERTH_LISTEN: `127.0.0.1:${port}`,
      BERTH_SITE_ROOT: siteRoot,
      BERTH_LOG_FORMAT: 'json',
      BERTH_WORKER_HEARTBEAT_SECS: '1',
      BERTH_PVE_URL: pveUrl,
      BERTH_PVE_TOKEN: pveToken,
      BERTH_PVE_CA_FILE: pveCaFile,
    };

    await migrate(startChild('berth-server migrate', serverBin, ['migrate'], env, join(logDir, 'berth-migrate.log')));

    const worker = startChild('berth-worker', workerBin, [], env, join(logDir, 'berth-worker.log'));
    harness.children.push(worker);
    const server = startChild('berth-server', serverBin, [], env, join(logDir, 'berth-server.log'));
    harness.children.push(server);

    await waitReady(`${baseUrl}/api/ready`, harness.children);

    for (const c of harness.children) {
      void c.exited.then(() => {
        if (c.stopping) return;
        harness.crashed.push(c);
        console.error(`[berth-e2e] ${describeExit(c)} during the run: the run will fail (see ${c.logPath})`);
      });
    }
    process.env.BERTH_E2E_BASE_URL = baseUrl;
    process.env.BERTH_E2E_DATABASE_URL = env.BERTH_DATABASE_URL;
    console.log(`[berth-e2e] Berth ready at ${baseUrl} (database ${database}, logs in ${logDir})`);
  } catch (e) {
    // Clean up here: this harness is not handed to global teardown.
    if (currentHarness() === harness) setHarness(undefined);
    await shutdown(harness);
    throw e;
  }
}
