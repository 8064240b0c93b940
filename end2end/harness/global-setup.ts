// Starts a private Berth for the run: a fresh database, `berth-server migrate`, the run's users
// (`berth-server user create`), then berth-worker and berth-server on a free port, and finally
// signs in as the admin through the real login form to save the browser state every test starts
// from. Sets BERTH_E2E_BASE_URL and the users' credentials (BERTH_E2E_{ADMIN,VIEWER}_{USER,PASSWORD})
// for the workers, and BERTH_E2E_WORKER_SSH (`direct`: runs go through every stage; `off`: they
// stop before `connect`) with BERTH_E2E_WORKER_SSH_KEY (see worker-ssh.ts).
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type FullConfig, chromium } from '@playwright/test';
import { LoginPage } from '../pages/login-page';
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
import { startMirror } from './mirror';
import { startOidcProvider } from './oidc';
import { berthEnv, executable, failure, freePort, waitReady } from './server';
import { ADMIN_STORAGE_STATE, type Credentials, E2E_USERS, type E2eRole } from './users';
import { workerSsh } from './worker-ssh';

const MIGRATE_TIMEOUT_MS = 120_000;
const USER_CREATE_TIMEOUT_MS = 60_000;
const SIGN_IN_TIMEOUT_MS = 30_000;

/** Waits for a one-shot command; SIGKILL after timeoutMs. Throws with the log tail unless it exits 0. */
async function runToCompletion(c: Child, what: string, timeoutMs: number): Promise<void> {
  const timer = setTimeout(() => c.proc.kill('SIGKILL'), timeoutMs);
  await c.exited;
  clearTimeout(timer);
  if (c.exit?.code !== 0) throw failure(c, `${what} failed`);
}

/** 24 characters of [A-Za-z0-9_-]: a fresh password per user and run. */
const randomPassword = () => randomBytes(18).toString('base64url');

/** `berth-server user create … --password-stdin` for each role, one after the other. */
async function createUsers(
  serverBin: string,
  env: NodeJS.ProcessEnv,
  logDir: string,
): Promise<Record<E2eRole, Credentials>> {
  const created = {} as Record<E2eRole, Credentials>;
  for (const role of Object.keys(E2E_USERS) as E2eRole[]) {
    const { username } = E2E_USERS[role];
    const password = randomPassword();
    const args = ['user', 'create', '--username', username, '--role', role, '--password-stdin'];
    const logPath = join(logDir, `berth-user-create-${username}.log`);
    const c = startChild(`berth-server user create ${username}`, serverBin, args, env, logPath, `${password}\n`);
    await runToCompletion(c, `\`berth-server user create --username ${username} --role ${role}\``, USER_CREATE_TIMEOUT_MS);
    created[role] = { username, password };
  }
  return created;
}

/**
 * Signs in through the real login form (what a person does) and saves the cookies to statePath,
 * the file the config's `use.storageState` names. Checks that the session opens a page.
 */
async function saveSignedInState(
  config: FullConfig,
  baseUrl: string,
  user: Credentials,
  statePath: string,
  server: Child,
): Promise<void> {
  const launchOptions = config.projects[0]?.use.launchOptions ?? {};
  const browser = await chromium.launch(launchOptions);
  try {
    const context = await browser.newContext({ baseURL: baseUrl });
    context.setDefaultTimeout(SIGN_IN_TIMEOUT_MS);
    const page = await context.newPage();
    const login = new LoginPage(page);
    const fail = async (what: string) => {
      const shown = await login.error.textContent({ timeout: 1_000 }).catch(() => null);
      return new Error(
        `Global setup could not sign in as ${user.username}: ${what} (at ${page.url()}` +
          `${shown ? `, the page says ${JSON.stringify(shown.trim())}` : ''}). ` +
          `${server.exit ? `${describeExit(server)}. ` : ''}Tail of ${server.logPath}:\n${tail(server.logPath)}`,
      );
    };
    try {
      await login.goto();
      await login.signIn(user.username, user.password);
      // Either the overview (success) or /login?error=… (failure).
      await page.waitForURL((u) => u.pathname !== '/login' || u.searchParams.has('error'));
    } catch (e) {
      throw await fail((e as Error).message.split('\n')[0] ?? 'error');
    }
    if (new URL(page.url()).pathname !== '/') throw await fail('the login form did not lead to /');
    if ((await context.cookies()).length === 0) throw await fail('no session cookie was set');
    try {
      await page.getByTestId('user-menu').waitFor();
    } catch {
      throw await fail('no user menu (data-testid="user-menu") on the page after signing in');
    }
    mkdirSync(dirname(statePath), { recursive: true });
    await context.storageState({ path: statePath });
  } finally {
    await browser.close();
  }
}

export default async function globalSetup(config: FullConfig): Promise<void> {
  const serverBin = executable('BERTH_E2E_SERVER_BIN');
  const workerBin = executable('BERTH_E2E_WORKER_BIN');
  const adminUrl = requireEnv('BERTH_TEST_DATABASE_URL');

  const logDir = resolve(config.projects[0]?.outputDir ?? join(__dirname, '..', 'test-results'));
  mkdirSync(logDir, { recursive: true });

  const harness: Harness = { adminUrl, children: [], crashed: [] };
  setHarness(harness);
  try {
    const database = `berth_e2e_${randomBytes(6).toString('hex')}`;
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    // Sessions and sign-in counters of this run only, even on a Redis other runs share. Built
    // before the database, so that a missing variable stops the run before anything is created.
    const env = berthEnv(port, databaseUrl(adminUrl, database), `${database}:`);
    await createDatabase(adminUrl, database);
    harness.database = database;

    // The OpenID provider first: berth-server's OIDC settings name its issuer.
    const oidc = await startOidcProvider(baseUrl, logDir);
    harness.children.push(oidc.child);

    const migrate = startChild('berth-server migrate', serverBin, ['migrate'], env, join(logDir, 'berth-migrate.log'));
    await runToCompletion(migrate, '`berth-server migrate`', MIGRATE_TIMEOUT_MS);
    const users = await createUsers(serverBin, env, logDir);

    const ssh = workerSsh(logDir);
    console.log(`[berth-e2e] ${ssh.note}`);
    const workerEnv: NodeJS.ProcessEnv = { ...env, ...ssh.env };
    if (ssh.mode === 'direct') {
      // Templates' scripts download from the run's mirror, through the site env file every
      // script gets (BERTH_WORKER_SCRIPT_ENV_FILE), as a site without internet would set it up.
      const mirror = await startMirror(join(logDir, 'mirror'), logDir);
      harness.servers = [mirror];
      const envFile = join(logDir, 'script-env');
      const lines = Object.entries(mirror.env).map(([k, v]) => `${k}=${v}\n`);
      writeFileSync(envFile, `# The run's artifact mirror (harness/mirror.ts).\n${lines.join('')}`);
      workerEnv.BERTH_WORKER_SCRIPT_ENV_FILE = envFile;
      process.env.BERTH_E2E_NODE_VERSION = mirror.nodeVersion;
      console.log(`[berth-e2e] artifact mirror at ${mirror.url} (Node.js ${mirror.nodeVersion})`);
    }
    const worker = startChild('berth-worker', workerBin, [], workerEnv, join(logDir, 'berth-worker.log'));
    harness.children.push(worker);
    const serverEnv = { ...env, ...oidc.env };
    const server = startChild('berth-server', serverBin, [], serverEnv, join(logDir, 'berth-server.log'));
    harness.children.push(server);

    await waitReady(`${baseUrl}/api/ready`, harness.children);
    await saveSignedInState(config, baseUrl, users.admin, ADMIN_STORAGE_STATE, server);

    for (const c of harness.children) {
      void c.exited.then(() => {
        if (c.stopping) return;
        harness.crashed.push(c);
        console.error(`[berth-e2e] ${describeExit(c)} during the run: the run will fail (see ${c.logPath})`);
      });
    }
    process.env.BERTH_E2E_BASE_URL = baseUrl;
    process.env.BERTH_E2E_OIDC_ISSUER = oidc.issuer;
    process.env.BERTH_E2E_DATABASE_URL = env.BERTH_DATABASE_URL;
    process.env.BERTH_E2E_WORKER_SSH = ssh.mode;
    if (ssh.key) process.env.BERTH_E2E_WORKER_SSH_KEY = ssh.key;
    for (const role of Object.keys(E2E_USERS) as E2eRole[]) {
      process.env[E2E_USERS[role].userVar] = users[role].username;
      process.env[E2E_USERS[role].passwordVar] = users[role].password;
    }
    console.log(`[berth-e2e] Berth ready at ${baseUrl} (database ${database}, logs in ${logDir})`);
  } catch (e) {
    // Clean up here: this harness is not handed to global teardown.
    if (currentHarness() === harness) setHarness(undefined);
    await shutdown(harness);
    throw e;
  }
}
