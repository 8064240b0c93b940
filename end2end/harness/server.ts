// Starting berth-server for the run: the executable, a free port, the environment every Berth
// process of the run gets, and waiting until it answers ready. Used by global-setup.ts for the
// run's server, and by tests that need one more server configured differently
// (startExtraServer, e.g. a short session idle timeout).
import { randomBytes } from 'node:crypto';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { type Child, describeExit, requireEnv, startChild, stopChild, tail } from './berth';

const READY_TIMEOUT_MS = 60_000;

export function executable(name: string): string {
  const path = requireEnv(name);
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(`${name}=${path} is not an executable file: run the suite with \`cargo xtask test\`.`);
  }
  return path;
}

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? ok(addr.port) : fail(new Error('no port'))));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function failure(c: Child, what: string): Error {
  return new Error(`${what}: ${describeExit(c)}. Tail of ${c.logPath}:\n${tail(c.logPath)}`);
}

/**
 * The environment of a Berth process of the run on `port`: the run's database and Redis (under
 * `redisKeyPrefix`, so sessions and sign-in counters stay apart from other runs and servers),
 * the built site, the Proxmox VE simulator, JSON logs. Throws naming a missing variable.
 */
export function berthEnv(port: number, databaseUrl: string, redisKeyPrefix: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    BERTH_DATABASE_URL: databaseUrl,
    BERTH_REDIS_URL: requireEnv('BERTH_TEST_REDIS_URL'),
    BERTH_LISTEN: `127.0.0.1:${port}`,
    BERTH_SITE_ROOT: requireEnv('BERTH_E2E_SITE_ROOT'),
    BERTH_LOG_FORMAT: 'json',
    BERTH_WORKER_HEARTBEAT_SECS: '1',
    BERTH_REDIS_KEY_PREFIX: redisKeyPrefix,
    // The Proxmox VE simulator that `cargo xtask test` started for this run.
    BERTH_PVE_URL: requireEnv('BERTH_E2E_PVE_URL'),
    BERTH_PVE_TOKEN: requireEnv('BERTH_E2E_PVE_TOKEN'),
    BERTH_PVE_CA_FILE: requireEnv('BERTH_E2E_PVE_CA_FILE'),
  };
}

/** Polls `url` until it answers 200; throws (with the children's log tails) if one exits first. */
export async function waitReady(url: string, children: Child[]): Promise<void> {
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

export interface ExtraServer {
  baseUrl: string;
  /** The running process (a new one after `start`). */
  readonly child: Child;
  /** SIGTERM (SIGKILL after 10 s); a warning with the log tail if it did not stop cleanly. */
  stop(): Promise<void>;
  /** Starts it again after `stop`, on the same port with the same settings; waits until ready. */
  start(): Promise<void>;
}

/**
 * Starts one more berth-server beside the run's: the same binary, database (already migrated,
 * with the run's users) and Redis, but its own port, public URL and Redis key prefix, with
 * `settings` (BERTH_* variables) on top. It relies on the run's worker for readiness. The caller
 * stops it, normally in `afterAll`. Logs to `<logDir>/berth-server-<name>.log`.
 */
export async function startExtraServer(
  name: string,
  logDir: string,
  settings: Record<string, string>,
): Promise<ExtraServer> {
  const serverBin = executable('BERTH_E2E_SERVER_BIN');
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const prefix = `berth_e2e_${name}_${randomBytes(6).toString('hex')}:`;
  const env = {
    ...berthEnv(port, requireEnv('BERTH_E2E_DATABASE_URL'), prefix),
    BERTH_PUBLIC_URL: baseUrl,
    ...settings,
  };
  let starts = 0;
  const launch = async (): Promise<Child> => {
    starts += 1;
    const log = join(logDir, starts === 1 ? `berth-server-${name}.log` : `berth-server-${name}-${starts}.log`);
    const child = startChild(`berth-server (${name})`, serverBin, [], env, log);
    try {
      await waitReady(`${baseUrl}/api/ready`, [child]);
    } catch (e) {
      await stopChild(child);
      throw e;
    }
    return child;
  };
  let child = await launch();
  return {
    baseUrl,
    get child() {
      return child;
    },
    stop: () => stopChild(child),
    start: async () => {
      child = await launch();
    },
  };
}
