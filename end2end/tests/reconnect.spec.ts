// The containers list when the server goes away and comes back, in a real browser. A second
// berth-server of the run shares the run's Redis key prefix, so it serves the worker's live list;
// it is stopped while the list is open (watching a container made straight through the Proxmox
// API): the page keeps its rows and says it is reconnecting, and when the server is back it goes
// live again by itself, without a reload.
import { SIGNED_OUT, expect, signInAs, test, watchPage } from '../fixtures';
import { type ExtraServer, startExtraServer } from '../harness/server';
import { createContainer, destroyContainer } from '../harness/sim';
import { AppShell } from '../pages/app-shell';

const VMID = 7402;
let server: ExtraServer | undefined;

test.beforeAll(async ({}, testInfo) => {
  const database = new URL(process.env.BERTH_E2E_DATABASE_URL ?? '').pathname.slice(1);
  if (!database) throw new Error('BERTH_E2E_DATABASE_URL is not set; run this with `cargo xtask test`');
  await createContainer(VMID, 'e2e-outside-reconnect');
  server = await startExtraServer('reconnect', testInfo.project.outputDir, {
    BERTH_REDIS_KEY_PREFIX: `${database}:`,
  });
});

test.afterAll(async () => {
  await server?.stop();
  server = undefined;
  await destroyContainer(VMID);
});

test('the list says it is reconnecting while the server is away, then goes live again', async ({ browser }) => {
  test.setTimeout(90_000);
  if (!server) throw new Error('the second berth-server did not start (see beforeAll)');
  const context = await browser.newContext({ baseURL: server.baseUrl, storageState: SIGNED_OUT });
  const page = await context.newPage();
  const problems: string[] = [];
  watchPage(page, problems);
  try {
    await signInAs(page, 'admin', '/containers');
    await new AppShell(page).waitForHydration();
    const freshness = page.getByTestId('freshness');
    await expect(freshness).toContainText('Live', { timeout: 15_000 });
    const row = page.locator(`[data-testid="container-row"][data-vmid="${VMID}"]`);
    await expect(row).toBeVisible({ timeout: 15_000 });

    await server.stop();
    await expect(freshness).toContainText('Connecting for live updates', { timeout: 10_000 });
    await expect(freshness).toHaveClass(/freshness-stale/);
    await expect(row).toBeVisible();
    await page.screenshot({ path: test.info().outputPath('containers-reconnecting.png'), fullPage: true });

    await server.start();
    // The page tries again every 2 s; then the snapshot and live deltas flow again.
    await expect(freshness).toContainText('Live', { timeout: 20_000 });
    await expect(row).toBeVisible();
    // Only the refused reconnection attempts while the server was away may have been logged.
    const unexpected = problems.filter((p) => !/WebSocket connection to .* failed/.test(p));
    expect(unexpected, unexpected.join('\n')).toEqual([]);
  } finally {
    await context.close();
  }
});
