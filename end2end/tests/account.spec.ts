// The Account page: an API token is created in the UI, shown once, works on the REST API with a
// Bearer header (and a session cookie alone does not), and stops working once revoked in the UI;
// the sessions list marks the current session and ends another one.
import { randomBytes } from 'node:crypto';
import { SIGNED_OUT, baseUrl, credentials, expect, signInAs, test, whereIs } from '../fixtures';
import { AccountPage, TOKEN_FORMAT } from '../pages/account-page';

const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

test('a token is shown once, works on /api/v1 and stops working when revoked', async ({ page, request }) => {
  const account = new AccountPage(page);
  await account.goto();
  const name = unique('e2e-token');
  await account.createToken(name, { expiresInDays: '7', role: 'viewer' });

  await expect(account.newToken).toContainText('it will not be shown again');
  const token = await account.newTokenValue.inputValue();
  expect(token).toMatch(TOKEN_FORMAT);
  await expect(account.tokenRow(name)).toHaveAttribute('data-status', 'Active');

  const bearer = { Authorization: `Bearer ${token}` };
  const me = await request.get('/api/v1/me', { headers: bearer });
  expect(me.status(), await me.text()).toBe(200);
  expect(await me.json()).toMatchObject({
    username: credentials('admin').username,
    role: 'viewer',
    via: 'api_token',
    token: { name, role: 'viewer' },
  });
  // `request` carries the admin's session cookie: on its own it does not open the REST API.
  const cookieOnly = await request.get('/api/v1/me');
  expect(cookieOnly.status()).toBe(401);
  expect(cookieOnly.headers()['www-authenticate']).toMatch(/^Bearer/);

  // Shown once: after a reload the value is nowhere on the page.
  await page.reload();
  await account.waitForHydration();
  await expect(account.newToken).toHaveCount(0);
  expect(await page.content()).not.toContain(token);

  await account.revokeToken(name);
  await expect(account.tokenRow(name)).toHaveAttribute('data-status', 'Revoked');
  const revoked = await request.get('/api/v1/me', { headers: bearer });
  expect(revoked.status()).toBe(401);
});

test('the sessions list marks the current session', async ({ page }) => {
  const account = new AccountPage(page);
  await account.goto();
  await expect(account.currentSession).toHaveCount(1);
  await expect(account.currentSession.getByTestId('this-session')).toHaveText('This session');
  await expect(account.currentSession.getByTestId('revoke-session')).toHaveCount(0);
});

test('ending another session signs that browser out', async ({ browser }) => {
  const first = await browser.newContext({ storageState: SIGNED_OUT, baseURL: baseUrl() });
  const second = await browser.newContext({ storageState: SIGNED_OUT, baseURL: baseUrl() });
  try {
    const firstPage = await first.newPage();
    const secondPage = await second.newPage();
    await signInAs(secondPage, 'viewer', '/account');
    await signInAs(firstPage, 'viewer', '/account');
    const account = new AccountPage(firstPage);
    await account.waitForHydration();
    await expect(account.currentSession).toHaveCount(1);
    const others = await account.otherSessionButtons().count();
    expect(others, 'the second browser is listed').toBeGreaterThan(0);

    await account.revokeOthersButton.click();
    await expect(account.sessionNotice).toContainText(/Signed out \d+ other session/);
    await expect(account.sessionRows).toHaveCount(1);

    await secondPage.reload();
    await expect.poll(() => whereIs(secondPage.url()).path).toBe('/login');
  } finally {
    await first.close();
    await second.close();
  }
});
