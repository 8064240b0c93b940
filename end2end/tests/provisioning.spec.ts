// Provisioning: the new-container wizard checks each step with the server's rules and shows a
// problem at its field (the browser's own, and the server's after asking Proxmox); a valid spec
// becomes a run, and the browser lands on its progress page; the Jobs page lists it.
import { randomBytes } from 'node:crypto';
import { expect, refused, test } from '../fixtures';
import { AppShell } from '../pages/app-shell';

const KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOu7SxNCennoz7HiEI3gd08nVrW16fWLhGpFa8MGnHd6 e2e@berth';
const unique = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

test('a bad host name is shown at its field and nothing is created', async ({ page, pageProblems }) => {
  const shell = new AppShell(page);
  await page.goto('/containers/new?template=debian-base');
  await shell.waitForHydration();
  const hostname = page.locator('#tf-identity-hostname');
  await expect(hostname).toHaveValue('debian-base');

  await hostname.fill('bad_name!');
  await page.getByTestId('wizard-next').click();
  await expect(page.getByTestId('step-identity')).toBeVisible();
  await expect(hostname).toHaveAttribute('aria-invalid', 'true');
  await expect(hostname).toBeFocused();
  const problem = page.locator('#problem-identity-hostname');
  await expect(problem).toBeVisible();
  await expect(hostname).toHaveAttribute('aria-describedby', /problem-identity-hostname/);
  await page.screenshot({ path: 'test-results/wizard-problem.png', fullPage: true });

  // Fixed, the step lets go; a storage Proxmox does not have comes back from the server at its field.
  await hostname.fill(unique('e2e-bad'));
  await expect(hostname).not.toHaveAttribute('aria-invalid', 'true');
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('wizard-next').click();
  await page.locator('#tf-storage-rootfs-storage').fill('no-such-storage');
  for (let i = 0; i < 2; i++) await page.getByTestId('wizard-next').click();
  await page.locator('#tf-access-ssh-keys').fill(KEY);
  for (let i = 0; i < 2; i++) await page.getByTestId('wizard-next').click();
  await page.getByTestId('wizard-create').click();
  const storage = page.locator('#tf-storage-rootfs-storage');
  await expect(storage).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#problem-storage-rootfs-storage')).toContainText('no-such-storage');
  await expect(storage).toBeFocused();
  refused(pageProblems, 400, '/api/fn/containers/create');

  await page.goto('/jobs');
  await expect(page.getByRole('heading', { level: 1, name: 'Jobs' })).toBeVisible();
  await expect(page.getByText('e2e-bad-')).toHaveCount(0);
});

test('a valid spec becomes a run and the browser lands on its progress', async ({ page }) => {
  const shell = new AppShell(page);
  const name = unique('e2e-web');

  await page.goto('/containers');
  await page.getByTestId('new-container').click();
  await shell.waitForHydration();
  await page.locator('[data-testid="wizard-template"][data-name="debian-base"] a').click();
  await expect(page).toHaveURL(/template=debian-base/);

  await page.locator('#tf-identity-hostname').fill(name);
  await page.locator('#tf-identity-tags').fill('e2e, web');
  await page.getByTestId('wizard-next').click();
  await expect(page.locator('#tf-resources-cores')).toHaveValue(/\d+/);
  await page.getByTestId('wizard-next').click();
  await page.locator('#tf-storage-rootfs-storage').fill('local-lvm');
  await page.getByTestId('wizard-next').click();
  await expect(page.getByTestId('step-network')).toBeVisible();
  await page.getByTestId('wizard-next').click();
  await page.locator('#tf-access-ssh-keys').fill(KEY);
  await page.locator('#tf-access-root-password').fill('e2e-root-password');
  await page.getByTestId('wizard-next').click();
  await expect(page.locator('#tf-inputs-owner-team')).toHaveValue('platform');
  await page.getByTestId('wizard-next').click();

  const review = page.getByTestId('review');
  await expect(review).toContainText(name);
  await expect(review).toContainText('local-lvm');
  await expect(review).toContainText('set (hidden)');
  await expect(review).not.toContainText('e2e-root-password');
  await page.screenshot({ path: 'test-results/wizard-review.png', fullPage: true });

  await page.getByTestId('wizard-create').click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  const run = page.getByTestId('run');
  await expect(run).toContainText(name);
  await expect(run).toContainText('debian-base v');
  await expect(page.getByTestId('run-state')).toHaveText(/Queued|Running|Succeeded|Failed/);
  await expect(page.getByTestId('stage')).toHaveCount(9);
  await expect(page.getByTestId('run-log')).toBeVisible();
  await page.screenshot({ path: 'test-results/run-progress.png', fullPage: true });

  const id = new URL(page.url()).pathname.split('/').pop();
  await page.goto('/jobs');
  const row = page.locator('[data-testid="run-row"]', { hasText: name });
  await expect(row).toBeVisible();
  await expect(row).toContainText('debian-base v');
  await row.getByRole('link', { name }).click();
  await expect(page).toHaveURL(new RegExp(`/jobs/${id}$`));
});
