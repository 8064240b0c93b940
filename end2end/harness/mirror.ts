// The artifact mirror of the run: what the web3-dev template's scripts download (Node.js,
// code-server, File Browser, the opencode npm package), built from scratch by the harness and
// served on 127.0.0.1, so provisioning needs no internet. The artifacts really run inside the
// simulator's bubblewrap sandboxes, which see the host's /usr: the Node.js "release" wraps the
// host's node and npm, and the other programs are node stand-ins (harness/mirror/stand-ins/).
// `env` points the scripts at it; versions stay at the scripts' defaults except Node.js, which is
// the host's (a test enters `nodeVersion` as the template's node_version input).
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildCodeServer } from './mirror/code-server';
import { buildFilebrowser } from './mirror/filebrowser';
import { buildNodeDist } from './mirror/node';
import { buildNpmRegistry } from './mirror/npm';
import { serveStatic } from './mirror/serve';

export interface Mirror {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  /** NODE_DIST_URL, CODE_SERVER_URL, FILEBROWSER_URL and npm_config_* for the scripts. */
  env: Record<string, string>;
  /** The host's node version, without the leading `v`: the one the mirror serves. */
  nodeVersion: string;
  codeServerVersion: string;
  filebrowserVersion: string;
  /** One line per request (`GET /path 200`), to tell what the scripts fetched. */
  logPath: string;
  stop(): Promise<void>;
}

/** Builds the artifacts into `dir` (emptied first) and serves it; logs to `<logDir>/mirror.log`. */
export async function startMirror(dir: string, logDir: string): Promise<Mirror> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  mkdirSync(logDir, { recursive: true });
  const logPath = join(logDir, 'mirror.log');
  // Served before it is built: the npm packument needs the mirror's URL for its tarball.
  const aliases = new Map<string, string>();
  const server = await serveStatic(dir, aliases, logPath);
  try {
    const [nodeVersion, codeServerVersion, filebrowserVersion, npm] = await Promise.all([
      buildNodeDist(dir),
      buildCodeServer(dir),
      buildFilebrowser(dir),
      buildNpmRegistry(dir, server.url),
    ]);
    for (const [path, file] of npm.aliases) aliases.set(path, file);
    return {
      url: server.url,
      env: {
        NODE_DIST_URL: `${server.url}/node`,
        CODE_SERVER_URL: `${server.url}/code-server`,
        FILEBROWSER_URL: `${server.url}/filebrowser`,
        npm_config_registry: `${server.url}/npm/`,
        // Otherwise npm asks the registry for the `npm` package, to suggest an upgrade.
        npm_config_update_notifier: 'false',
      },
      nodeVersion,
      codeServerVersion,
      filebrowserVersion,
      logPath,
      stop: () => server.close(),
    };
  } catch (e) {
    await server.close();
    throw e;
  }
}
