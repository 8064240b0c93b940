// The New container wizard driven the quick way: a template, the fields a run needs, the
// defaults for everything else, then Create. Leaves the page on the run's progress page.
import { type Page, expect } from '@playwright/test';
import { AppShell } from './app-shell';

/** A public key the wizard accepts; nobody holds its private half. */
export const E2E_SSH_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOu7SxNCennoz7HiEI3gd08nVrW16fWLhGpFa8MGnHd6 e2e@berth';

export interface QuickCreate {
  hostname: string;
  /** Chosen instead of automatic. */
  vmid?: number;
  node?: string;
  /** The template's inputs by name (`code_server_password` fills `#tf-inputs-code-server-password`). */
  inputs?: Record<string, string>;
}

/** From the wizard's template step (`/containers/new`) to the run's page, with debian-base. */
export async function createFromDebianBase(page: Page, options: QuickCreate) {
  await createFromTemplate(page, 'debian-base', options);
}

/** From the wizard's template step (`/containers/new`) to the run's page. */
export async function createFromTemplate(page: Page, template: string, options: QuickCreate) {
  const shell = new AppShell(page);
  await page.locator(`[data-testid="wizard-template"][data-name="${template}"] a`).click();
  await shell.waitForHydration();
  await page.locator('#tf-identity-hostname').fill(options.hostname);
  if (options.vmid !== undefined) await page.locator('#tf-identity-vmid').fill(String(options.vmid));
  if (options.node !== undefined) await page.locator('#tf-identity-node').fill(options.node);
  for (let i = 0; i < 2; i++) await page.getByTestId('wizard-next').click();
  await page.locator('#tf-storage-rootfs-storage').fill('local-lvm');
  for (let i = 0; i < 2; i++) await page.getByTestId('wizard-next').click();
  await page.locator('#tf-access-ssh-keys').fill(E2E_SSH_KEY);
  await page.getByTestId('wizard-next').click();
  for (const [name, value] of Object.entries(options.inputs ?? {})) {
    await page.locator(`#tf-inputs-${name.replaceAll('_', '-')}`).fill(value);
  }
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('wizard-create').click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
}
