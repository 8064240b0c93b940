// Templates: the built-in catalog is there and filters; an admin creates a bucket and a template
// with a file, a script and an input through the sectioned form, sees it saved after a reload,
// edits it (a second version, with a diff), exports it and imports it back; a bucket in use is
// not deleted; a viewer reads but is offered no editing.
import { randomBytes } from 'node:crypto';
import { expect, signInAs, test, SIGNED_OUT } from '../fixtures';
import { AppShell } from '../pages/app-shell';

const unique = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;

/** Takes an expected refusal (the response and its console line) out of the page's problems. */
function refused(problems: string[], status: number, path: string): void {
  const before = problems.length;
  for (let i = problems.length - 1; i >= 0; i--) {
    if (problems[i].includes(path) && problems[i].includes(String(status))) problems.splice(i, 1);
  }
  expect(before - problems.length, `a ${status} from ${path}`).toBeGreaterThan(0);
}

test('the catalog lists the built-in templates and filters them', async ({ page }) => {
  const shell = new AppShell(page);
  await page.goto('/templates');
  await shell.waitForHydration();
  const cards = page.getByTestId('template-card');
  for (const name of ['debian-base', 'web3-dev', 'lukso-node', 'dokploy', 'comfyui']) {
    await expect(page.locator(`[data-testid="template-card"][data-name="${name}"]`)).toBeVisible();
  }
  await page.screenshot({ path: test.info().outputPath('templates-catalog.png'), fullPage: true });
  await page.getByLabel('Search').fill('code-server');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/search=code-server/);
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toHaveAttribute('data-name', 'web3-dev');

  await page.goto('/template/web3-dev');
  await expect(page.getByTestId('template-title')).toHaveText('Web3 development box');
  await expect(page.getByTestId('template-buckets')).toContainText('base-tools');
  await expect(page.getByTestId('template-history')).toContainText('v1');
});

test('an admin creates, edits, exports and re-imports a template', async ({ page, pageProblems }) => {
  const shell = new AppShell(page);
  const bucket = unique('e2e-tools');
  const name = unique('e2e-web');

  await page.goto('/templates/new');
  await shell.waitForHydration();
  const form = page.getByTestId('template-form');

  // Client-side checks name the field before anything is sent.
  await page.getByTestId('save-template').click();
  await expect(page.getByTestId('form-problems')).toContainText('name: is required');

  await form.getByLabel('Name (slug)').fill(name);
  await form.getByLabel('Title').fill('E2E web server');
  await form.getByLabel('Category').fill('e2e');
  await form.getByLabel('Cores').fill('2');

  // A bucket made inline, without leaving the form.
  await page.getByTestId('create-bucket-inline').click();
  const bucketForm = page.getByTestId('bucket-form');
  await bucketForm.getByLabel('Bucket name').fill(bucket);
  await bucketForm.getByLabel('Packages').fill('curl\nnot a package');
  await bucketForm.getByTestId('save-bucket').click();
  await expect(bucketForm).toContainText('packages[1]');
  await bucketForm.getByLabel('Packages').fill('curl\njq=1.6-2.1');
  await bucketForm.getByTestId('save-bucket').click();
  await expect(page.getByTestId('chosen-buckets')).toContainText(bucket);

  await page.getByTestId('add-file').click();
  await form.getByLabel('Path').fill('/etc/motd');
  await form.getByLabel('Content').fill('Welcome to {{site_name}}\n');
  await page.getByTestId('add-script').click();
  await form.getByLabel('Script', { exact: true }).fill('echo "hello from $BERTH_INPUT_SITE_NAME"\n');
  await page.getByTestId('add-input').click();
  const input = page.getByTestId('input-editor');
  await input.getByLabel('Name').fill('site_name');
  await input.getByLabel('Label').fill('Site name');
  await input.getByLabel('Default').fill('example');
  await expect(page.getByTestId('unsaved')).toBeVisible();
  await page.getByTestId('save-template').click();

  await expect(page).toHaveURL(new RegExp(`/template/${name}$`));
  await page.reload();
  await shell.waitForHydration();
  await expect(page.getByTestId('template-title')).toHaveText('E2E web server');
  await expect(page.getByTestId('template-buckets')).toContainText(`${bucket}`);
  await expect(page.getByTestId('template-files')).toContainText('/etc/motd');
  await expect(page.getByTestId('template-scripts')).toContainText('step 1');
  await expect(page.getByTestId('template-inputs')).toContainText('site_name');
  await expect(page.getByTestId('template-facts')).toContainText('2');

  // Edit: a second version, and the diff between them.
  await page.getByTestId('edit-template').click();
  await shell.waitForHydration();
  await page.getByTestId('template-form').getByLabel('Cores').fill('4');
  await page.getByLabel('Note for the history').fill('more cores');
  await page.getByTestId('save-template').click();
  await expect(page).toHaveURL(new RegExp(`/template/${name}$`));
  const history = page.getByTestId('template-history');
  await expect(history).toContainText('v2');
  await expect(history).toContainText('more cores');
  await expect(page.getByTestId('template-diff')).toContainText('- ');
  await expect(page.getByTestId('template-diff').locator('ins')).toContainText('cores: 4');

  // Export, then import the file back: a third version with the same content.
  const download = page.waitForEvent('download');
  await page.getByTestId('export-template').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`${name}.yaml`);
  const yaml = await (await page.request.get(`/templates/export/${name}`)).text();
  expect(yaml).toContain(`name: ${name}`);
  expect(yaml).toContain(`- name: ${bucket}`);

  await page.goto('/templates/import');
  await shell.waitForHydration();
  await page.getByLabel('or paste the YAML').fill(yaml.replace('cores: 4', 'cores: many'));
  await page.getByTestId('import-submit').click();
  await expect(page.getByTestId('import-problems')).toContainText('template.resources.cores');
  refused(pageProblems, 400, '/api/fn/templates/import');
  await page.getByLabel('or paste the YAML').fill(yaml);
  await page.getByTestId('import-submit').click();
  await expect(page.getByTestId('import-done')).toContainText(`Updated ${name} as version 3`);
  const again = await (await page.request.get(`/templates/export/${name}`)).text();
  expect(again).toBe(yaml);

  // The bucket is in use: deleting it is refused, and says by which template.
  await page.goto('/templates/buckets');
  await shell.waitForHydration();
  page.once('dialog', (dialog) => void dialog.accept());
  await page.locator(`tr[data-name="${bucket}"]`).getByTestId('delete-bucket').click();
  await expect(page.getByTestId('bucket-delete-error')).toContainText(name);
  refused(pageProblems, 409, '/api/fn/buckets/delete');
  await expect(page.locator(`tr[data-name="${bucket}"]`)).toBeVisible();
});

test('leaving the form with unsaved changes asks first', async ({ page }) => {
  await page.goto('/templates/new');
  await new AppShell(page).waitForHydration();
  // A click and typing: Chromium only asks on pages the user has interacted with.
  await page.getByTestId('template-form').getByLabel('Title').click();
  await page.keyboard.type('Half done');
  await expect(page.getByTestId('unsaved')).toBeVisible();
  const dialog = page.waitForEvent('dialog');
  await page.close({ runBeforeUnload: true });
  const asked = await dialog;
  expect(asked.type()).toBe('beforeunload');
  await asked.accept();
});

test('a link away from a changed form asks first, and staying keeps the changes', async ({ page }) => {
  const shell = new AppShell(page);
  await page.goto('/templates/new');
  await shell.waitForHydration();
  await page.getByTestId('template-form').getByLabel('Title').fill('Not saved yet');
  let asked = '';
  page.once('dialog', (dialog) => {
    asked = dialog.message();
    void dialog.dismiss();
  });
  await shell.navLink('Jobs').click();
  await expect.poll(() => asked).toContain('unsaved changes');
  await expect(page).toHaveURL(/\/templates\/new$/);
  await expect(page.getByTestId('template-form').getByLabel('Title')).toHaveValue('Not saved yet');
  page.once('dialog', (dialog) => void dialog.accept());
  await shell.navLink('Jobs').click();
  await expect(page).toHaveURL(/\/jobs$/);
});

test.describe('as a viewer', () => {
  test.use({ storageState: SIGNED_OUT });

  test('templates can be read but not edited', async ({ page, request }) => {
    await signInAs(page, 'viewer', '/templates');
    await new AppShell(page).waitForHydration();
    await expect(page.getByTestId('template-card').first()).toBeVisible();
    await expect(page.getByTestId('new-template')).toHaveCount(0);
    await page.goto('/template/debian-base');
    await expect(page.getByTestId('template-title')).toBeVisible();
    await expect(page.getByTestId('edit-template')).toHaveCount(0);
    // The server decides, not the hidden button.
    const save = await page.request.post('/api/fn/templates/delete', {
      form: { name: 'debian-base' },
      headers: { Origin: new URL(page.url()).origin },
    });
    expect(save.status()).toBe(403);
    void request;
  });
});
