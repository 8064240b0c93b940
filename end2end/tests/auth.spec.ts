// Local sign-in: every page but /login needs a session; the login form (also without JavaScript),
// its generic errors and throttling; sign-out ending the session on the server; what each role
// sees in the banner and the nav.
//
// Failed sign-ins also count against the source address (30 per 15 minutes for 127.0.0.1): this
// file makes 8 (wrong password 1, unknown user 1, throttling 5 + the refused 6th). Keep it so.
import { randomBytes } from 'node:crypto';
import type { APIResponse } from '@playwright/test';
import {
  SIGNED_OUT,
  baseUrl,
  credentials,
  expect,
  signInAs,
  test,
  whereIs,
} from '../fixtures';
import { AppShell, NAV_PAGES } from '../pages/app-shell';
import { LOGIN_ERRORS, LoginPage, SESSION_COOKIE, SIGNED_OUT_NOTICE } from '../pages/login-page';

const headingOf = (name: string) => (name === 'Overview' ? 'System status' : name);
const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

/** A 303 to /login with exactly these query parameters. */
function expectLoginRedirect(res: APIResponse, query: Record<string, string>, what: string): void {
  expect(res.status(), what).toBe(303);
  expect(whereIs(res.headers()['location'] ?? '(no Location header)'), what).toEqual({
    origin: new URL(baseUrl()).origin,
    path: '/login',
    query,
  });
}

/** The menu shows the display name (= username here) and, besides it, the role. */
async function expectUserMenu(shell: AppShell, username: string, role: string): Promise<void> {
  await expect(shell.userMenu).toBeVisible();
  await expect(shell.userMenu).toContainText(username);
  // e2e-admin contains "admin": look for the role in what is left without the name.
  const rest = (await shell.userMenu.innerText()).replace(username, '');
  expect(rest, `the user menu names the role of ${username}`).toContain(role);
  await expect(shell.signOutButton).toHaveAccessibleName('Sign out');
  await expect(shell.signOutForm).toHaveAttribute('method', /^post$/i);
}

test.describe('signed out', () => {
  test.use({ storageState: SIGNED_OUT });

  test('every page redirects to /login?next=<path>', async ({ request }) => {
    for (const { path } of NAV_PAGES) {
      const res = await request.get(path, { maxRedirects: 0 });
      expectLoginRedirect(res, { next: path }, `GET ${path} without a session`);
    }
  });

  test('the login page has the form the contract describes', async ({ page }) => {
    const login = new LoginPage(page);
    await login.goto('/jobs');
    await expect(login.heading).toHaveText('Sign in');
    await expect(login.form).toHaveAttribute('method', /^post$/i);
    await expect(login.form).toHaveAttribute('action', '/auth/login');
    await expect(login.username).toHaveAttribute('name', 'username');
    await expect(login.password).toHaveAttribute('name', 'password');
    await expect(login.password).toHaveAttribute('type', 'password');
    await expect(login.next).toHaveValue('/jobs');
    await expect(login.submit).toBeVisible();
    await expect(login.error).toHaveCount(0);
    await expect(login.notice).toHaveCount(0);
  });

  test('a page visit goes to /login keeping next, and signing in lands on that page', async ({ page }) => {
    const login = new LoginPage(page);
    await page.goto('/containers');
    await expect.poll(() => whereIs(page.url())).toMatchObject({ path: '/login', query: { next: '/containers' } });
    await expect(login.heading).toHaveText('Sign in');
    await expect(login.next).toHaveValue('/containers');

    const { username, password } = credentials('admin');
    await login.signIn(username, password);
    await expect.poll(() => whereIs(page.url()).path).toBe('/containers');
    const shell = new AppShell(page);
    await expect(shell.heading).toHaveText('Containers');
    await expect(shell.userMenu).toContainText(username);
  });

  test('a wrong password shows the generic error, keeps next and signs nobody in', async ({ page }) => {
    const login = new LoginPage(page);
    await login.goto('/jobs');
    await login.signIn(credentials('viewer').username, unique('wrong-password'));
    await expect.poll(() => whereIs(page.url())).toMatchObject({
      path: '/login',
      query: { error: 'invalid', next: '/jobs' },
    });
    await expect(login.error).toHaveText(LOGIN_ERRORS.invalid);
    await expect(login.error).toHaveRole('alert');
    await expect(login.next).toHaveValue('/jobs');
    expect((await page.context().cookies()).map((c) => c.name)).not.toContain(SESSION_COOKIE);

    await page.goto('/jobs');
    await expect.poll(() => whereIs(page.url()).path).toBe('/login');
  });

  test('an unknown user gets exactly the same error as a wrong password', async ({ page }) => {
    const login = new LoginPage(page);
    await login.goto();
    await login.signIn(unique('nobody'), unique('some-long-password'));
    await expect.poll(() => whereIs(page.url())).toMatchObject({ path: '/login', query: { error: 'invalid' } });
    await expect(login.error).toHaveText(LOGIN_ERRORS.invalid);
    await expect(login.error).toHaveRole('alert');
  });

  test('after 5 failed sign-ins for one account the 6th attempt is throttled', async ({ page }) => {
    test.setTimeout(60_000);
    // A throwaway name, so that the real accounts are never locked.
    const account = unique('nobody');
    const login = new LoginPage(page);
    for (let attempt = 1; attempt <= 6; attempt++) {
      const error = attempt <= 5 ? 'invalid' : 'throttled';
      await login.goto();
      await login.signIn(account, unique('wrong-password'));
      await expect
        .poll(() => whereIs(page.url()), { message: `attempt ${attempt}` })
        .toMatchObject({ path: '/login', query: { error } });
      await expect(login.error, `attempt ${attempt}`).toHaveText(LOGIN_ERRORS[error]);
    }
  });

  test('a next that leaves the site is ignored: sign-in goes to /', async ({ playwright }) => {
    const { username, password } = credentials('viewer');
    for (const next of ['https://evil.example/', '//evil.example/']) {
      // A fresh client per attempt: a cookie without an Origin header would be refused as CSRF.
      const client = await playwright.request.newContext({ baseURL: baseUrl(), storageState: SIGNED_OUT });
      try {
        const res = await client.post('/auth/login', { form: { username, password, next }, maxRedirects: 0 });
        expect(res.status(), `next=${next}`).toBe(303);
        expect(whereIs(res.headers()['location'] ?? ''), `next=${next}`).toMatchObject({
          origin: new URL(baseUrl()).origin,
          path: '/',
        });
      } finally {
        await client.dispose();
      }
    }
  });

  test('the readiness server function answers 401 without a session', async ({ request }) => {
    const res = await request.post('/api/fn/readiness', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      data: '',
      maxRedirects: 0,
    });
    expect(res.status()).toBe(401);
  });

  test('sign-out shows the notice and ends the session on the server', async ({ page, request }) => {
    // The viewer, not the admin: the admin's saved session is shared by the other tests.
    const { username } = credentials('viewer');
    await signInAs(page, 'viewer');
    const shell = new AppShell(page);
    await expect(shell.userMenu).toContainText(username);

    const session = (await page.context().cookies()).find((c) => c.name === SESSION_COOKIE);
    expect(session, `a ${SESSION_COOKIE} cookie after signing in`).toBeDefined();
    expect(session?.httpOnly, 'HttpOnly').toBe(true);
    expect(session?.sameSite, 'SameSite').toBe('Lax');
    const cookie = `${SESSION_COOKIE}=${session?.value}`;
    // `request` has no cookie jar entries of its own here: only this header is sent.
    const withOldCookie = () => request.get('/', { headers: { cookie }, maxRedirects: 0 });
    expect((await withOldCookie()).status(), 'the cookie works before sign-out').toBe(200);

    await shell.signOutButton.click();
    await expect.poll(() => whereIs(page.url())).toMatchObject({ path: '/login', query: { notice: 'signed-out' } });
    const login = new LoginPage(page);
    await expect(login.notice).toHaveText(SIGNED_OUT_NOTICE);

    await page.goto('/');
    await expect.poll(() => whereIs(page.url()).path).toBe('/login');
    expectLoginRedirect(await withOldCookie(), { next: '/' }, 'GET / with the signed-out session cookie');
  });

  test('the viewer sees no Audit or Admin link, and the user menu shows name and role', async ({ page }) => {
    const { username } = credentials('viewer');
    await signInAs(page, 'viewer');
    const shell = new AppShell(page);
    await expectUserMenu(shell, username, 'viewer');
    const visible = NAV_PAGES.filter((p) => !p.adminOnly);
    await expect(shell.navLinks()).toHaveText(visible.map((p) => p.name));
    for (const { name } of NAV_PAGES.filter((p) => p.adminOnly)) {
      await expect(shell.navLink(name), `${name} is admin only`).toHaveCount(0);
    }
    for (const { name, path } of visible) {
      await expect(shell.navLink(name)).toHaveAttribute('href', path);
    }
  });

  test.describe('without JavaScript', () => {
    test.use({ javaScriptEnabled: false });

    test('the plain form POST signs in and lands on next', async ({ page }) => {
      const login = new LoginPage(page);
      await page.goto('/templates');
      await expect.poll(() => whereIs(page.url())).toMatchObject({ path: '/login', query: { next: '/templates' } });
      const { username, password } = credentials('admin');
      await login.signIn(username, password);
      await expect.poll(() => whereIs(page.url()).path).toBe('/templates');
      const shell = new AppShell(page);
      await expect(shell.heading).toHaveText(headingOf('Templates'));
      await expect(shell.root).toHaveAttribute('data-hydrated', 'false');
      await expect(shell.userMenu).toContainText(username);
    });
  });
});

test.describe('signed in as the admin', () => {
  test('the user menu shows name and role, and a sign-out button', async ({ page }) => {
    await page.goto('/');
    await expectUserMenu(new AppShell(page), credentials('admin').username, 'admin');
  });

  test('the admin sees every nav link, Audit and Admin included', async ({ page }) => {
    await page.goto('/');
    const shell = new AppShell(page);
    await expect(shell.navLinks()).toHaveText(NAV_PAGES.map((p) => p.name));
  });
});
