// The mirror's Node.js "release", laid out like https://nodejs.org/dist: `v<ver>/SHASUMS256.txt`
// and `v<ver>/node-v<ver>-linux-<arch>.tar.xz`, where <ver> is the version of the node running the
// harness. The tarball holds no Node.js: its bin/ scripts exec the host's node, npm, npx and
// corepack, which the sandboxes see because the host's /usr is mounted into them. So this only
// works inside a sandbox when the host's node lives under /usr (as the Debian/NodeSource packages
// install it), not under e.g. ~/.nvm.
import {
  accessSync,
  constants,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join } from 'node:path';
import { TAR_OPTIONS, fileHash, run, writeFile } from './util';

/** Node's name for the CPU in its tarball names (`uname -m` mapped the same way by install-node). */
const NODE_ARCH: Record<string, string> = { x64: 'x64', arm64: 'arm64' };

/** The absolute path of an executable: beside the running node first, as in a real tarball, then $PATH. */
function findHostCommand(name: string): string | undefined {
  const dirs = [dirname(process.execPath), ...(process.env.PATH ?? '').split(delimiter).filter(Boolean)];
  for (const dir of dirs) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return realpathSync(join(dir, name));
    } catch {
      // not in this one
    }
  }
  return undefined;
}

/**
 * A sh script running `target` with the arguments given. npm, npx and corepack are JS files
 * with a `#!/usr/bin/env node` line: they are run with the host node explicitly, so they work
 * whatever node the sandbox's PATH finds first.
 */
function wrapper(target: string, node: string): string {
  const firstLine = readFileSync(target).subarray(0, 128).toString('latin1').split('\n')[0];
  const js = firstLine.startsWith('#!') && /\bnode\b/.test(firstLine);
  const command = js ? `'${node}' '${target}'` : `'${target}'`;
  const note = `# Berth e2e mirror: runs the host's ${basename(target)} in place of a Node.js release.`;
  return `#!/bin/sh\n${note}\nexec ${command} "$@"\n`;
}

/** Builds the release into `<root>/node/`; returns its version (no leading `v`). */
export async function buildNodeDist(root: string): Promise<string> {
  const version = process.version.replace(/^v/, '');
  const arch = NODE_ARCH[process.arch];
  if (!arch) throw new Error(`mirror: no Node.js tarball name for CPU ${process.arch}`);
  const node = realpathSync(process.execPath);
  const name = `node-v${version}-linux-${arch}`;

  const stage = mkdtempSync(join(tmpdir(), 'berth-mirror-node-'));
  try {
    writeFile(join(stage, name, 'bin', 'node'), wrapper(node, node), 0o755);
    for (const cmd of ['npm', 'npx', 'corepack']) {
      const target = findHostCommand(cmd);
      if (target) writeFile(join(stage, name, 'bin', cmd), wrapper(target, node), 0o755);
      else if (cmd !== 'corepack') throw new Error(`mirror: the host has no ${cmd} to wrap`);
    }
    const out = join(root, 'node', `v${version}`);
    mkdirSync(out, { recursive: true });
    const tarball = `${name}.tar.xz`;
    await run('tar', [...TAR_OPTIONS, '-cJf', join(out, tarball), '-C', stage, name]);
    writeFileSync(join(out, 'SHASUMS256.txt'), `${fileHash('sha256', join(out, tarball), 'hex')}  ${tarball}\n`);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
  return version;
}
