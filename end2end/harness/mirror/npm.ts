// The mirror's npm registry, enough for `npm install opencode-ai@<ver>`: the packument at
// `/npm/opencode-ai` (stored as npm/opencode-ai.json, since /npm/opencode-ai/ is also the
// tarball's directory: the server maps the route) and the tarball at
// `/npm/opencode-ai/-/opencode-ai-<ver>.tgz`, holding a node stand-in (stand-ins/opencode.cjs).
// npm may ask for the abbreviated packument (Accept: application/vnd.npm.install-v1+json); the
// full one served as application/json satisfies it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TAR_OPTIONS, fileHash, run, standIn, writeFile } from './util';

/** install-opencode's default version. */
export const OPENCODE_VERSION = '1.18.33';
const PACKAGE = 'opencode-ai';

export interface NpmRegistry {
  /** URL path → file under the mirror's root, for the static server. */
  aliases: Map<string, string>;
}

/** Builds the registry into `<root>/npm/`, with tarball URLs under `url` (the mirror's). */
export async function buildNpmRegistry(root: string, url: string): Promise<NpmRegistry> {
  const manifest = {
    name: PACKAGE,
    version: OPENCODE_VERSION,
    description: 'Stand-in for the opencode CLI, built by the Berth e2e harness',
    license: 'MIT',
    bin: { opencode: 'bin/opencode' },
  };
  const stage = mkdtempSync(join(tmpdir(), 'berth-mirror-npm-'));
  const tgzName = `${PACKAGE}-${OPENCODE_VERSION}.tgz`;
  const tgz = join(root, 'npm', PACKAGE, '-', tgzName);
  try {
    writeFile(join(stage, 'package/package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    writeFile(join(stage, 'package/bin/opencode'), standIn('opencode.cjs', { VERSION: OPENCODE_VERSION }), 0o755);
    mkdirSync(join(root, 'npm', PACKAGE, '-'), { recursive: true });
    await run('tar', [...TAR_OPTIONS, '-czf', tgz, '-C', stage, 'package']);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
  const packument = {
    name: PACKAGE,
    'dist-tags': { latest: OPENCODE_VERSION },
    versions: {
      [OPENCODE_VERSION]: {
        ...manifest,
        _id: `${PACKAGE}@${OPENCODE_VERSION}`,
        dist: {
          tarball: `${url}/npm/${PACKAGE}/-/${tgzName}`,
          shasum: fileHash('sha1', tgz, 'hex'),
          integrity: `sha512-${fileHash('sha512', tgz, 'base64')}`,
        },
      },
    },
  };
  writeFileSync(join(root, 'npm', `${PACKAGE}.json`), `${JSON.stringify(packument)}\n`);
  return { aliases: new Map([[`/npm/${PACKAGE}`, `npm/${PACKAGE}.json`]]) };
}
