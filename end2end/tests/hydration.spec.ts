// Hydration: the WASM bundle takes over the server-rendered page and server functions answer.
import { expect, test } from '../fixtures';
import { CHECKED_AT_FORMAT, DEPENDENCIES, HomePage } from '../pages/home-page';

test('hydrates, then Refresh re-runs the readiness check', async ({ page }) => {
  const home = new HomePage(page);
  await home.goto();
  await home.waitForHydration();
  await expect(home.refreshButton).toBeEnabled();
  await expect(home.refreshButton).toHaveAccessibleName('Refresh');

  await expect(home.checkedAt).toHaveText(CHECKED_AT_FORMAT);
  const before = (await home.checkedAt.innerText()).trim();

  const serverFn = page.waitForResponse((r) => r.request().method() === 'POST');
  await home.refreshButton.click();
  expect((await serverFn).status()).toBe(200);

  await expect(home.checkedAt).not.toHaveText(before);
  await expect(home.checkedAt).toHaveText(CHECKED_AT_FORMAT);
  const after = (await home.checkedAt.innerText()).trim();
  expect(Date.parse(after)).toBeGreaterThan(Date.parse(before));

  await expect(home.overall).toHaveAttribute('data-status', 'ready');
  for (const { id, label } of DEPENDENCIES) {
    await expect(home.dependency(id)).toHaveAttribute('data-status', 'up');
    await expect(home.dependency(id)).toContainText(label);
    await expect(home.dependency(id)).toContainText('Up');
  }
});
