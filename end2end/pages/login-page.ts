// The sign-in page (`/login`): a plain form POST to /auth/login that works without JavaScript.
import type { Locator, Page } from '@playwright/test';

/** The exact texts of `data-testid="login-error"` for `?error=invalid` and `?error=throttled`. */
export const LOGIN_ERRORS = {
  invalid: 'Wrong username or password.',
  throttled: 'Too many failed sign-ins. Try again later.',
} as const;

/** `data-testid="login-notice"` on `/login?notice=signed-out`. */
export const SIGNED_OUT_NOTICE = 'You have signed out.';

/** The name of the session cookie on plain http:// (a secure origin may use another name). */
export const SESSION_COOKIE = 'berth_session';

export class LoginPage {
  readonly heading: Locator;
  readonly form: Locator;
  readonly username: Locator;
  readonly password: Locator;
  /** The hidden `next` input: where a successful sign-in goes. */
  readonly next: Locator;
  readonly submit: Locator;
  readonly error: Locator;
  readonly notice: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.form = page.getByTestId('login-form');
    this.username = this.form.getByLabel('Username', { exact: true });
    this.password = this.form.getByLabel('Password', { exact: true });
    this.next = this.form.locator('input[type="hidden"][name="next"]');
    this.submit = this.form.getByRole('button', { name: 'Sign in', exact: true });
    this.error = page.getByTestId('login-error');
    this.notice = page.getByTestId('login-notice');
  }

  /** `/login`, or `/login?next=<next>`. */
  async goto(next?: string): Promise<void> {
    await this.page.goto(next === undefined ? '/login' : `/login?${new URLSearchParams({ next })}`);
  }

  /**
   * Fills the form and submits it. The browser then follows the 303: callers check where it
   * landed (see `whereIs` in fixtures.ts).
   */
  async signIn(username: string, password: string): Promise<void> {
    await this.username.fill(username);
    await this.password.fill(password);
    await this.submit.click();
  }
}
