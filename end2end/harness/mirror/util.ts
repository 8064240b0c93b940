// Small helpers the mirror's artifact builders share: running the packaging tools, hashing, and
// writing files with the modes the unpacked artifacts must have.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Runs a command to completion; throws with its stderr when it fails. Returns stdout. */
export async function run(cmd: string, args: string[], cwd?: string): Promise<string> {
  try {
    const { stdout } = await execFileAsync(cmd, args, { cwd, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (e) {
    const err = e as Error & { stderr?: string };
    throw new Error(`mirror: \`${cmd} ${args.join(' ')}\` failed: ${err.stderr?.trim() || err.message}`);
  }
}

/** tar options for root-owned members (whoever runs the harness), in a stable order. */
export const TAR_OPTIONS = ['--owner=0', '--group=0', '--numeric-owner', '--sort=name'];

export const fileHash = (algorithm: 'sha1' | 'sha256' | 'sha512', path: string, encoding: 'hex' | 'base64') =>
  createHash(algorithm).update(readFileSync(path)).digest(encoding);

/** Writes `content` to `path` (parents created) with `mode`, whatever the umask. */
export function writeFile(path: string, content: string, mode = 0o644): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  chmodSync(path, mode);
}

/**
 * A stand-in program from `stand-ins/` with its `__NAME__` placeholders replaced; throws if one
 * is missing, so a renamed placeholder cannot silently ship unreplaced.
 */
export function standIn(file: string, vars: Record<string, string>): string {
  let text = readFileSync(join(__dirname, 'stand-ins', file), 'utf8');
  for (const [name, value] of Object.entries(vars)) {
    const placeholder = `__${name}__`;
    if (!text.includes(placeholder)) throw new Error(`mirror: stand-ins/${file} has no ${placeholder}`);
    text = text.split(placeholder).join(value);
  }
  return text;
}

/** The Debian architecture of the host (`amd64`, `arm64`), as the template scripts compute it. */
export async function debianArch(): Promise<string> {
  return (await run('dpkg', ['--print-architecture'])).trim();
}
