// OpenID Connect single sign-on against the run's real OpenID provider (oidc-provider, started by
// global setup): the login page lists the providers; a real sign-in lands signed in with the role
// the groups claim maps to; a wrong `state`, a replayed callback (code) and an ID token for another
// audience each land on /login?error=sso with no session.
import type { BrowserContext, Page } from '@playwright/test';
import { SIGNED_OUT, baseUrl, expect, test, whereIs } from '../fixtures';
import { OIDC_LABEL } from '../harness/oidc';
import { AppShell } from '../pages/app-shell';
import { LoginPage, SESSION_COOKIE } from '../pages/login-page';

const SSO_ERROR = 'Single sign-on failed. Try again or use another way to sign in.';
const CALLBACK = '/auth/oidc/test/callback';

test.use({ storageState: SIGNED_OUT });

/** From /login?next=<next>, "Sign in with <label>", then the provider's form as `account`. */
async function signInThroughProvider(page: Page, account: string, label = OIDC_LABEL, next = '/jobs') {
  await new LoginPage(page).goto(next);
  await page.getByRole('link', { name: `Sign in with ${label}` }).click();
  await expect(page.getByRole('heading', { name: 'Test provider sign-in' })).toBeVisible();
  await page.getByLabel('Account').fill(account);
  await page.getByRole('button', { name: 'Continue' }).click();
}

async function hasSession(context: BrowserContext): Promise<boolean> {
  return (await context.cookies()).some((c) => c.name === SESSION_COOKIE && c.value !== '');
}

async function expectRefused(page: Page): Promise<void> {
  await expect.poll(() => whereIs(page.url())).toMatchObject({ path: '/login', query: { error: 'sso' } });
  await expect(new LoginPage(page).error).toHaveText(SSO_ERROR);
  expect(await hasSession(page.context()), 'no session cookie after a refused sign-in').toBe(false);
  // And no session on the server either: a page still sends us to sign in.
  await page.goto('/jobs');
  await expect.poll(() => whereIs(page.url()).path).toBe('/login');
}

test('the login page offers each provider as a plain link keeping next', async ({ page }) => {
  await new LoginPage(page).goto('/jobs');
  const link = page.getByRole('link', { name: `Sign in with ${OIDC_LABEL}` });
  await expect(link).toHaveAttribute('href', '/auth/oidc/test/start?next=/jobs');
  await expect(page.getByRole('link', { name: 'Sign in with Misconfigured IdP' })).toBeVisible();
});

for (const { account, name, role } of [
  { account: 'alice', name: 'Alice Admin', role: 'admin' },
  { account: 'olivia', name: 'Olivia Operator', role: 'operator' },
]) {
  test(`signing in as ${account} lands on next with the role from the groups claim (${role})`, async ({ page }) => {
    await signInThroughProvider(page, account);
    await expect.poll(() => whereIs(page.url()).path).toBe('/jobs');
    const shell = new AppShell(page);
    await expect(shell.userMenu).toContainText(name);
    await expect(shell.userMenu).toContainText(role);
    expect(await hasSession(page.context())).toBe(true);
    // No token reached the browser, and the pre-login cookie is gone. (The provider's own
    // `_session` cookies share the host: cookies do not tell ports apart.)
    const cookies = await page.context().cookies(baseUrl());
    expect(cookies.map((c) => c.name)).not.toContain('berth_oidc_flow');
    expect(cookies.filter((c) => /^eyJ[\w-]*\.[\w-]*\./.test(c.value))).toEqual([]);
  });
}

test('a wrong state is refused', async ({ page }) => {
  // Redirects cannot be intercepted, so take the provider's side by hand from the sign-in form's
  // POST on (same cookies as the page), keep the redirect back to Berth, and show a stub instead.
  let callback: string | undefined;
  await page.route(
    (url) => url.pathname.startsWith('/interaction/') && url.pathname.endsWith('/login'),
    async (route) => {
      const posted = await route.fetch({ maxRedirects: 0 });
      const resume = new URL(posted.headers()['location'] ?? '', route.request().url());
      const back = await page.request.get(resume.toString(), { maxRedirects: 0 });
      callback = new URL(back.headers()['location'] ?? '', resume).toString();
      await route.fulfill({ status: 200, contentType: 'text/html', body: '<title>held</title><link rel="icon" href="data:,">' });
    },
  );
  await signInThroughProvider(page, 'victor');
  await expect.poll(() => callback).toContain(CALLBACK);
  await page.unrouteAll();
  const forged = new URL(callback ?? '');
  expect(forged.searchParams.get('state')).toBeTruthy();
  forged.searchParams.set('state', 'forged-state');
  await page.goto(forged.toString());
  await expectRefused(page);
});

test('a replayed authorization code is refused', async ({ page, browser }) => {
  let callback: string | undefined;
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === CALLBACK) callback = r.url();
  });
  await signInThroughProvider(page, 'victor');
  await expect.poll(() => whereIs(page.url()).path).toBe('/jobs');
  expect(callback, 'the callback URL was seen').toBeDefined();

  // The same URL in a fresh browser: refused.
  const context = await browser.newContext({ storageState: SIGNED_OUT, baseURL: baseUrl() });
  try {
    const fresh = await context.newPage();
    await fresh.goto(callback ?? '');
    await expectRefused(fresh);
  } finally {
    await context.close();
  }
  // And in the browser that used it, once signed out locally: refused, no new session.
  await page.context().clearCookies();
  await page.goto(callback ?? '');
  await expectRefused(page);
});

test('an ID token for another audience is refused', async ({ page }) => {
  await signInThroughProvider(page, 'alice', 'Misconfigured IdP');
  await expectRefused(page);
});
