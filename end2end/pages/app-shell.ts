// The markup every Berth page shares: #berth root with its hydration marker, banner, primary nav, main.
import { type Locator, type Page, expect } from '@playwright/test';

export const NAV_PAGES = [
  { name: 'Overview', path: '/' },
  { name: 'Containers', path: '/containers' },
  { name: 'Templates', path: '/templates' },
  { name: 'Jobs', path: '/jobs' },
  { name: 'Audit', path: '/audit' },
  { name: 'Admin', path: '/admin' },
] as const;

export type NavName = (typeof NAV_PAGES)[number]['name'];

export class AppShell {
  readonly root: Locator;
  readonly banner: Locator;
  readonly nav: Locator;
  readonly main: Locator;
  readonly heading: Locator;

  constructor(readonly page: Page) {
    this.root = page.locator('#berth');
    this.banner = page.getByRole('banner');
    this.nav = page.getByRole('navigation', { name: 'Primary' });
    this.main = page.getByRole('main');
    this.heading = page.getByRole('heading', { level: 1 });
  }

  navLink(name: NavName): Locator {
    return this.nav.getByRole('link', { name, exact: true });
  }

  /** The nav link marked aria-current="page". */
  currentLink(): Locator {
    return this.nav.locator('a[aria-current="page"]');
  }

  /** Waits for the browser-only effect that flips data-hydrated to "true". */
  async waitForHydration(): Promise<void> {
    await expect(this.root).toHaveAttribute('data-hydrated', 'true');
  }
}
