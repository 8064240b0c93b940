// The markup every signed-in Berth page shares: #berth root with its hydration marker, banner
// (with the user menu), primary nav, main.
import { type Locator, type Page, expect } from '@playwright/test';

/** Every nav link, as an admin sees them; `adminOnly` ones are not shown to viewers and operators. */
export const NAV_PAGES = [
  { name: 'Overview', path: '/', adminOnly: false },
  { name: 'Containers', path: '/containers', adminOnly: false },
  { name: 'Templates', path: '/templates', adminOnly: false },
  { name: 'Jobs', path: '/jobs', adminOnly: false },
  { name: 'Audit', path: '/audit', adminOnly: true },
  { name: 'Admin', path: '/admin', adminOnly: true },
] as const;

export type NavName = (typeof NAV_PAGES)[number]['name'];

export class AppShell {
  readonly root: Locator;
  readonly banner: Locator;
  readonly nav: Locator;
  readonly main: Locator;
  readonly heading: Locator;
  /** Who is signed in (display name and role) and the sign-out form. */
  readonly userMenu: Locator;
  readonly signOutForm: Locator;
  readonly signOutButton: Locator;

  constructor(readonly page: Page) {
    this.root = page.locator('#berth');
    this.banner = page.getByRole('banner');
    this.nav = page.getByRole('navigation', { name: 'Primary' });
    this.main = page.getByRole('main');
    this.heading = page.getByRole('heading', { level: 1 });
    this.userMenu = this.banner.getByTestId('user-menu');
    this.signOutForm = this.userMenu.locator('form[action="/auth/logout"]');
    this.signOutButton = this.userMenu.getByTestId('logout');
  }

  navLink(name: NavName): Locator {
    return this.nav.getByRole('link', { name, exact: true });
  }

  /** Every link in the primary nav. */
  navLinks(): Locator {
    return this.nav.getByRole('link');
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
