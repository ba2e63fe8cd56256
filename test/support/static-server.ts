/**
 * A stand-in for a municipality's web site: serves fixture files from a folder on 127.0.0.1,
 * optionally only to requests carrying a session cookie (as many meeting systems do).
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.html': 'text/html; charset=utf-8',
  // A portal's own pdf.js viewer (test/support/pdfjs-portal.ts).
  '.mjs': 'text/javascript',
  '.js': 'text/javascript',
  '.css': 'text/css',
};

export interface StaticServerOptions {
  requireCookie?: string;
  /**
   * Files served at addresses of their own, whatever the query, as `application/octet-stream`:
   * meeting systems seldom name a document `….pdf` (`/Document.ashx?id=7` → `packet.pdf`).
   */
  documents?: Record<string, string>;
}

export async function startStaticServer(dir: string, options: StaticServerOptions = {}): Promise<StaticServer> {
  const server: Server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/login') {
      // Sets the session cookie, like signing in to the meeting system.
      res.writeHead(200, { 'set-cookie': `${options.requireCookie ?? 'session'}=1; Path=/; SameSite=Lax`, 'content-type': 'text/html' });
      res.end('<p>Logget ind</p>');
      return;
    }
    if (options.requireCookie && !(req.headers.cookie ?? '').split(/;\s*/).includes(`${options.requireCookie}=1`)) {
      res.writeHead(403).end('forbidden');
      return;
    }
    const document = options.documents?.[path];
    if (document) {
      const body = await readFile(join(dir, document));
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.byteLength });
      res.end(body);
      return;
    }
    const name = path.slice(1);
    if (!/^[\w.-]+$/.test(name) || !TYPES[extname(name)]) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(join(dir, name));
      res.writeHead(200, { 'content-type': TYPES[extname(name)] as string, 'content-length': body.byteLength });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
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
