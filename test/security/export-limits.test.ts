/**
 * The export limits of docs/SECURITY.md ("A signed-in user: exports"), each pushed past: an export
 * that takes too long, one that needs too much memory, a file too large to hand out, and more
 * exports than the process renders or queues. Each is refused with a clear {error}, and the
 * server goes on serving, exports included.
 */

import type { Limits } from '@randnoter/server/config';
import type { AnnotationDraft } from '@randnoter/shared/model/annotation';
import { insertAnnotation } from '@randnoter/shared/model/annotation-doc';
import { storageName } from '@randnoter/shared/protocol/rooms';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { api, commentDraft } from '../support/api.ts';
import { tempDbPath } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';

const COMMENTS = 10_000;

const comment = (i: number): AnnotationDraft => ({
  id: `c-${i}`,
  kind: 'comment',
  body: `Kommentar ${i}: hvad koster udvidelsen af skolen i 2025, og hvem betaler? Vi bør spørge forvaltningen før mødet.`,
  replyTo: null,
  color: null,
  tags: [],
  target: { page: 2 + (i % 300) },
});

async function metric(server: TestServer, line: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return Number(
    text
      .split('\n')
      .find((l) => l.startsWith(`${line} `))
      ?.split(' ')[1] ?? 0,
  );
}

describe('export limits', () => {
  const database = tempDbPath();
  let server: TestServer | undefined;
  let anne: { id: string; name: string; token: string };
  let bo: { id: string; name: string; token: string };

  const start = async (limits: Partial<Limits>) => {
    server = await startTestServer({ database, limits });
    return server;
  };
  const exportAs = (token: string, packet: string, format: string, signal?: AbortSignal) =>
    fetch(`${server?.url}/api/packets/${packet}/export?format=${format}`, {
      headers: { authorization: `Bearer ${token}` },
      ...(signal ? { signal } : {}),
    });
  /** The server still answers, and still exports (a small room). */
  async function expectServing(): Promise<void> {
    expect(await (await fetch(`${server?.url}/health`)).json()).toMatchObject({ ok: true });
    const small = await exportAs(anne.token, 'small', 'md');
    expect(small.status).toBe(200);
    expect(await small.text()).toContain('Et kort spørgsmål');
  }

  beforeAll(async () => {
    const writer = await startTestServer({ database });
    anne = await writer.addUser('Anne Jensen', 'udvalg');
    bo = await writer.addUser('Bo Hansen', 'udvalg');
    await writer.rooms.use(storageName({ kind: 'shared', groupId: 'udvalg', packetId: 'big' }, anne.id), (room) =>
      room.change((doc) => {
        for (let i = 0; i < COMMENTS; i++) insertAnnotation(doc, comment(i), { id: anne.id, name: anne.name }, '2026-03-10T09:00:00.000Z');
      }),
    );
    const posted = await api(writer.url, anne.token, 'POST', '/api/groups/udvalg/packets/small/annotations', {
      ...commentDraft('s1', 'Et kort spørgsmål'),
    });
    expect(posted.status).toBe(201);
    await writer.close();
  }, 60_000);

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('stops an export past the time limit with 504 and ends its worker', async () => {
    const running = await start({ exportTimeoutMs: 1_500 });
    const response = await exportAs(anne.token, 'big', 'overview-pdf');
    expect(response.status).toBe(504);
    expect(((await response.json()) as { error: string }).error).toMatch(/took longer than the server allows one export \(2 s\)/);
    expect(await metric(running, 'randnoter_exports_refused_total{reason="timeout"}')).toBe(1);
    await expectServing();
  });

  it('answers 503 when an export needs more memory than its worker may have, and the server lives on', async () => {
    const running = await start({ exportMaxMemoryMb: 48 });
    const response = await exportAs(anne.token, 'big', 'overview-pdf');
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: string }).error).toMatch(/needs more memory than the server allows one export \(48 MB\)/);
    expect(await metric(running, 'randnoter_exports_refused_total{reason="memory"}')).toBe(1);
    await expectServing();
  });

  it('answers 503 for a file larger than the server hands out', async () => {
    const running = await start({ exportMaxBytes: 64 * 1024 });
    const response = await exportAs(anne.token, 'big', 'md');
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: string }).error).toMatch(
      /^this export would be 1\.\d MB, more than the server hands out \(64 KB\)/,
    );
    expect(await metric(running, 'randnoter_exports_refused_total{reason="too-large"}')).toBe(1);
    await expectServing();
  });

  it('refuses an export with 503 and Retry-After while the process renders all it may and its queue is full', async () => {
    const running = await start({ exportConcurrency: 1, exportQueue: 0 });
    const leaving = new AbortController();
    const first = exportAs(anne.token, 'big', 'overview-pdf', leaving.signal).catch((error: unknown) => error);
    await waitFor(async () => (await metric(running, 'randnoter_exports_running')) === 1, { what: 'the first export to run' });
    const refused = await exportAs(bo.token, 'big', 'md');
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused.json()) as { error: string }).error).toMatch(/busy with other exports/);
    // The first client gives up: its export ends at once (its worker too, if rendering), not when the file would be done.
    leaving.abort();
    expect(await first).toMatchObject({ name: 'AbortError' });
    await waitFor(async () => (await metric(running, 'randnoter_exports_running')) === 0, { what: 'the abandoned export to end' });
    await expectServing();
  });
});
