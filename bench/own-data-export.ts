/**
 * What a person's own-data export (GET /api/me/export) costs the server when they have many rooms.
 *
 *   node --expose-gc bench/own-data-export.ts [--rooms 200] [--notes 100] [--chars 2000]
 *
 * One user with `rooms` private notes rooms and as many group rooms holding `notes` notes or
 * comments of `chars` characters each (a third of the group comments theirs), written straight to
 * storage. Prints the file's size, the time to stream it, the server process's RSS growth while it
 * streams (sampled every 10 ms), and the event loop's longest delay meanwhile (one room's parse).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { addMembership, createGroup, createUser } from '@randnoter/server/auth/accounts';
import { DEFAULT_LIMITS } from '@randnoter/server/config';
import { silentLogger } from '@randnoter/server/log';
import { startServer } from '@randnoter/server/server';
import { insertAnnotation } from '@randnoter/shared/model/annotation-doc';
import * as Y from 'yjs';

const { values } = parseArgs({
  options: {
    rooms: { type: 'string', default: '200' },
    notes: { type: 'string', default: '100' },
    chars: { type: 'string', default: '2000' },
  },
});
const ROOMS = Number(values.rooms);
const NOTES = Number(values.notes);
const CHARS = Number(values.chars);

const dbPath = join(mkdtempSync(join(tmpdir(), 'randnoter-bench-')), 'bench.sqlite');
const server = await startServer(
  {
    host: '127.0.0.1',
    port: 0,
    database: { kind: 'sqlite', path: dbPath, durability: 'normal' },
    redisPrefix: 'b:',
    logLevel: 'error',
    limits: DEFAULT_LIMITS,
  },
  silentLogger,
);
const now = new Date().toISOString();
const { user, token } = await createUser(server.db, 'Anne Jensen', 'udvalg', now);
const { user: bo } = await createUser(server.db, 'Bo Hansen', undefined, now);
await createGroup(server.db, 'udvalg', 'Udvalget', now);
await addMembership(server.db, 'udvalg', bo.id, {});

function roomBytes(authorOf: (i: number) => { id: string; name: string } | null): Uint8Array {
  const doc = new Y.Doc();
  for (let i = 0; i < NOTES; i++) {
    const kind = authorOf(i) ? 'comment' : 'note';
    insertAnnotation(
      doc,
      { id: `a${i}`, kind, body: `${i} ${'x'.repeat(CHARS)}`, replyTo: null, color: null, tags: [], target: { page: 1 } },
      authorOf(i),
      now,
    );
  }
  const bytes = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return bytes;
}
const notesRoom = roomBytes(() => null);
const sharedRoom = roomBytes((i) => (i % 3 === 0 ? { id: user.id, name: user.name } : { id: bo.id, name: bo.name }));
for (let r = 0; r < ROOMS; r++) {
  await server.docs.append([
    { room: `notes/${user.id}/p${r}`, data: notesRoom },
    { room: `shared/udvalg/p${r}`, data: sharedRoom },
  ]);
}
const stored = (notesRoom.byteLength + sharedRoom.byteLength) * ROOMS;

(globalThis as { gc?: () => void }).gc?.();
const rssBefore = process.memoryUsage().rss;
let rssPeak = rssBefore;
const sampler = setInterval(() => {
  rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
}, 10);
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
const started = performance.now();
const response = await fetch(`${server.url}/api/me/export`, { headers: { authorization: `Bearer ${token}` } });
let bytes = 0;
const reader = response.body?.getReader();
for (;;) {
  const chunk = await reader?.read();
  if (!chunk || chunk.done) break;
  bytes += chunk.value.byteLength;
}
const ms = performance.now() - started;
loop.disable();
clearInterval(sampler);
const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
console.log(`rooms: ${ROOMS} notes + ${ROOMS} group rooms, ${NOTES} annotations of ${CHARS} chars each; stored ${mib(stored)}`);
console.log(`status ${response.status}; file ${mib(bytes)} in ${(ms / 1000).toFixed(2)} s`);
console.log(`RSS growth while streaming (server and client in one process): ${mib(rssPeak - rssBefore)}`);
console.log(`event loop: longest delay ${(loop.max / 1e6).toFixed(0)} ms, p99 ${(loop.percentile(99) / 1e6).toFixed(0)} ms`);
await server.close();
