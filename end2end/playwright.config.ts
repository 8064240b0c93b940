import { defineConfig } from '@playwright/test';
import { ADMIN_STORAGE_STATE } from './harness/users';

// The server's address is only known once harness/global-setup.ts has picked a port and started
// Berth. Global setup runs before the workers start, and they inherit the variable it sets.
// Every page needs a signed-in user: global setup signs in as the admin and saves the cookies to
// ADMIN_STORAGE_STATE, so `page`, `context`, `request` (and `browser.newContext()` inside a test)
// start signed in as the admin. Signed-out tests use `test.use({ storageState: SIGNED_OUT })`.
export default defineConfig({
  testDir: 'tests',
  outputDir: 'test-results',
  globalSetup: './harness/global-setup.ts',
  globalTeardown: './harness/global-teardown.ts',
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 1,
  timeout: 30_000,
  // The whole suite takes about a minute; a hang must end it long before CI's own limit.
  globalTimeout: 15 * 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: process.env.BERTH_E2E_BASE_URL,
    storageState: ADMIN_STORAGE_STATE,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: process.env.BERTH_E2E_CHROMIUM ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
  ],
});
