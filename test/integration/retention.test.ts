/**
 * Retention (docs/OPERATIONS.md, "Retention"): a packet's rooms go RANDNOTER_RETENTION_DAYS after
 * its meeting date (a group's own setting wins for its rooms), the way an erasure removes rooms;
 * `admin retention run --dry-run` lists them and removes nothing; the server runs it on its own.
 */
import { testClock } from '@randnoter/server/sync/test-clock';
import { insertAnnotation } from '@randnoter/shared/model/annotation-doc';
import { afterEach, describe, expect, it } from 'vitest';
import { api, commentDraft } from '../support/api.ts';
import { runAdmin, SOURCES_MAIN } from '../support/spawned-server.ts';
import { rowsHolding } from '../support/stored-phrase.ts';
import { databaseArgs } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';
import { type Client, connectSynced } from '../support/yjs-clients.ts';

const DAY_MS = 24 * 3600 * 1000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString().slice(0, 10);
const OLD = 'GNU-gammelt-3310';
const RECENT = 'IBIS-nyligt-8812';

describe('retention', () => {
  let server: TestServer | undefined;
  const clients: Client[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server?.close();
    server = undefined;
  });

  /** A packet with this meeting date, a private note and a shared comment on it holding `phrase`. */
  async function packetWith(s: TestServer, token: string, fingerprint: string, meetingDate: string, phrase: string): Promise<string> {
    const registered = await api<{ packetId: string }>(s.url, token, 'POST', '/api/packets', {
      fingerprint,
      title: 'Udvalget',
      meetingDate,
    });
    expect(registered.status).toBe(201);
    const { packetId } = registered.body;
    const notes = await connectSynced(s.wsUrl, `notes/${packetId}`, token);
    clients.push(notes);
    insertAnnotation(
      notes.doc,
      { id: `n-${fingerprint.slice(0, 4)}`, kind: 'note', replyTo: null, body: phrase, color: null, tags: [], target: { page: 1 } },
      null,
      '2026-01-01T10:00:00Z',
    );
    const posted = await api(
      s.url,
      token,
      'POST',
      `/api/groups/udvalg/packets/${packetId}/annotations`,
      commentDraft(`c-${fingerprint.slice(0, 4)}`, phrase),
    );
    expect(posted.status).toBe(201);
    await waitFor(async () => (await rowsHolding(s.database, phrase)).some((where) => where.includes('notes/')), {
      what: 'the note stored',
    });
    return packetId;
  }

  it('lists on a dry run what is past retention, honours a group’s own days, and removes it on a real run', async () => {
    server = await startTestServer();
    const s = server;
    const anne = await s.addUser('Anne', 'udvalg');
    const old = await packetWith(s, anne.token, 'a'.repeat(32), daysAgo(60), OLD);
    await packetWith(s, anne.token, 'b'.repeat(32), daysAgo(5), RECENT);
    const on = databaseArgs(s.database);
    const env = { RANDNOTER_RETENTION_DAYS: '30' };

    const dry = (await runAdmin(['retention', 'run', '--dry-run', ...on], env, SOURCES_MAIN)).stdout;
    expect(dry).toContain('2 rooms past retention would be removed');
    expect(dry).toContain(`notes/${anne.id}/${old} (meeting ${daysAgo(60)}, kept 30 days)`);
    expect(dry).toContain(`shared/udvalg/${old}`);
    expect(await rowsHolding(s.database, OLD)).not.toEqual([]);
    // Without the setting, nothing is ever due.
    expect((await runAdmin(['retention', 'run', '--dry-run', ...on], {}, SOURCES_MAIN)).stdout).toContain('0 rooms past retention');

    // The group keeps its rooms longer; the user's own notes follow the server's setting.
    expect((await runAdmin(['group', 'add', 'udvalg', '--retention-days', '100', ...on], env, SOURCES_MAIN)).stdout).toContain(
      'removed 100 days after',
    );
    const longer = (await runAdmin(['retention', 'run', '--dry-run', ...on], env, SOURCES_MAIN)).stdout;
    expect(longer).toContain('1 room past retention would be removed');
    expect(longer).not.toContain('shared/udvalg');
    await runAdmin(['group', 'add', 'udvalg', '--retention-days', 'default', ...on], env, SOURCES_MAIN);

    // Through the running server (it holds the rooms), as erasure removes rooms.
    const run = (await runAdmin(['retention', 'run', ...on], env, SOURCES_MAIN)).stdout;
    expect(run).toContain('Removed 2 rooms past retention');
    expect(await rowsHolding(s.database, OLD)).toEqual([]);
    expect(await rowsHolding(s.database, RECENT)).not.toEqual([]);
    expect(await s.db.selectFrom('erasures').select(['subject_kind', 'subject_id', 'by', 'rooms_removed']).execute()).toEqual([
      { subject_kind: 'packet', subject_id: old, by: 'retention', rooms_removed: 2 },
    ]);
    await expect(runAdmin(['group', 'add', 'udvalg', '--retention-days', '0', ...on], env, SOURCES_MAIN)).rejects.toThrow(
      /--retention-days/,
    );
  });

  it('is run by the server every RANDNOTER_RETENTION_RUN_MS on its own timer', async () => {
    const clock = testClock(0);
    server = await startTestServer({ retentionDays: 30, timers: clock, limits: { retentionRunMs: DAY_MS } });
    const s = server;
    const anne = await s.addUser('Anne', 'udvalg');
    await packetWith(s, anne.token, 'c'.repeat(32), daysAgo(60), OLD);
    expect(await rowsHolding(s.database, OLD)).not.toEqual([]);
    clock.advance(DAY_MS);
    await waitFor(async () => (await rowsHolding(s.database, OLD)).length === 0, { what: 'the daily run' });
  });
});
