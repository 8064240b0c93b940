// The mirror's File Browser release, laid out like its GitHub releases:
// `v<ver>/linux-<arch>-filebrowser.tar.gz` holding the `filebrowser` program, here a node stand-in
// (stand-ins/filebrowser.cjs) instead of the Go binary.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TAR_OPTIONS, debianArch, run, standIn, writeFile } from './util';

/** install-filebrowser's default version. */
export const FILEBROWSER_VERSION = '2.32.0';

/** Builds the tarball into `<root>/filebrowser/`; returns the File Browser version. */
export async function buildFilebrowser(root: string): Promise<string> {
  const arch = await debianArch();
  const stage = mkdtempSync(join(tmpdir(), 'berth-mirror-filebrowser-'));
  try {
    writeFile(join(stage, 'filebrowser'), standIn('filebrowser.cjs', { VERSION: FILEBROWSER_VERSION }), 0o755);
    // The real tarball has more members than the program; install-filebrowser extracts only it.
    writeFile(join(stage, 'README.md'), 'A stand-in for File Browser, built by the Berth e2e harness.\n');
    const out = join(root, 'filebrowser', `v${FILEBROWSER_VERSION}`);
    mkdirSync(out, { recursive: true });
    const tarball = join(out, `linux-${arch}-filebrowser.tar.gz`);
    await run('tar', [...TAR_OPTIONS, '-czf', tarball, '-C', stage, 'README.md', 'filebrowser']);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
  return FILEBROWSER_VERSION;
}
