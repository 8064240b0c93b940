// The mirror's code-server release, laid out like its GitHub releases:
// `v<ver>/code-server_<ver>_<arch>.deb`. The package has the real one's layout (the program under
// /usr/lib/code-server, a /usr/bin link, the code-server@.service unit) around a node stand-in
// (stand-ins/code-server.cjs) instead of VS Code.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { debianArch, run, standIn, writeFile } from './util';

/** install-code-server's default version. */
export const CODE_SERVER_VERSION = '4.100.3';
const CODE_VERSION = '1.100.3';

// The unit of the real package, byte for byte in substance.
const UNIT = `[Unit]
Description=code-server
After=network.target

[Service]
Type=exec
ExecStart=/usr/bin/code-server
Restart=always
User=%i

[Install]
WantedBy=default.target
`;

/** Builds the .deb into `<root>/code-server/`; returns the code-server version. */
export async function buildCodeServer(root: string): Promise<string> {
  const arch = await debianArch();
  const stage = mkdtempSync(join(tmpdir(), 'berth-mirror-code-server-'));
  try {
    const program = standIn('code-server.cjs', {
      VERSION: CODE_SERVER_VERSION,
      COMMIT: 'deadbeef'.repeat(5),
      CODE_VERSION,
    });
    writeFile(join(stage, 'usr/lib/code-server/bin/code-server'), program, 0o755);
    mkdirSync(join(stage, 'usr/bin'), { recursive: true });
    symlinkSync('../lib/code-server/bin/code-server', join(stage, 'usr/bin/code-server'));
    writeFile(join(stage, 'usr/lib/systemd/system/code-server@.service'), UNIT);
    writeFile(
      join(stage, 'DEBIAN/control'),
      [
        'Package: code-server',
        `Version: ${CODE_SERVER_VERSION}`,
        `Architecture: ${arch}`,
        'Maintainer: Berth e2e mirror <berth-e2e@example.test>',
        'Description: stand-in for code-server, VS Code in the browser',
        ' Built by the Berth end-to-end harness: a small node program answering like code-server.',
        '',
      ].join('\n'),
    );
    // mkdtemp's 0700 would become the mode of the package's `./`; dpkg-deb refuses a control
    // directory with group or other write permission.
    chmodSync(stage, 0o755);
    chmodSync(join(stage, 'DEBIAN'), 0o755);
    const out = join(root, 'code-server', `v${CODE_SERVER_VERSION}`);
    mkdirSync(out, { recursive: true });
    const deb = join(out, `code-server_${CODE_SERVER_VERSION}_${arch}.deb`);
    await run('dpkg-deb', ['--build', '--root-owner-group', stage, deb]);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
  return CODE_SERVER_VERSION;
}
