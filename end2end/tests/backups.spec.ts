// Admin → Backups in a real browser, on a second berth-server of the run that has
// BERTH_BACKUP_DIR set (the run's own server keeps backups off). Its schedule writes the first
// backup at start-up; the admin then backs up now, downloads a dump (a real pg_dump archive),
// and the overview page tells when the last backup was written.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { SIGNED_OUT, expect, expectNoProblems, signInAs, test, watchPage } from '../fixtures';
import { type ExtraServer, startExtraServer } from '../harness/server';
import { AppShell } from '../pages/app-shell';

let server: ExtraServer | undefined;

test.beforeAll(async ({}, testInfo) => {
  const dir = join(testInfo.project.outputDir, `backups-${randomBytes(4).toString('hex')}`);
  server = await startExtraServer('backups', testInfo.project.outputDir, {
    BERTH_BACKUP_DIR: dir,
    BERTH_BACKUP_EVERY_HOURS: '24',
    BERTH_BACKUP_KEEP: '5',
  });
});

test.afterAll(async () => {
  await server?.stop();
  server = undefined;
});

test('an admin backs up now, downloads the dump, and the overview shows the last backup', async ({ browser }) => {
  if (!server) throw new Error('the berth-server with backups did not start (see beforeAll)');
  const context = await browser.newContext({ baseURL: server.baseUrl, storageState: SIGNED_OUT });
  const page = await context.newPage();
  const problems: string[] = [];
  watchPage(page, problems);
  try {
    await signInAs(page, 'admin');
    await page.goto('/admin');
    await new AppShell(page).waitForHydration();
    const panel = page.getByTestId('backups');
    await expect(panel.getByTestId('backup-plan')).toContainText('Written every 24 hours');
    await expect(panel.getByTestId('backup-plan')).toContainText('keeping the newest 5');
    // The schedule's first backup (written at start-up, as none existed).
    const rows = panel.getByTestId('backup-row');
    await expect(async () => {
      await page.reload();
      await expect(rows).toHaveCount(1, { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await new AppShell(page).waitForHydration();

    await panel.getByTestId('back-up-now').click();
    await expect(panel.getByTestId('backup-made')).toContainText('Backed up to berth-');
    await expect(rows).toHaveCount(2);
    await expect(rows.first().getByText('Intact')).toBeVisible();
    const newest = await rows.first().getAttribute('data-name');
    expect(newest).toMatch(/^berth-.*\.dump$/);
    await page.screenshot({ path: test.info().outputPath('admin-backups.png'), fullPage: true });

    const downloading = page.waitForEvent('download');
    await rows.first().getByTestId('backup-download').click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(newest);
    const saved = test.info().outputPath('downloaded.dump');
    await download.saveAs(saved);
    // pg_dump's custom format starts with this magic.
    expect(readFileSync(saved).subarray(0, 5).toString('latin1')).toBe('PGDMP');

    await page.goto('/');
    const status = page.getByTestId('backup-status');
    await expect(status).toHaveAttribute('data-status', 'ok');
    await expect(status).toContainText('Backed up');
    await expect(status.getByTestId('backup-last-success')).toContainText(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    await page.screenshot({ path: test.info().outputPath('overview-backups.png'), fullPage: true });
    expectNoProblems(problems);
  } finally {
    await context.close();
  }
});

test('without a backup folder, Admin says backups are off and the overview says so too', async ({ page }) => {
  await page.goto('/admin');
  await expect(page.getByTestId('backups-off')).toContainText('BERTH_BACKUP_DIR');
  await page.goto('/');
  await expect(page.getByTestId('backup-status')).toHaveAttribute('data-status', 'off');
});
