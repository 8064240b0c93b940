// `test` for every spec: a test fails if its page logs a console error, throws an uncaught error,
// or receives any HTTP response with status >= 400. Pages start signed in as the admin (the
// config's storageState); `test.use({ storageState: SIGNED_OUT })` gives a signed-out context.
import { type Page, test as base, expect } from '@playwright/test';
import { ADMIN_STORAGE_STATE, type E2eRole, SIGNED_OUT, credentials } from './harness/users';
import { LoginPage } from './pages/login-page';

export { ADMIN_STORAGE_STATE, SIGNED_OUT, credentials, expect };

/** Records console errors, page errors and HTTP errors of `page` into `problems`. */
export function watchPage(page: Page, problems: string[]): void {
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const { url, lineNumber } = msg.location();
      problems.push(`console error: ${msg.text()}${url ? ` (${url}:${lineNumber})` : ''}`);
    }
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.stack ?? err.message}`));
  page.on('response', (res) => {
    if (res.status() >= 400) {
      problems.push(`HTTP ${res.status()} ${res.request().method()} ${res.url()}`);
    }
  });
}

export function expectNoProblems(problems: string[]): void {
  expect(problems, `the page reported problems:\n  ${problems.join('\n  ')}`).toEqual([]);
}

export const test = base.extend<{ pageProblems: string[] }>({
  pageProblems: async ({}, use) => {
    await use([]);
  },
  page: async ({ page, pageProblems }, use) => {
    watchPage(page, pageProblems);
    await use(page);
    expectNoProblems(pageProblems);
  },
});

/** The running Berth, as set by harness/global-setup.ts. */
export function baseUrl(): string {
  const url = process.env.BERTH_E2E_BASE_URL;
  if (!url) throw new Error('BERTH_E2E_BASE_URL is not set: run the suite with `cargo xtask test`.');
  return url;
}

/** Origin, path and decoded query of a URL or a (relative) Location header. */
export function whereIs(url: string): { origin: string; path: string; query: Record<string, string> } {
  const u = new URL(url, baseUrl());
  return { origin: u.origin, path: u.pathname, query: Object.fromEntries(u.searchParams) };
}

/**
 * Signs `page` in as `role` through the login form (`/login?next=<next>` when given) and waits
 * until the browser has landed on `next` (default `/`).
 */
export async function signInAs(page: Page, role: E2eRole, next?: string): Promise<void> {
  const { username, password } = credentials(role);
  const login = new LoginPage(page);
  await login.goto(next);
  await login.signIn(username, password);
  await expect.poll(() => whereIs(page.url()).path, { message: `signed in as ${username}` }).toBe(next ?? '/');
}

/** Takes an expected refusal (the response and its console line) out of a page's problems. */
export function refused(problems: string[], status: number, path: string): void {
  const before = problems.length;
  for (let i = problems.length - 1; i >= 0; i--) {
    if (problems[i].includes(path) && problems[i].includes(String(status))) problems.splice(i, 1);
  }
  expect(before - problems.length, `a ${status} from ${path}`).toBeGreaterThan(0);
}
