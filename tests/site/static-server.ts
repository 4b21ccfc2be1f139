// A tiny static file server for the built site, as a static host would serve it:
// `/path/` → `/path/index.html`, `/path` (a folder) → redirect to `/path/`, anything missing →
// `404.html` with status 404. Listens on 127.0.0.1 only.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  // Pagefind's index (`.pf_meta`, `.pf_index`, `.pf_fragment`) and its `wasm.*.pagefind` files.
  '.pagefind': 'application/octet-stream',
};

export function contentTypeOf(file: string): string {
  const ext = extname(file).toLowerCase();
  if (ext.startsWith('.pf_')) return 'application/octet-stream';
  return TYPES[ext] ?? 'application/octet-stream';
}

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

export async function serveStatic(root: string): Promise<StaticServer> {
  const isFile = async (path: string) => (await stat(path).catch(() => null))?.isFile() ?? false;
  const isDir = async (path: string) => (await stat(path).catch(() => null))?.isDirectory() ?? false;

  const server = createServer(async (req, res) => {
    const send = (status: number, file: string) => {
      res.writeHead(status, { 'content-type': contentTypeOf(file), 'cache-control': 'no-store' });
      if (req.method === 'HEAD') res.end();
      else createReadStream(file).pipe(res);
    };
    const notFound = async () => {
      const page = join(root, '404.html');
      if (await isFile(page)) send(404, page);
      else res.writeHead(404, { 'content-type': 'text/plain' }).end('404 Not Found');
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const file = normalize(join(root, pathname));
    if (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep)) return notFound();
    if (pathname.endsWith('/')) {
      const index = join(file, 'index.html');
      return (await isFile(index)) ? send(200, index) : notFound();
    }
    if (await isFile(file)) return send(200, file);
    if ((await isDir(file)) && (await isFile(join(file, 'index.html')))) {
      const query = req.url?.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
      res.writeHead(301, { location: `${encodeURI(pathname)}/${query}` }).end();
      return;
    }
    return notFound();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
