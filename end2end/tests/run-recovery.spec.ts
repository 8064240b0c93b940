// A run that fails half-way keeps its container and offers the operator a choice: retry at the
// stage that failed or an earlier one, destroy the container, or keep it for debugging. Here
// Proxmox refuses one container's start (the simulator's fault injection aims a 403 at that
// path only), the run fails at "Start container", and a retry from the earlier "Create
// container" stage finishes it with exactly one container.
import { randomBytes } from 'node:crypto';
import { SIGNED_OUT, expect, signInAs, test } from '../fixtures';
import { setFaults } from '../harness/sim';
import { AppShell } from '../pages/app-shell';
import { createFromDebianBase } from '../pages/wizard';

const VMID = 7301;
const fullPipeline = process.env.BERTH_E2E_WORKER_SSH === 'direct';

test.use({ storageState: SIGNED_OUT });

test('a failed run is retried from an earlier stage and finishes with one container', async ({ page }) => {
  test.setTimeout(180_000);
  const name = `e2e-rt-${randomBytes(3).toString('hex')}`;
  const shell = new AppShell(page);
  const stage = (key: string) => page.locator(`[data-testid="stage"][data-stage="${key}"]`);

  await setFaults({
    refuse_prefixes: [{ prefix: `/nodes/pve1/lxc/${VMID}/status/start`, status: 403 }],
  });
  try {
    await signInAs(page, 'admin', '/containers/new');
    await shell.waitForHydration();
    await createFromDebianBase(page, { hostname: name, vmid: VMID, node: 'pve1' });

    // Refused (403 is not worth retrying by itself): failed at the start, container kept.
    await expect(page.getByTestId('run-state')).toHaveText('Failed', { timeout: 60_000 });
    await expect(stage('create_container')).toHaveAttribute('data-state', 'done');
    await expect(stage('start_container')).toHaveAttribute('data-state', 'failed');
    await expect(page.getByTestId('run-error')).toContainText('403');
    const recovery = page.getByTestId('run-recovery');
    await expect(recovery).toBeVisible();
    // The choice to destroy appears once the status poller has seen the container.
    await expect(async () => {
      await page.reload();
      await shell.waitForHydration();
      await expect(recovery.getByTestId('discard-confirm')).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 30_000 });
    await expect(recovery.getByTestId('discard-run')).toBeDisabled();
    await page.screenshot({ path: 'test-results/run-recovery.png', fullPage: true });
  } finally {
    await setFaults({});
  }

  // Back to "Create container": it finds the container made before and does not make another.
  await page.getByTestId('retry-from').selectOption({ label: 'Create container' });
  await page.getByTestId('retry-run').click();
  await expect(page.getByTestId('run-recovery')).toHaveCount(0, { timeout: 15_000 });
  await expect(page.getByTestId('run-log')).toContainText('Retry from "Create container" requested by');
  await expect(stage('start_container')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  if (fullPipeline) {
    await expect(page.getByTestId('run-state')).toHaveText('Succeeded', { timeout: 120_000 });
  }

  await shell.navLink('Containers').click();
  await page.getByTestId('container-filter').fill(name);
  const rows = page.getByTestId('container-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-status', 'running', { timeout: 15_000 });
  await expect(rows.first()).toHaveAttribute('data-vmid', String(VMID));
});
