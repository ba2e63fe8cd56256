/**
 * Hocuspocus with its SQLite extension, as its documentation sets it up; defaults otherwise
 * (stores are debounced: 2 s, at most 10 s). Plain JavaScript: it runs on the system Node 20,
 * the Node its better-sqlite3 build is for (see ../setup.ts).
 *
 *   /usr/bin/node hocuspocus-server.mjs --port 0 --db FILE
 *
 * Prints one JSON line {"msg":"listening","port":N} on stderr when ready, as Randnoter does.
 * SIGTERM stores every document and exits (Hocuspocus's own signal handling).
 */
import { parseArgs } from 'node:util';
import { SQLite } from '@hocuspocus/extension-sqlite';
import { Server } from '@hocuspocus/server';

const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, db: { type: 'string' } } });
if (!values.db) throw new Error('--db FILE is required');

const server = new Server({
  address: '127.0.0.1',
  port: Number(values.port),
  quiet: true,
  extensions: [new SQLite({ database: values.db })],
  onListen: async ({ port }) => {
    process.stderr.write(`${JSON.stringify({ msg: 'listening', port, server: 'hocuspocus', node: process.version })}\n`);
  },
});
await server.listen();
