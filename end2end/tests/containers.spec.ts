// A new operator's whole journey: sign in, create a container through the wizard, watch its
// stages complete live, find it running in the containers list, stop it, snapshot it and destroy
// it — every change arriving over the websocket, without a reload.
//
// The run goes through all nine stages when the harness could give the worker SSH into the
// simulator's sandboxed containers (BERTH_E2E_WORKER_SSH=direct); otherwise it stops, as
// designed, before `connect` with its container kept, and the journey goes on from there.
import { randomBytes } from 'node:crypto';
import { SIGNED_OUT, expect, signInAs, test } from '../fixtures';
import { AppShell } from '../pages/app-shell';
import { createFromDebianBase } from '../pages/wizard';

const fullPipeline = process.env.BERTH_E2E_WORKER_SSH === 'direct';

test.use({ storageState: SIGNED_OUT });

test('create, watch, stop, snapshot and destroy a container', async ({ page }) => {
  test.setTimeout(180_000);
  const name = `e2e-ct-${randomBytes(3).toString('hex')}`;
  const shell = new AppShell(page);

  await signInAs(page, 'admin', '/containers');
  await shell.waitForHydration();
  await page.getByTestId('new-container').click();
  await createFromDebianBase(page, { hostname: name });

  // The stages fill in live: the first ones finish while the page is open.
  const stage = (key: string) => page.locator(`[data-testid="stage"][data-stage="${key}"]`);
  await expect(stage('create_container')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(stage('start_container')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  if (fullPipeline) {
    await expect(page.getByTestId('run-state')).toHaveText('Succeeded', { timeout: 120_000 });
    await expect(page.locator('[data-testid="stage"][data-state="done"]')).toHaveCount(9);
  }
  await page.screenshot({ path: 'test-results/journey-run.png', fullPage: true });

  // The list shows it running, from the poller's snapshot pushed over the websocket.
  await shell.navLink('Containers').click();
  await expect(page.getByTestId('freshness')).toContainText('Live', { timeout: 15_000 });
  const row = page.locator(`[data-testid="container-row"][data-name="${name}"]`);
  await expect(row).toHaveAttribute('data-status', 'running', { timeout: 30_000 });
  await page.getByTestId('container-filter').fill(name);
  await expect(page.getByTestId('container-row')).toHaveCount(1);

  // Stop: the row says so while the task runs, then the poller's next read turns it to
  // stopped on the open page (no reload: the row's key follows its content).
  const settled = async () => {
    await expect(page.locator('[data-testid="container-pending"]')).toHaveCount(0, { timeout: 30_000 });
    await expect(page.getByTestId('action-failures')).toHaveCount(0);
  };
  const lastPoll = await page.getByTestId('freshness').textContent();
  await row.getByTestId('action-stop').click();
  await expect(row.getByTestId('container-pending')).toHaveText('stopping…');
  await settled();
  await expect(row).toHaveAttribute('data-status', 'stopped', { timeout: 15_000 });
  // Every poll moves the freshness line on, even when nothing else changed.
  await expect(page.getByTestId('freshness')).not.toHaveText(lastPoll ?? '', { timeout: 15_000 });

  // Snapshot: a bad name is refused in the dialog, a good one is taken and listed on the
  // container's page.
  await row.getByTestId('action-snapshot').click();
  const dialog = page.getByTestId('snapshot-dialog');
  await dialog.getByTestId('snapshot-name').fill('1-bad');
  await dialog.getByTestId('snapshot-submit').click();
  await expect(dialog.getByTestId('snapshot-error')).toContainText('starts with a letter');
  await dialog.getByTestId('snapshot-name').fill('before-destroy');
  await dialog.getByTestId('snapshot-submit').click();
  await expect(dialog).toHaveCount(0);
  await settled();
  await page.screenshot({ path: 'test-results/journey-list.png', fullPage: true });
  await row.getByRole('link', { name }).click();
  await expect(page.locator('[data-testid="snapshot-row"][data-name="before-destroy"]')).toBeVisible();
  await expect(page.getByTestId('container-detail')).toHaveAttribute('data-status', 'stopped');
  await page.screenshot({ path: 'test-results/journey-detail.png', fullPage: true });
  await shell.navLink('Containers').click();
  await page.getByTestId('container-filter').fill(name);

  // Destroy: the button stays disabled until the name is typed.
  await row.getByTestId('action-destroy').click();
  const destroy = page.getByTestId('destroy-dialog');
  await expect(destroy.getByTestId('destroy-submit')).toBeDisabled();
  await destroy.getByTestId('destroy-confirm').fill(name.slice(0, -1));
  await expect(destroy.getByTestId('destroy-submit')).toBeDisabled();
  await destroy.getByTestId('destroy-confirm').fill(name);
  await page.screenshot({ path: 'test-results/journey-destroy.png', fullPage: true });
  await destroy.getByTestId('destroy-submit').click();
  await expect(destroy).toHaveCount(0);
  await settled();
  await expect(row).toHaveCount(0, { timeout: 15_000 });
});
