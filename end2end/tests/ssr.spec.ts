// Server-side rendering: the overview works without any JavaScript. Signed in as the admin (the
// config's storageState: `request` and new contexts carry the session cookie).
import { ADMIN_STORAGE_STATE, baseUrl, expect, expectNoProblems, test, watchPage } from '../fixtures';
import { DEPENDENCIES, HomePage } from '../pages/home-page';

test('GET / returns the server-rendered overview', async ({ request }) => {
  const res = await request.get('/', { maxRedirects: 0 });
  expect(res.status(), 'a signed-in GET / is answered, not redirected to /login').toBe(200);
  expect(res.headers()['content-type']).toMatch(/^text\/html/);
  const html = await res.text();
  expect(html).toMatch(/<html[^>]*\slang="en"/);
  expect(html).toContain('data-hydrated="false"');
  expect(html).toContain('System status');
  for (const { id } of DEPENDENCIES) expect(html).toContain(`data-testid="dependency-${id}"`);
});

test('the overview renders with JavaScript disabled', async ({ browser }) => {
  const context = await browser.newContext({
    baseURL: baseUrl(),
    javaScriptEnabled: false,
    storageState: ADMIN_STORAGE_STATE,
  });
  try {
    const page = await context.newPage();
    const problems: string[] = [];
    watchPage(page, problems);
    const home = new HomePage(page);
    await home.goto();

    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(home.heading).toHaveText('System status');
    await expect(home.dependencyList).toBeVisible();
    for (const { id, label } of DEPENDENCIES) {
      await expect(home.dependency(id)).toContainText(label);
      await expect(home.dependency(id)).toHaveAttribute('data-status', /^(up|down)$/);
    }
    await expect(home.root).toHaveAttribute('data-hydrated', 'false');
    await expect(home.refreshButton).toBeDisabled();
    expectNoProblems(problems);
  } finally {
    await context.close();
  }
});
