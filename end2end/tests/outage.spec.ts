// The containers list while Proxmox VE is away, in a real browser: the simulator answers every
// call with 503, and the open list keeps its rows and says since when Proxmox has not answered;
// once Proxmox answers again the list goes live by itself, without a reload. The row to watch is
// a container made straight through the Proxmox API, as someone would outside Berth.
import { SIGNED_OUT, expect, signInAs, test } from '../fixtures';
import { createContainer, destroyContainer, setFaults } from '../harness/sim';
import { AppShell } from '../pages/app-shell';

const VMID = 7401;

test.use({ storageState: SIGNED_OUT });

test.beforeAll(async () => {
  await createContainer(VMID, 'e2e-outside-outage');
});

test.afterAll(async () => {
  await setFaults({});
  await destroyContainer(VMID);
});

test('with Proxmox away the list stays readable and says since when, then goes live again', async ({ page }) => {
  test.setTimeout(90_000);
  await signInAs(page, 'admin', '/containers');
  await new AppShell(page).waitForHydration();
  const freshness = page.getByTestId('freshness');
  const row = page.locator(`[data-testid="container-row"][data-vmid="${VMID}"]`);
  await expect(row).toBeVisible({ timeout: 15_000 });
  await expect(freshness).toContainText('Live');

  await setFaults({ error_rate: 1.0, error_status: 503 });
  await expect(freshness).toContainText('Proxmox has not answered since', { timeout: 20_000 });
  await expect(freshness).toHaveClass(/freshness-bad/);
  await expect(row).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('containers-proxmox-away.png'), fullPage: true });

  await setFaults({});
  // The poller backs off to 15 s at most while Proxmox fails.
  await expect(freshness).toContainText('Live', { timeout: 30_000 });
  await expect(row).toBeVisible();
});
