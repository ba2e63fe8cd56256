/**
 * The reference y-websocket server (`@y/websocket-server`) with LevelDB persistence switched on.
 * The package ships its persistence commented out (`YPERSISTENCE` in src/utils.js), so this
 * wires `y-leveldb` the way the classic y-websocket `bin/utils.js` did: `bindState` loads the
 * persisted document into the room and stores every update with `storeUpdate` (not awaited);
 * `writeState` does nothing.
 *
 * The server bundles a yjs 14 prerelease while y-leveldb works with yjs 13, so only update bytes
 * cross between them (v1 updates), never Doc objects.
 *
 *   node reference-server.ts --port 0 --dir LEVELDB_DIR
 *
 * Prints {"msg":"listening","port":N} on stderr when ready. SIGTERM lets queued LevelDB writes
 * finish, closes the database and exits (the package itself has no shutdown).
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { docs, setPersistence, setupWSConnection } from '@y/websocket-server/utils';
import { WebSocketServer } from 'ws';
import { LeveldbPersistence } from 'y-leveldb';
import * as Y13 from 'yjs';

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, dir: { type: 'string' } } });
if (!values.dir) throw new Error('--dir LEVELDB_DIR is required');

/** The server's own yjs (14), by the very file its utils.js imports, so it is the same module instance. */
async function importServerYjs(): Promise<typeof Y13> {
  const utils = new URL(import.meta.resolve('@y/websocket-server/utils'));
  const pkgDir = new URL('../node_modules/yjs/', utils);
  const pkg = JSON.parse(readFileSync(new URL('package.json', pkgDir), 'utf8')) as { exports: { '.': { import: string } } };
  return (await import(new URL(pkg.exports['.'].import, pkgDir).href)) as typeof Y13;
}
const Y14 = await importServerYjs();

interface SharedDoc {
  on(event: 'update', listener: (update: Uint8Array) => void): void;
}

const ldb = new LeveldbPersistence(values.dir);
setPersistence({
  provider: ldb,
  bindState: async (docName: string, ydoc: SharedDoc) => {
    const persisted = await ldb.getYDoc(docName);
    const newUpdates = Y14.encodeStateAsUpdate(ydoc as unknown as Y13.Doc);
    ldb.storeUpdate(docName, newUpdates);
    Y14.applyUpdate(ydoc as unknown as Y13.Doc, Y13.encodeStateAsUpdate(persisted));
    ydoc.on('update', (update) => {
      ldb.storeUpdate(docName, update);
    });
  },
  writeState: async () => {},
});

const http = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain' });
  response.end('okay');
});
const wss = new WebSocketServer({ noServer: true });
wss.on('connection', setupWSConnection);
http.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
});
http.listen(Number(values.port), '127.0.0.1', () => {
  const { port } = http.address() as AddressInfo;
  process.stderr.write(`${JSON.stringify({ msg: 'listening', port, server: 'y-websocket-server', node: process.version })}\n`);
});

process.once('SIGTERM', () => {
  wss.close();
  http.close();
  for (const ws of wss.clients) ws.terminate();
  // destroy() waits for the queued storeUpdate transactions before closing LevelDB.
  void ldb.destroy().then(() => {
    for (const doc of docs.values()) doc.destroy();
    process.exit(0);
  });
});
