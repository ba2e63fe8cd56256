/**
 * The reference y-websocket server (`@y/websocket-server`) with LevelDB persistence switched on.
 * The package ships its persistence commented out (`YPERSISTENCE` in src/utils.js), so this
 * wires `y-leveldb` exactly as the classic y-websocket `bin/utils.js` did: `bindState` loads the
 * persisted document into the room and stores every update with `storeUpdate` (not awaited);
 * `writeState` does nothing. The HTTP/upgrade part is the package's src/server.js, with its own
 * `ws` (6.x).
 *
 * The package asks for a yjs 14 prerelease, and its `@y/protocols` range now resolves to a release
 * built for another yjs 14 package (`@y/y`): two CRDT engines in one process, which breaks every
 * update. The bench's package.json pins both to what the code was written against (yjs 13, the
 * yjs Randnoter and Hocuspocus run too, and @y/protocols 1.0.6-1), so all three servers compare
 * on the same CRDT engine. See docs/PERFORMANCE.md.
 *
 * Plain JavaScript, so it starts as the package itself would: through Node's type stripping this
 * wrapper cost the reference server 15 MiB of RSS and tens of milliseconds at every start, which
 * the footprint scenario would have counted against it.
 *
 *   node reference-server.mjs --port 0 --dir LEVELDB_DIR
 *
 * Prints {"msg":"listening","port":N} on stderr when ready. SIGTERM lets queued LevelDB writes
 * finish, closes the database and exits (the package itself has no shutdown).
 */

import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { docs, setPersistence, setupWSConnection } from '@y/websocket-server/utils';
import { LeveldbPersistence } from 'y-leveldb';
import * as Y from 'yjs';

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, dir: { type: 'string' } } });
if (!values.dir) throw new Error('--dir LEVELDB_DIR is required');

/** The `ws` the package depends on (its server.js imports it), not the bench's own. */
const packageRequire = createRequire(import.meta.resolve('@y/websocket-server/utils'));
/** @type {{ Server: new (options: { noServer: boolean }) => import('ws').WebSocketServer }} */
const PackageWebSocket = packageRequire('ws');

const ldb = new LeveldbPersistence(values.dir);
setPersistence({
  provider: ldb,
  bindState: async (/** @type {string} */ docName, /** @type {Y.Doc} */ ydoc) => {
    const persisted = await ldb.getYDoc(docName);
    const newUpdates = Y.encodeStateAsUpdate(ydoc);
    ldb.storeUpdate(docName, newUpdates);
    Y.applyUpdate(ydoc, Y.encodeStateAsUpdate(persisted));
    ydoc.on('update', (/** @type {Uint8Array} */ update) => {
      ldb.storeUpdate(docName, update);
    });
  },
  writeState: async () => {},
});

const http = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain' });
  response.end('okay');
});
const wss = new PackageWebSocket.Server({ noServer: true });
wss.on('connection', setupWSConnection);
http.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
});
http.listen(Number(values.port), '127.0.0.1', () => {
  const { port } = /** @type {import('node:net').AddressInfo} */ (http.address());
  process.stderr.write(`${JSON.stringify({ msg: 'listening', port, server: 'y-websocket-server', node: process.version })}\n`);
});

process.once('SIGTERM', () => {
  for (const ws of wss.clients) ws.terminate();
  wss.close();
  http.close();
  // destroy() waits for the queued storeUpdate transactions before closing LevelDB.
  void ldb.destroy().then(() => {
    for (const doc of docs.values()) doc.destroy();
    process.exit(0);
  });
});
