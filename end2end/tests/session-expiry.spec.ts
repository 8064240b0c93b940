// Idle expiry in a real browser. The run's server keeps the default 30-minute idle timeout, so
// this file starts a second berth-server of the run (same database and users, its own port and
// Redis key prefix) with BERTH_SESSION_IDLE_SECS=2 and signs in there twice through the login
// form. Over the same few seconds one session is used about every second and the other is left
// alone: the used one stays signed in well past the timeout, the idle one is sent to /login.
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { SIGNED_OUT, credentials, expect, expectNoProblems, test, watchPage, whereIs } from '../fixtures';
import { type ExtraServer, startExtraServer } from '../harness/server';
import { AppShell } from '../pages/app-shell';
import { LoginPage } from '../pages/login-page';

const IDLE_MS = 2_000;
/** The used session gets a request this long after its previous one, this many times. */
const USE_EVERY_MS = 1_000;
const USES = 4;

let server: ExtraServer | undefined;

test.beforeAll(async ({}, testInfo) => {
  server = await startExtraServer('idle', testInfo.project.outputDir, {
    BERTH_SESSION_IDLE_SECS: String(IDLE_MS / 1000),
  });
});

test.afterAll(async () => {
  await server?.stop();
  server = undefined;
});

interface Signed {
  context: BrowserContext;
  page: Page;
  /** When the server last answered this page: when its session was last used. */
  lastUse: () => number;
}

/** A fresh browser context on the short-idle server, signed in as the viewer through the form. */
async function signedIn(browser: Browser, problems: string[]): Promise<Signed> {
  if (!server) throw new Error('the short-idle berth-server did not start (see beforeAll)');
  const context = await browser.newContext({ baseURL: server.baseUrl, storageState: SIGNED_OUT });
  const page = await context.newPage();
  watchPage(page, problems);
  let lastUse = Date.now();
  page.on('response', () => {
    lastUse = Date.now();
  });
  const { username, password } = credentials('viewer');
  const login = new LoginPage(page);
  await login.goto();
  await login.signIn(username, password);
  // Waited for by event, not by polling: with a 2 s timeout, a poll's late look would count.
  await page.waitForURL((url) => url.pathname === '/');
  const shell = new AppShell(page);
  await expect(shell.userMenu).toBeVisible();
  // Let the page finish loading, so that leaving it aborts nothing.
  await shell.waitForHydration();
  return { context, page, lastUse: () => lastUse };
}

test('a session used every second outlives the idle timeout, one left unused is sent to /login', async ({
  browser,
}) => {
  const problems: string[] = [];
  const contexts: BrowserContext[] = [];
  try {
    // One after the other, the idle one first: a session that waited for the other sign-in
    // would already have been idle for as long as that took.
    const idle = await signedIn(browser, problems);
    contexts.push(idle.context);
    // Leave Berth altogether: a page that stayed open could keep its session in use by itself.
    await idle.page.goto('about:blank');
    const idleSince = Date.now();
    const used = await signedIn(browser, problems);
    contexts.push(used.context);

    const shell = new AppShell(used.page);
    for (let use = 1; use <= USES; use++) {
      await used.page.waitForTimeout(Math.max(0, used.lastUse() + USE_EVERY_MS - Date.now()));
      const unused = Date.now() - used.lastUse();
      const path = use % 2 === 1 ? '/jobs' : '/containers';
      await used.page.goto(path);
      const when = `use ${use}, ${((Date.now() - idleSince) / 1000).toFixed(1)} s in, after ${unused} ms unused`;
      expect(whereIs(used.page.url()).path, `${when}: still signed in`).toBe(path);
      await shell.waitForHydration();
    }
    await expect(shell.userMenu).toBeVisible();

    expect(Date.now() - idleSince, 'the idle session was left alone longer than the timeout').toBeGreaterThan(
      IDLE_MS + 1_000,
    );
    await idle.page.goto('/jobs');
    await expect.poll(() => whereIs(idle.page.url())).toMatchObject({ path: '/login', query: { next: '/jobs' } });
    await expect(new LoginPage(idle.page).heading).toHaveText('Sign in');
    expectNoProblems(problems);
  } finally {
    await Promise.all(contexts.map((c) => c.close()));
  }
});
