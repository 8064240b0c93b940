// A static file server for the mirror: GET and HEAD of regular files under `root`, nothing else
// (no directory listings, no paths outside `root`). `aliases` map a URL path to a file, for URLs
// that cannot be files because they are also directories (npm's `/npm/<name>` beside
// `/npm/<name>/-/<tarball>`). Every request is logged to `logPath`, to tell what a script fetched.
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';

const TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.xz': 'application/x-xz',
  '.gz': 'application/gzip',
  '.tgz': 'application/gzip',
  '.deb': 'application/vnd.debian.binary-package',
};

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

/** The file a URL path names (an alias, or the path under `root`), or undefined (bad encoding, `.`, `..`, NUL). */
function fileFor(root: string, aliases: Map<string, string>, urlPath: string): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const alias = aliases.get(path);
  if (alias) return join(root, alias);
  const parts = path.split('/').filter((p) => p !== '');
  if (parts.some((p) => p === '..' || p === '.' || p.includes('\0'))) return undefined;
  return join(root, ...parts);
}

export async function serveStatic(root: string, aliases: Map<string, string>, logPath: string): Promise<StaticServer> {
  const log = createWriteStream(logPath, { flags: 'a' });
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const done = (status: number) => log.write(`${req.method} ${req.url} ${status}\n`);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return done(405);
    }
    const file = fileFor(root, aliases, (req.url ?? '/').split('?')[0]);
    const stat = file ? statSync(file, { throwIfNoEntry: false }) : undefined;
    if (!file || !stat?.isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return done(404);
    }
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': stat.size,
    });
    done(200);
    if (req.method === 'HEAD') return res.end();
    createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  };
  const server = createServer(handle);
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      // Keep-alive connections (npm, curl --retry) would otherwise hold close() open.
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      await new Promise<void>((ok) => log.end(ok));
    },
  };
}
