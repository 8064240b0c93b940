// The accounts global-setup.ts creates for a run, where their credentials travel (process.env,
// inherited by the workers like BERTH_E2E_BASE_URL) and where the admin's signed-in browser state
// is saved. Imported by the config, so it must stay free of side effects and heavy imports.
import { join } from 'node:path';

export type E2eRole = 'admin' | 'viewer';

export const E2E_USERS: Record<E2eRole, { username: string; userVar: string; passwordVar: string }> = {
  admin: { username: 'e2e-admin', userVar: 'BERTH_E2E_ADMIN_USER', passwordVar: 'BERTH_E2E_ADMIN_PASSWORD' },
  viewer: { username: 'e2e-viewer', userVar: 'BERTH_E2E_VIEWER_USER', passwordVar: 'BERTH_E2E_VIEWER_PASSWORD' },
};

/**
 * Playwright storage state (cookies) of the admin, signed in once by global setup through the real
 * login form. The config's `use.storageState` points here, so `page`, `context` and `request` are
 * signed in as the admin unless a test says otherwise. Under test-results/, which Playwright empties
 * before global setup runs.
 */
export const ADMIN_STORAGE_STATE = join(__dirname, '..', 'test-results', '.auth', 'admin.json');

/** For `test.use({ storageState: SIGNED_OUT })` or `newContext({ storageState: SIGNED_OUT })`. */
export const SIGNED_OUT = { cookies: [], origins: [] };

export interface Credentials {
  username: string;
  password: string;
}

/** The credentials global setup created for `role`. */
export function credentials(role: E2eRole): Credentials {
  const { userVar, passwordVar } = E2E_USERS[role];
  const username = process.env[userVar];
  const password = process.env[passwordVar];
  if (!username || !password) {
    throw new Error(`${userVar} / ${passwordVar} are not set: run the suite with \`cargo xtask test\`.`);
  }
  return { username, password };
}
