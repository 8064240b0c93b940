// The app shell: landmarks, primary navigation, aria-current, client-side routing.
import { expect, test } from '../fixtures';
import { AppShell, NAV_PAGES } from '../pages/app-shell';

const headingOf = (name: string) => (name === 'Overview' ? 'System status' : name);

const pathname = (url: string) => new URL(url).pathname;

test('landmarks and every primary nav link are present', async ({ page }) => {
  const shell = new AppShell(page);
  await page.goto('/');
  await expect(shell.banner).toContainText('Berth');
  await expect(shell.nav).toBeVisible();
  await expect(shell.main).toBeVisible();
  for (const { name, path } of NAV_PAGES) {
    await expect(shell.navLink(name)).toHaveAttribute('href', path);
  }
  await expect(shell.currentLink()).toHaveCount(1);
  await expect(shell.navLink('Overview')).toHaveAttribute('aria-current', 'page');
});

for (const { name, path } of NAV_PAGES) {
  test(`${path} renders its heading and marks ${name} current`, async ({ page }) => {
    const shell = new AppShell(page);
    await page.goto(path);
    await expect(shell.heading).toHaveText(headingOf(name));
    await expect(shell.currentLink()).toHaveCount(1);
    await expect(shell.navLink(name)).toHaveAttribute('aria-current', 'page');
  });
}

test('after hydration the nav links route on the client', async ({ page }) => {
  const shell = new AppShell(page);
  await page.goto('/');
  await shell.waitForHydration();
  // A full page load would lose this marker.
  await page.evaluate(() => ((window as unknown as { berthE2eMarker: string }).berthE2eMarker = 'same document'));

  for (const { name, path } of [...NAV_PAGES.slice(1), NAV_PAGES[0]]) {
    await shell.navLink(name).click();
    await expect.poll(() => pathname(page.url())).toBe(path);
    await expect(shell.heading).toHaveText(headingOf(name));
    await expect(shell.navLink(name)).toHaveAttribute('aria-current', 'page');
    await expect(shell.currentLink()).toHaveCount(1);
  }
  const marker = await page.evaluate(() => (window as unknown as { berthE2eMarker?: string }).berthE2eMarker);
  expect(marker, 'navigation reloaded the page instead of routing on the client').toBe('same document');
  await expect(shell.root).toHaveAttribute('data-hydrated', 'true');
});
