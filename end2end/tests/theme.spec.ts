// The stylesheet follows prefers-color-scheme.
import type { Browser } from '@playwright/test';
import { ADMIN_STORAGE_STATE, baseUrl, expect, expectNoProblems, test, watchPage } from '../fixtures';

async function bodyBackground(browser: Browser, colorScheme: 'dark' | 'light'): Promise<string> {
  // A fresh context per scheme, so that no CSS transition is caught half-way.
  const context = await browser.newContext({ baseURL: baseUrl(), colorScheme, storageState: ADMIN_STORAGE_STATE });
  try {
    const page = await context.newPage();
    const problems: string[] = [];
    watchPage(page, problems);
    await page.goto('/');
    const colour = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expectNoProblems(problems);
    return colour;
  } finally {
    await context.close();
  }
}

test('dark and light colour schemes give different backgrounds', async ({ browser }) => {
  const dark = await bodyBackground(browser, 'dark');
  const light = await bodyBackground(browser, 'light');
  expect(dark, 'body has no background: is the stylesheet served?').not.toBe('rgba(0, 0, 0, 0)');
  expect(light).not.toBe('rgba(0, 0, 0, 0)');
  expect(dark).not.toBe(light);
});
