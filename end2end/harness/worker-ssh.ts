// The run's worker and SSH. When `cargo xtask test` started the Proxmox VE simulator with
// container sandboxes behind its sshd (it then sets BERTH_E2E_PVE_SSH_PORT), the worker gets a
// fresh key and "direct" mode: it injects the public half into every container it creates and
// runs the stages after `connect` over `ssh root@<container address>` on that port, so a run goes
// through all nine stages. Otherwise the worker has no key and runs stop before `connect`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export interface WorkerSsh {
  /** `direct`, or `off` without sandboxes. */
  mode: 'direct' | 'off';
  /** BERTH_WORKER_* settings for berth-worker (empty when off). */
  env: Record<string, string>;
  /** The worker's private key (`<key>.pub` beside it), for tests that ssh into a container. */
  key?: string;
  /** One line for the run's log. */
  note: string;
}

export function workerSsh(logDir: string): WorkerSsh {
  const port = process.env.BERTH_E2E_PVE_SSH_PORT;
  if (!port) {
    return {
      mode: 'off',
      env: {},
      note: 'worker without an SSH key (the simulator has no sandboxes: BERTH_E2E_PVE_SSH_PORT is unset); runs stop before `connect`',
    };
  }
  const dir = join(logDir, 'worker-ssh');
  // A fresh pair per run; ssh-keygen would ask before overwriting an old one.
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = join(dir, 'id_ed25519');
  try {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'berth-e2e-worker', '-f', key], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  } catch (e) {
    throw new Error(`ssh-keygen for the worker's key failed: ${(e as Error).message}`);
  }
  return {
    mode: 'direct',
    key,
    env: {
      BERTH_WORKER_SSH_KEY: key,
      BERTH_WORKER_SSH_MODE: 'direct',
      BERTH_WORKER_SSH_PORT: port,
      BERTH_WORKER_STATE_DIR: join(logDir, 'worker-state'),
    },
    note: `worker reaches containers over SSH (direct mode, the simulator's sshd on port ${port}): runs go through all nine stages`,
  };
}
