// Process and database handling shared by global-setup.ts and global-teardown.ts.
// Both run in Playwright's runner process, so the running harness is kept on globalThis.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { Client } from 'pg';

export interface Child {
  name: string;
  proc: ChildProcess;
  logPath: string;
  exited: Promise<void>;
  exit?: { code: number | null; signal: NodeJS.Signals | null };
  stopping: boolean;
}

export interface Harness {
  adminUrl: string;
  database?: string;
  children: Child[];
  /** Children that exited on their own after start-up: the run fails in teardown. */
  crashed: Child[];
  /** In-process servers of the run (the artifact mirror), stopped after the children. */
  servers?: { stop(): Promise<void> }[];
}

const KEY = Symbol.for('berth.e2e.harness');
type Global = typeof globalThis & { [KEY]?: Harness };

export function currentHarness(): Harness | undefined {
  return (globalThis as Global)[KEY];
}

export function setHarness(h: Harness | undefined): void {
  (globalThis as Global)[KEY] = h;
}

export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set. The end-to-end suite needs built Berth binaries and test services: ` +
        'run it with `cargo xtask test`, which builds everything and sets the BERTH_E2E_* / BERTH_TEST_* variables.',
    );
  }
  return value;
}

export function tail(path: string, lines = 40): string {
  try {
    const text = readFileSync(path, 'utf8').trimEnd();
    return text.split('\n').slice(-lines).join('\n') || '(empty)';
  } catch (e) {
    return `(cannot read ${path}: ${(e as Error).message})`;
  }
}

export function describeExit(c: Child): string {
  const e = c.exit;
  if (!e) return `${c.name} is still running`;
  return `${c.name} exited (${e.signal ? `signal ${e.signal}` : `code ${e.code}`})`;
}

/**
 * Spawns `bin args` with stdout+stderr written to logPath (truncated first). With `stdin`, the
 * child reads that text on standard input (then end of file); otherwise its stdin is /dev/null.
 */
export function startChild(
  name: string,
  bin: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  logPath: string,
  stdin?: string,
): Child {
  const fd = openSync(logPath, 'w');
  let proc: ChildProcess;
  try {
    proc = spawn(bin, args, { env, stdio: [stdin === undefined ? 'ignore' : 'pipe', fd, fd] });
  } finally {
    closeSync(fd); // the child holds its own copy
  }
  if (stdin !== undefined && proc.stdin) {
    // EPIPE if the child exits without reading: its exit code and log tell why.
    proc.stdin.on('error', () => {});
    proc.stdin.end(stdin);
  }
  const child: Child = { name, proc, logPath, stopping: false, exited: Promise.resolve() };
  child.exited = new Promise((resolve) => {
    proc.once('error', (err) => {
      child.exit = { code: -1, signal: null };
      console.error(`[berth-e2e] cannot start ${name} (${bin}): ${err.message}`);
      resolve();
    });
    proc.once('exit', (code, signal) => {
      child.exit = { code, signal };
      resolve();
    });
  });
  return child;
}

// A function, so that TypeScript does not keep c.exit narrowed across an await.
const exitedCleanly = (c: Child): boolean => c.exit?.code === 0;

/** SIGTERM, then SIGKILL after graceMs. Warns when the child did not stop cleanly. */
export async function stopChild(c: Child, graceMs = 10_000): Promise<void> {
  if (c.exit) return;
  c.stopping = true;
  c.proc.kill('SIGTERM');
  const timer = setTimeout(() => {
    console.warn(`[berth-e2e] ${c.name} still running ${graceMs / 1000}s after SIGTERM: SIGKILL`);
    c.proc.kill('SIGKILL');
  }, graceMs);
  await c.exited;
  clearTimeout(timer);
  if (!exitedCleanly(c)) {
    console.warn(`[berth-e2e] ${describeExit(c)} after SIGTERM; log tail:\n${tail(c.logPath)}`);
  }
}

// Last resort if the runner exits without teardown: never leave servers behind.
process.once('exit', () => {
  for (const c of currentHarness()?.children ?? []) if (!c.exit) c.proc.kill('SIGKILL');
});

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdmin<T>(adminUrl: string, f: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: adminUrl });
  await db.connect();
  try {
    return await f(db);
  } finally {
    await db.end();
  }
}

/** The name must be a safe identifier: callers only pass berth_e2e_<hex>. */
export async function createDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdmin(adminUrl, (db) => db.query(`CREATE DATABASE "${name}"`));
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdmin(adminUrl, (db) => db.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** Stops every child and drops the database; returns the children that had crashed. */
export async function shutdown(h: Harness): Promise<Child[]> {
  await Promise.all(h.children.map((c) => stopChild(c)));
  await Promise.all((h.servers ?? []).map((s) => s.stop()));
  if (h.database) {
    try {
      await dropDatabase(h.adminUrl, h.database);
    } catch (e) {
      console.warn(`[berth-e2e] could not drop database ${h.database}: ${(e as Error).message}`);
    }
  }
  return h.crashed;
}
