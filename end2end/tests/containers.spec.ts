// A new operator's whole journey: sign in, create a container from the web3-dev template through
// the wizard, watch its stages complete live, find it running in the containers list, stop it,
// snapshot it and destroy it — every change arriving over the websocket, without a reload.
//
// The run goes through all nine stages when the harness could give the worker SSH into the
// simulator's sandboxed containers (BERTH_E2E_WORKER_SSH=direct): the template's four scripts
// really install Node.js, code-server, File Browser and opencode from the run's artifact mirror
// (harness/mirror.ts), start the services under the sandbox's systemd stand-in, and the verify
// stage asks code-server's /healthz. Otherwise the run stops, as designed, before `connect` with
// its container kept, and the journey goes on from there.
import { randomBytes } from 'node:crypto';
import { SIGNED_OUT, expect, signInAs, test } from '../fixtures';
import { AppShell } from '../pages/app-shell';
import { createFromTemplate } from '../pages/wizard';

const fullPipeline = process.env.BERTH_E2E_WORKER_SSH === 'direct';
/** The Node.js version the mirror serves (the host's); any valid one when runs stop early. */
const nodeVersion = process.env.BERTH_E2E_NODE_VERSION ?? '22.11.0';

test.use({ storageState: SIGNED_OUT });

test('create from web3-dev, watch, stop, snapshot and destroy a container', async ({ page }) => {
  test.setTimeout(240_000);
  const name = `e2e-ct-${randomBytes(3).toString('hex')}`;
  const password = randomBytes(12).toString('base64url');
  let appUrl = '';
  const shell = new AppShell(page);

  await signInAs(page, 'admin', '/containers');
  await shell.waitForHydration();
  await page.getByTestId('new-container').click();
  await createFromTemplate(page, 'web3-dev', {
    hostname: name,
    inputs: { code_server_password: password, node_version: nodeVersion },
  });

  // The stages fill in live: the first ones finish while the page is open.
  const stage = (key: string) => page.locator(`[data-testid="stage"][data-stage="${key}"]`);
  await expect(stage('create_container')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect(stage('start_container')).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  if (fullPipeline) {
    await expect(page.getByTestId('run-state')).toHaveText('Succeeded', { timeout: 180_000 });
    await expect(page.locator('[data-testid="stage"][data-state="done"]')).toHaveCount(9);
    // Each script's last word, from the live log; the password is never shown.
    const log = page.getByTestId('run-log');
    await expect(log).toContainText(`node v${nodeVersion}`);
    await expect(log).toContainText('code-server listens on');
    await expect(log).toContainText('File Browser listens on port 8081');
    await expect(log).toContainText('opencode 1.18.33 is in /usr/local/bin');
    await expect(page.locator('body')).not.toContainText(password);
    // Open the app: code-server at the container's address, really answering there.
    const link = page.locator('[data-testid="app-link"][data-label="code-server"]');
    await expect(link).toContainText('the password you chose');
    appUrl = (await link.getByTestId('app-url').textContent()) ?? '';
    expect(appUrl).toMatch(/^http:\/\/127\.[0-9.]+:8080\/$/);
    expect((await page.request.get(`${appUrl}healthz`)).status()).toBe(200);
    await expect(page.locator('[data-testid="app-link"][data-label="File Browser"]')).toContainText('Sign in as admin');
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
  // Its services stopped with it.
  if (appUrl) await expect(page.request.get(`${appUrl}healthz`)).rejects.toThrow(/ECONNREFUSED/);
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
