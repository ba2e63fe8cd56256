/**
 * Agenda corrections (issue 26, point 4): a member's correction of a packet's agenda is sent as an
 * intent, PUT /api/groups/:groupId/packets/:packetId/agenda, which the server checks, stamps with
 * who and when, commits and applies to the group's shared room, where every member (and any
 * unmodified y-websocket client) reads it live. Non-members get the 404 of a room that does not
 * exist; bad input a 400 that names the problem and changes nothing. The server's export groups
 * by the same precedence as the viewer: own correction, the group's, detection.
 */

import { readCorrection, writeCorrection } from '@randnoter/shared/agenda/agenda-doc';
import { type AgendaCorrection, readStoredCorrection, type StoredCorrection } from '@randnoter/shared/agenda/correction';
import type { AnnotationDraft } from '@randnoter/shared/model/annotation';
import { insertAnnotation } from '@randnoter/shared/model/annotation-doc';
import { afterEach, describe, expect, it } from 'vitest';
import { api, commentDraft } from '../support/api.ts';
import { readStoredDoc } from '../support/stored-doc.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';
import { type Client, connectSynced } from '../support/yjs-clients.ts';

const FINGERPRINT = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const VERSION = `urn:x-pdf:${FINGERPRINT}`;
const PAGES = 17;
/** What the packet's own detection found: a guess (bare numbers), as the bare-numbers style gives. */
const GUESSED = {
  pages: PAGES,
  confidence: 0.6,
  items: [
    { number: 1, label: '1)', title: 'Evaluering af forsøg', firstPage: 1, lastPage: 10, attachments: [] },
    { number: 2, label: '2)', title: 'Høring om skolestruktur', firstPage: 11, lastPage: 17, attachments: [] },
  ],
};

const correction = (title = 'Trafiksikkerhedsplan'): AgendaCorrection => ({
  version: VERSION,
  pages: PAGES,
  items: [
    {
      number: 1,
      label: 'Sag 1',
      title: 'Evaluering af forsøg med gratis buskort',
      firstPage: 1,
      attachments: [{ number: 1, label: 'Bilag 1.1', title: 'Evalueringsrapport', firstPage: 8 }],
    },
    { number: 2, label: 'Sag 2', title: 'Høring om ny skolestruktur', firstPage: 11, attachments: [] },
    { number: 3, label: 'Sag 3', title, firstPage: 12, attachments: [{ number: 1, label: 'Bilag 3.1', title: 'Tidsplan', firstPage: 14 }] },
  ],
});

const note = (id: string, body: string, page: number): AnnotationDraft => ({
  id,
  kind: 'note',
  body,
  replyTo: null,
  color: null,
  tags: [],
  target: { page },
});

describe('agenda corrections shared with a group', () => {
  let server: TestServer;
  const clients: Client[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server?.close();
  });

  async function setUp() {
    server = await startTestServer();
    const anne = await server.addUser('Anne Jensen', 'udvalg');
    const bo = await server.addUser('Bo Hansen', 'udvalg');
    const dora = await server.addUser('Dora Holm', 'udvalg');
    const carl = await server.addUser('Carl Nielsen', 'andet');
    const register = (token: string) =>
      api<{ packetId: string }>(server.url, token, 'POST', '/api/packets', {
        fingerprint: FINGERPRINT,
        pageCount: PAGES,
        title: 'Udvalgsmøde',
        outline: GUESSED,
      });
    const packetId = (await register(anne.token)).body.packetId;
    expect((await register(bo.token)).body.packetId).toBe(packetId);
    const path = `/api/groups/udvalg/packets/${packetId}/agenda`;
    const room = `shared/udvalg/${packetId}`;
    return { anne, bo, dora, carl, packetId, path, room };
  }

  it('stores a member’s correction with who and when from the server, live for an unmodified y-websocket client', async () => {
    const { anne, bo, path, room } = await setUp();
    const reader = await connectSynced(server.wsUrl, room, bo.token);
    clients.push(reader);

    const before = new Date().toISOString();
    const put = await api<{ correction: StoredCorrection }>(server.url, anne.token, 'PUT', path, {
      ...correction(),
      by: { id: bo.id, name: 'Bo Hansen' },
      at: '1999-01-01T00:00:00Z',
    });
    const after = new Date().toISOString();
    expect(put.status).toBe(200);
    expect(put.body.correction.by).toEqual({ id: anne.id, name: 'Anne Jensen' });
    expect(put.body.correction.at >= before && put.body.correction.at <= after).toBe(true);
    expect(put.body.correction).toMatchObject(correction());

    // Durably stored when the answer came, and the same in the room any client reads.
    expect(readCorrection(await readStoredDoc(server.database, room))).toEqual(put.body.correction);
    const live = await waitFor(() => readStoredCorrection(reader.doc.getMap('agenda').get('correction')), { what: 'the correction, live' });
    expect(live).toEqual(put.body.correction);
    expect((await api<{ correction: StoredCorrection }>(server.url, bo.token, 'GET', path)).body.correction).toEqual(put.body.correction);

    // Another member's correction replaces it, and says so.
    const replaced = await api<{ correction: StoredCorrection }>(server.url, bo.token, 'PUT', path, correction('Trafikplan (rettet)'));
    expect(replaced.status).toBe(200);
    expect(replaced.body.correction.by).toEqual({ id: bo.id, name: 'Bo Hansen' });
    await waitFor(() => readCorrection(reader.doc)?.items[2]?.title === 'Trafikplan (rettet)', { what: 'the replacement, live' });

    // Removing it leaves the group with detection (and each member's own correction).
    const removed = await api(server.url, anne.token, 'DELETE', path);
    expect([removed.status, removed.body]).toEqual([200, { correction: null }]);
    expect(readCorrection(await readStoredDoc(server.database, room))).toBeNull();
    await waitFor(() => readCorrection(reader.doc) === null, { what: 'the removal, live' });
    expect((await api(server.url, anne.token, 'DELETE', path)).status).toBe(200);
  });

  it('answers non-members exactly as a group that does not exist, whatever they send', async () => {
    const { anne, carl, packetId, path } = await setUp();
    const missing = `/api/groups/ingen/packets/${packetId}/agenda`;
    const answers = [
      await api(server.url, carl.token, 'PUT', path, correction()),
      await api(server.url, carl.token, 'PUT', path, '{ not json'),
      await api(server.url, carl.token, 'GET', path),
      await api(server.url, carl.token, 'DELETE', path),
      await api(server.url, anne.token, 'PUT', missing, correction()),
      await api(server.url, anne.token, 'PUT', '/api/groups/udvalg/packets/bad%20id/agenda', correction()),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(404);
      expect(answer.text).toBe(answers[0]?.text);
      expect(answer.headers.get('content-type')).toBe(answers[0]?.headers.get('content-type'));
    }
    expect(readCorrection(await readStoredDoc(server.database, `shared/udvalg/${packetId}`))).toBeNull();
  });

  it('refuses bad input with a 400 naming the problem, and keeps the group’s correction as it was', async () => {
    const { anne, dora, path, room } = await setUp();
    const good = await api<{ correction: StoredCorrection }>(server.url, anne.token, 'PUT', path, correction());
    expect(good.status).toBe(200);
    const edited = (edit: (c: AgendaCorrection & Record<string, unknown>) => void) => {
      const c = structuredClone(correction()) as AgendaCorrection & Record<string, unknown>;
      edit(c);
      return c;
    };
    const many = Array.from({ length: 1001 }, (_, i) => ({ number: i, label: `${i}.`, title: 'T', firstPage: 1, attachments: [] }));
    const bad: Array<[unknown, RegExp]> = [
      ['{ not json', /not valid JSON/],
      [[correction()], /JSON object/],
      [`{"items":[],"__proto__":{"admin":true}}`, /unknown field "__proto__"/],
      [edited((c) => (c.extra = 1)), /unknown field "extra"/],
      [edited((c) => (c.items = [])), /at least one item/],
      [{ items: many }, /at most 1000 items/],
      [edited((c) => ((c.items[2] as { firstPage: number }).firstPage = 18)), /firstPage must be a page of the packet \(1 to 17\)/],
      [edited((c) => (c.pages = 20)), /page count \(17\)/],
      [edited((c) => (c.version = `urn:x-pdf:${'f'.repeat(32)}`)), /not a version of this packet you have registered/],
      [edited((c) => (c.version = 'javascript:alert(1)')), /version must be/],
      [edited((c) => ((c.items[1] as { number: number }).number = 1)), /used twice/],
      [edited((c) => ((c.items[1] as { firstPage: number }).firstPage = 1)), /start after the item before it/],
      [edited((c) => ((c.items[0] as { label: string }).label = 'x'.repeat(65))), /label must be text of 1 to 64/],
      [edited((c) => ((c.items[0] as { title: string }).title = '')), /title must be text of 1 to 1000/],
      [edited((c) => ((c.items[0]?.attachments[0] as { firstPage: number }).firstPage = 11)), /within its item's pages \(1 to 10\)/],
      ['['.repeat(40) + ']'.repeat(40), /nested deeper than 32/],
    ];
    for (const [body, message] of bad) {
      const answer = await api<{ error: string }>(server.url, anne.token, 'PUT', path, body);
      expect(answer.status, String(body).slice(0, 80)).toBe(400);
      expect(answer.body.error).toMatch(message);
    }
    // A member who never opened the packet: the server does not know its pages.
    const unregistered = await api<{ error: string }>(server.url, dora.token, 'PUT', path, correction());
    expect(unregistered.status).toBe(400);
    expect(unregistered.body.error).toMatch(/register it first/);
    expect(readCorrection(await readStoredDoc(server.database, room))).toEqual(good.body.correction);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('exports by the same precedence as the viewer: own correction, then the group’s, then detection', async () => {
    const { anne, packetId, path } = await setUp();
    const exportMd = async () => (await api(server.url, anne.token, 'GET', `/api/packets/${packetId}/export?format=md`)).text;
    const notes = await connectSynced(server.wsUrl, `notes/${packetId}`, anne.token);
    clients.push(notes);
    insertAnnotation(
      notes.doc,
      note('n1', 'Hvem har lavet tidsplanen?', 15),
      { id: anne.id, name: 'Anne Jensen' },
      new Date().toISOString(),
    );
    expect(
      (await api(server.url, anne.token, 'POST', `/api/groups/udvalg/packets/${packetId}/annotations`, commentDraft('c1', 'Se side 3')))
        .status,
    ).toBe(201);

    // Detection is a guess: by page.
    await waitFor(async () => (await exportMd()).includes('Hvem har lavet tidsplanen?'), { what: 'the note in the export' });
    expect(await exportMd()).toMatch(/### Side 15/);

    // The group's correction: under its items and attachments.
    expect((await api(server.url, anne.token, 'PUT', path, correction())).status).toBe(200);
    const grouped = await exportMd();
    expect(grouped).toMatch(/### Sag 3: Trafiksikkerhedsplan\s+#### Bilag 3\.1: Tidsplan[\s\S]*Hvem har lavet tidsplanen\?/);
    expect(grouped).not.toMatch(/### Side 15/);

    // Anne's own correction (in her notes room) comes first.
    writeCorrection(notes.doc, correction('Min egen titel'), { id: anne.id, name: 'Anne Jensen' }, new Date().toISOString());
    await waitFor(async () => (await exportMd()).includes('### Sag 3: Min egen titel'), { what: 'the own correction in the export' });
  });
});
