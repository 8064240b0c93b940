// The Account page (`/account`): the signed-in user's API tokens and sessions.
import type { Locator, Page } from '@playwright/test';
import { AppShell } from './app-shell';

/** A token as the server prints it: `berth_pat_` + 16 hex (lookup) + `_` + 64 hex (secret). */
export const TOKEN_FORMAT = /^berth_pat_[0-9a-f]{16}_[0-9a-f]{64}$/;

export class AccountPage extends AppShell {
  readonly tokens: Locator;
  readonly tokenForm: Locator;
  readonly tokenName: Locator;
  readonly tokenExpiry: Locator;
  readonly tokenRole: Locator;
  readonly createTokenButton: Locator;
  /** The notice shown once after a token was created, and the token in it. */
  readonly newToken: Locator;
  readonly newTokenValue: Locator;
  readonly tokenError: Locator;
  readonly sessions: Locator;
  readonly sessionRows: Locator;
  readonly currentSession: Locator;
  readonly revokeOthersButton: Locator;
  readonly sessionNotice: Locator;

  constructor(page: Page) {
    super(page);
    this.tokens = page.getByTestId('api-tokens');
    this.tokenForm = this.tokens.getByTestId('create-token-form');
    this.tokenName = this.tokenForm.getByLabel('Name', { exact: true });
    this.tokenExpiry = this.tokenForm.getByLabel('Expires after (days)', { exact: true });
    this.tokenRole = this.tokenForm.getByLabel('Role', { exact: true });
    this.createTokenButton = this.tokenForm.getByTestId('create-token');
    this.newToken = this.tokens.getByTestId('new-token');
    this.newTokenValue = this.newToken.getByTestId('new-token-value');
    this.tokenError = this.tokens.getByTestId('token-error');
    this.sessions = page.getByTestId('sessions');
    this.sessionRows = this.sessions.getByTestId('session-row');
    this.currentSession = this.sessions.locator('[data-testid="session-row"][data-current="true"]');
    this.revokeOthersButton = this.sessions.getByTestId('revoke-other-sessions');
    this.sessionNotice = this.sessions.getByTestId('session-notice');
  }

  async goto(): Promise<void> {
    await this.page.goto('/account');
    await this.waitForHydration();
  }

  /** The table row of the token named `name` (`data-status` is Active, Expired or Revoked). */
  tokenRow(name: string): Locator {
    return this.tokens.locator(`[data-testid="token-row"][data-name="${name}"]`);
  }

  /** Fills and submits the form; `expiresInDays: ''` makes a token that does not expire. */
  async createToken(name: string, opts: { expiresInDays?: string; role?: string } = {}): Promise<void> {
    await this.tokenName.fill(name);
    if (opts.expiresInDays !== undefined) await this.tokenExpiry.fill(opts.expiresInDays);
    if (opts.role !== undefined) await this.tokenRole.selectOption(opts.role);
    await this.createTokenButton.click();
  }

  async revokeToken(name: string): Promise<void> {
    await this.tokenRow(name).getByTestId('revoke-token').click();
  }

  /** The "End session" button of a session that is not the current one. */
  otherSessionButtons(): Locator {
    return this.sessions.locator('[data-testid="session-row"][data-current="false"] [data-testid="revoke-session"]');
  }
}
