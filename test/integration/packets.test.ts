/**
 * Packets and versions: POST /api/packets maps what a client knows about an open document
 * (fingerprint, URL, content hash) to a stable packetId; GET /api/packets lists a user's packets,
 * each as that user registered it; annotations come out as W3C Web Annotation collections, per
 * room the user may read. (The attacks on the registry are in test/security/packet-registry.test.ts.)
 */
import { normaliseUrl } from '@randnoter/shared/identity/normalise-url';
import { urlAlias } from '@randnoter/shared/identity/packet-identity';
import { insertAnnotation } from '@randnoter/shared/model/annotation-doc';
import { ANNO_CONTEXT, fromWebAnnotations } from '@randnoter/shared/model/web-annotation';
import { afterEach, describe, expect, it } from 'vitest';
import { api, commentDraft } from '../support/api.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';
import { type Client, connectSynced } from '../support/yjs-clients.ts';

const FP_V1 = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const FP_V2 = 'B0B1B2B3B4B5B6B7B8B9BABBBCBDBEBF';
const FP_OTHER = '0123456789abcdef0123456789abcdef';
const HASH = 'e'.repeat(64);
const URL_V1 = 'https://Dagsorden.Kommune.dk:443/moede/123/pakke.pdf?id=42&sessionid=abc&token=s3cret&utm_source=mail#page=2';
const URL_V2 = 'https://dagsorden.kommune.dk/moede/123/pakke.pdf?PHPSESSID=zz&id=42&access_token=t&fbclid=q';
const OUTLINE = { pages: 30, items: [{ number: 1, title: 'Godkendelse af dagsorden', firstPage: 1, lastPage: 1, attachments: [] }] };

interface Registered {
  packetId: string;
  created: boolean;
  newVersion: boolean;
  version: string;
  versions: Array<{ version: string; pageCount: number | null }>;
}

describe('packets', () => {
  let server: TestServer;
  const clients: Client[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server?.close();
  });

  it('gives stable ids: a known fingerprint or normalised URL is the same packet, a new fingerprint on a known URL a new version', async () => {
    server = await startTestServer();
    const anne = await server.addUser('Anne Jensen');
    const register = (body: Record<string, unknown>) => api<Registered>(server.url, anne.token, 'POST', '/api/packets', body);

    const first = await register({
      fingerprint: FP_V1,
      url: URL_V1,
      contentHash: HASH,
      title: 'Byrådet 12. januar',
      pageCount: 30,
      meetingDate: '2026-01-12',
      outline: OUTLINE,
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ packetId: `fp-${FP_V1}`, created: true, newVersion: false, version: `urn:x-pdf:${FP_V1}` });

    // The same file again, even from another address: the same packet, no new version.
    const again = await register({ fingerprint: FP_V1.toUpperCase(), url: 'https://elsewhere.example/copy.pdf' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ packetId: first.body.packetId, created: false, newVersion: false });

    // A republished file at the same address (session and token parameters differ): a new version.
    const v2 = await register({ fingerprint: FP_V2, url: URL_V2, title: 'Byrådet 12. januar (rettet)', pageCount: 34 });
    expect(v2.status).toBe(200);
    expect(v2.body).toMatchObject({
      packetId: first.body.packetId,
      created: false,
      newVersion: true,
      version: `urn:x-pdf:${FP_V2.toLowerCase()}`,
    });
    expect(v2.body.versions.map((v) => [v.version, v.pageCount])).toEqual([
      [`urn:x-pdf:${FP_V1}`, 30],
      [`urn:x-pdf:${FP_V2.toLowerCase()}`, 34],
    ]);
    expect((await register({ fingerprint: FP_V2, url: URL_V2 })).body.newVersion).toBe(false);

    // The same content hash without a URL is that packet too; a parameter that names another document is not.
    const byHash = await register({ fingerprint: 'c'.repeat(32), contentHash: HASH.toUpperCase() });
    expect(byHash.body).toMatchObject({ packetId: first.body.packetId, newVersion: true });
    const other = await register({ fingerprint: FP_OTHER, url: URL_V1.replace('id=42', 'id=43') });
    expect(other.status).toBe(201);
    expect(other.body.packetId).not.toBe(first.body.packetId);

    // Stable across restarts.
    const { database } = server;
    await server.close();
    server = await startTestServer({ database });
    const afterRestart = await api<Registered>(server.url, anne.token, 'POST', '/api/packets', { fingerprint: FP_V2, url: URL_V2 });
    expect(afterRestart.body).toMatchObject({ packetId: first.body.packetId, created: false, newVersion: false });

    const bad: Array<[unknown, RegExp]> = [
      [{}, /fingerprint/],
      [{ fingerprint: 'not-hex' }, /fingerprint/],
      [{ fingerprint: FP_V1, pageCount: 0 }, /pageCount/],
      [{ fingerprint: FP_V1, meetingDate: '12/1/2026' }, /meetingDate/],
      [{ fingerprint: FP_V1, outline: { items: [] } }, /outline\.pages/],
      [{ fingerprint: FP_V1, url: 42 }, /url/],
      [{ fingerprint: FP_V1, contentHash: 'abc' }, /contentHash/],
      ['{', /not valid JSON/],
    ];
    for (const [body, message] of bad) {
      const answer = await api<{ error: string }>(server.url, anne.token, 'POST', '/api/packets', body);
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatch(message);
    }
  });

  it('recognises a republished packet at a new address by its meeting date and agenda, and only then', async () => {
    server = await startTestServer();
    const anne = await server.addUser('Anne Jensen');
    const register = (body: Record<string, unknown>) => api<Registered>(server.url, anne.token, 'POST', '/api/packets', body);
    const agenda = (titles: string[]) => ({
      pages: 10,
      items: titles.map((title, i) => ({ number: i + 1, title, firstPage: i + 2, lastPage: i + 2, attachments: [] })),
    });
    const titles = ['Godkendelse af dagsorden', 'Budget 2027', 'Eventuelt'];
    const first = await register({
      fingerprint: 'a'.repeat(32),
      url: 'https://dagsorden.example/pakke-v1.pdf',
      meetingDate: '2026-01-12',
      outline: agenda(titles),
    });

    const republished = await register({
      fingerprint: 'b'.repeat(32),
      url: 'https://dagsorden.example/pakke-v2.pdf',
      meetingDate: '2026-01-12',
      outline: agenda(titles),
    });
    expect(republished.body).toMatchObject({ packetId: first.body.packetId, created: false, newVersion: true });

    // The same recurring agenda for another meeting is another packet; so is a packet without a date.
    const nextMeeting = await register({
      fingerprint: 'c'.repeat(32),
      url: 'https://dagsorden.example/pakke-feb.pdf',
      meetingDate: '2026-02-09',
      outline: agenda(titles),
    });
    expect(nextMeeting.body).toMatchObject({ created: true });
    const undated = await register({ fingerprint: 'd'.repeat(32), url: 'https://dagsorden.example/udateret.pdf', outline: agenda(titles) });
    expect(undated.body).toMatchObject({ created: true });
    // A guessed agenda names no meeting: its titles may be wrong, so it links nothing.
    const guessed = { ...agenda(titles), confidence: 0.3 };
    const elsewhere = { meetingDate: '2026-03-09', outline: guessed };
    const march = await register({ fingerprint: 'e'.repeat(32), url: 'https://dagsorden.example/marts.pdf', ...elsewhere });
    const marchAgain = await register({ fingerprint: 'f'.repeat(32), url: 'https://andet.example/marts.pdf', ...elsewhere });
    expect(marchAgain.body).toMatchObject({ created: true });
    expect(marchAgain.body.packetId).not.toBe(march.body.packetId);
  });

  it("keeps the packet's own labels and the detector's confidence, and exports a guessed agenda by page", async () => {
    server = await startTestServer();
    const anne = await server.addUser('Anne Jensen');
    const outline = {
      pages: 6,
      items: [
        { number: 1, label: 'Sag 1', title: 'Dagsorden', firstPage: 1, lastPage: 2, attachments: [] },
        {
          number: 2,
          label: 'Sag 2',
          title: 'Budget',
          firstPage: 3,
          lastPage: 6,
          attachments: [{ number: 1, label: 'Bilag 2.1', title: 'Notat', firstPage: 4, lastPage: 6 }],
        },
      ],
    };
    const registerWith = (fingerprint: string, confidence: number) =>
      api<Registered>(server.url, anne.token, 'POST', '/api/packets', { fingerprint, outline: { ...outline, confidence } });
    const exportOf = async (packetId: string) =>
      (
        await fetch(`${server.url}/api/packets/${packetId}/export?format=md&items=all`, {
          headers: { authorization: `Bearer ${anne.token}` },
        })
      ).text();
    const note = async (packetId: string) => {
      const client = await connectSynced(server.wsUrl, `notes/${packetId}`, anne.token);
      clients.push(client);
      const draft = {
        id: 'n1',
        kind: 'note' as const,
        body: 'Hvad koster det?',
        replyTo: null,
        color: null,
        tags: [],
        target: { page: 5 },
      };
      insertAnnotation(client.doc, draft, null, '2026-01-01T10:00:00Z');
    };

    const sure = await registerWith('1'.repeat(32), 0.9);
    await note(sure.body.packetId);
    await waitFor(async () => (await exportOf(sure.body.packetId)).includes('Hvad koster det?'));
    const sureExport = await exportOf(sure.body.packetId);
    expect(sureExport).toContain('### Sag 2: Budget');
    expect(sureExport).toContain('#### Bilag 2.1: Notat');

    const guessed = await registerWith('2'.repeat(32), 0.4);
    await note(guessed.body.packetId);
    await waitFor(async () => (await exportOf(guessed.body.packetId)).includes('Hvad koster det?'));
    const guessedExport = await exportOf(guessed.body.packetId);
    expect(guessedExport).toContain('### Side 5');
    expect(guessedExport).not.toContain('Sag 2');
  });

  it("lists a user's packets: those with their own notes or a shared room of their groups", async () => {
    server = await startTestServer();
    const anne = await server.addUser('Anne Jensen', 'udvalg');
    const bo = await server.addUser('Bo Hansen', 'andet-udvalg');
    const carl = await server.addUser('Carl Berg', 'udvalg');
    const a = await api<Registered>(server.url, anne.token, 'POST', '/api/packets', {
      fingerprint: FP_V1,
      url: URL_V1,
      title: 'Pakke A',
      meetingDate: '2026-01-12',
    });
    const c = await api<Registered>(server.url, anne.token, 'POST', '/api/packets', { fingerprint: FP_OTHER, title: 'Pakke C' });
    await api(server.url, anne.token, 'POST', '/api/packets', { fingerprint: 'd'.repeat(32), title: 'Pakke D, uden noter' });

    const notes = await connectSynced(server.wsUrl, `notes/${a.body.packetId}`, anne.token);
    clients.push(notes);
    insertAnnotation(
      notes.doc,
      { id: 'n1', kind: 'note', body: 'min note', replyTo: null, color: null, tags: [], target: { page: 1 } },
      null,
      '2026-01-01T10:00:00Z',
    );
    expect(
      (await api(server.url, anne.token, 'POST', `/api/groups/udvalg/packets/${c.body.packetId}/annotations`, commentDraft('c1', 'delt')))
        .status,
    ).toBe(201);
    const bos = await connectSynced(server.wsUrl, 'notes/fp-offline-only', bo.token);
    clients.push(bos);
    insertAnnotation(
      bos.doc,
      { id: 'n1', kind: 'note', body: 'offline', replyTo: null, color: null, tags: [], target: { page: 1 } },
      null,
      '2026-01-01T10:00:00Z',
    );

    type Listing = {
      packets: Array<{
        packetId: string;
        title: string | null;
        registered: boolean;
        meetingDate: string | null;
        rooms: unknown[];
        versions: unknown[];
      }>;
    };
    const list = async (token: string) => (await api<Listing>(server.url, token, 'GET', '/api/packets')).body.packets;
    await waitFor(async () => (await list(anne.token)).length === 2, { what: "Anne's two packets" });
    expect(await list(anne.token)).toEqual([
      {
        packetId: c.body.packetId,
        registered: true,
        title: 'Pakke C',
        meetingDate: null,
        pageCount: null,
        versions: [expect.objectContaining({ version: `urn:x-pdf:${FP_OTHER}` })],
        rooms: [{ kind: 'shared', groupId: 'udvalg', groupName: 'udvalg' }],
      },
      {
        packetId: a.body.packetId,
        registered: true,
        title: 'Pakke A',
        meetingDate: '2026-01-12',
        pageCount: null,
        versions: [expect.objectContaining({ version: `urn:x-pdf:${FP_V1}` })],
        rooms: [{ kind: 'notes' }],
      },
    ]);
    expect((await list(carl.token)).map((p) => p.packetId)).toEqual([c.body.packetId]);
    await waitFor(async () => (await list(bo.token)).length === 1, { what: "Bo's offline packet" });
    expect(await list(bo.token)).toEqual([
      {
        packetId: 'fp-offline-only',
        registered: false,
        title: null,
        meetingDate: null,
        pageCount: null,
        versions: [],
        rooms: [{ kind: 'notes' }],
      },
    ]);
  });

  it("shows each user a packet as they registered it; a colleague with only the group's room sees no title until they open it", async () => {
    server = await startTestServer();
    const anne = await server.addUser('Anne Jensen', 'udvalg');
    const bo = await server.addUser('Bo Hansen', 'udvalg');
    const register = (token: string, body: Record<string, unknown>) => api<Registered>(server.url, token, 'POST', '/api/packets', body);
    const annes = await register(anne.token, {
      fingerprint: FP_V1,
      url: URL_V1,
      title: 'Pakke A',
      meetingDate: '2026-01-12',
      outline: OUTLINE,
    });
    const packetId = annes.body.packetId;
    const path = `/api/groups/udvalg/packets/${packetId}/annotations`;
    expect((await api(server.url, anne.token, 'POST', path, commentDraft('c1', 'Hvad koster det?'))).status).toBe(201);

    type Listing = {
      packets: Array<{ packetId: string; registered: boolean; title: string | null; versions: Array<{ version: string }> }>;
    };
    const listed = async (token: string) => (await api<Listing>(server.url, token, 'GET', '/api/packets')).body.packets[0];
    // Bo never opened it: the group's comments are his to read, Anne's title and agenda are not his to see.
    expect(await listed(bo.token)).toMatchObject({ packetId, registered: false, title: null, versions: [] });
    const exportOf = async (token: string) =>
      (
        await fetch(`${server.url}/api/packets/${packetId}/export?format=md&items=all`, { headers: { authorization: `Bearer ${token}` } })
      ).text();
    const bosExport = await exportOf(bo.token);
    expect(bosExport).toContain('Hvad koster det?');
    expect(bosExport).toContain(packetId);
    expect(bosExport).not.toContain('Pakke A');
    expect(bosExport).not.toContain('Godkendelse af dagsorden');

    // He opens the republished version: the same packet (his colleague's address), described his way.
    const bos = await register(bo.token, { fingerprint: FP_V2, url: URL_V2, title: 'Pakke A (rettet)', pageCount: 34 });
    expect(bos.status).toBe(201);
    expect(bos.body).toMatchObject({ packetId, created: true, newVersion: false });
    expect(bos.body.versions.map((v) => v.version)).toEqual([`urn:x-pdf:${FP_V2.toLowerCase()}`]);
    expect(await listed(bo.token)).toMatchObject({ registered: true, title: 'Pakke A (rettet)' });
    expect(await exportOf(bo.token)).toMatch(/^# .*Pakke A .*rettet/);
    expect(await listed(anne.token)).toMatchObject({ title: 'Pakke A', versions: [{ version: `urn:x-pdf:${FP_V1}` }] });

    // A user's own registration of a version again updates what that user said of it.
    const again = await register(anne.token, { fingerprint: FP_V1, title: 'Pakke A, endelig' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ packetId, created: false, newVersion: false });
    expect(await listed(anne.token)).toMatchObject({ title: 'Pakke A, endelig' });
    expect(await exportOf(anne.token)).toContain('Godkendelse af dagsorden');
  });

  it('keeps packets registered before per-user metadata: their users still see and reach them, nobody else does', async () => {
    server = await startTestServer();
    const anne = await server.addUser('Anne Jensen');
    const carl = await server.addUser('Carl Berg');
    // What a server before migration 0003 wrote: one global record, global versions and aliases.
    const legacyId = `fp-${FP_OTHER}`;
    await server.db
      .insertInto('packets')
      .values({
        id: legacyId,
        title: 'Byrådet december',
        created: '2025-12-01T09:00:00.000Z',
        meeting_date: '2025-12-10',
        page_count: 40,
        outline: JSON.stringify(OUTLINE),
      })
      .execute();
    await server.db
      .insertInto('packet_versions')
      .values({ packet_id: legacyId, version: `urn:x-pdf:${FP_OTHER}`, first_seen: '2025-12-01T09:00:00.000Z', page_count: 40 })
      .execute();
    await server.db
      .insertInto('packet_aliases')
      .values([
        { alias: `urn:x-pdf:${FP_OTHER}`, packet_id: legacyId },
        { alias: urlAlias(normaliseUrl(URL_V1) as string), packet_id: legacyId },
      ])
      .execute();
    const notes = await connectSynced(server.wsUrl, `notes/${legacyId}`, anne.token);
    clients.push(notes);
    insertAnnotation(
      notes.doc,
      { id: 'n1', kind: 'note', body: 'fra december', replyTo: null, color: null, tags: [], target: { page: 1 } },
      null,
      '2025-12-02T10:00:00Z',
    );

    type Listing = {
      packets: Array<{ packetId: string; registered: boolean; title: string | null; versions: Array<{ version: string }> }>;
    };
    const list = async (token: string) => (await api<Listing>(server.url, token, 'GET', '/api/packets')).body.packets;
    const [annes] = await waitFor(async () => {
      const packets = await list(anne.token);
      return packets.length === 1 ? packets : null;
    });
    expect(annes).toMatchObject({
      packetId: legacyId,
      registered: true,
      title: 'Byrådet december',
      versions: [{ version: `urn:x-pdf:${FP_OTHER}` }],
    });

    // Carl has no room on it: the old address does not lead him there, nor does its id show him its title.
    const carls = await api<Registered>(server.url, carl.token, 'POST', '/api/packets', { fingerprint: FP_V2, url: URL_V1 });
    expect(carls.body).toMatchObject({ packetId: `fp-${FP_V2.toLowerCase()}`, created: true });
    const carlsExport = await (
      await fetch(`${server.url}/api/packets/${legacyId}/export?format=md`, { headers: { authorization: `Bearer ${carl.token}` } })
    ).text();
    expect(carlsExport).not.toContain('Byrådet december');
    // Anne, who has notes on it, lands there with a new version at the old address.
    const v2 = await api<Registered>(server.url, anne.token, 'POST', '/api/packets', {
      fingerprint: FP_V2,
      url: URL_V2,
      title: 'Byrådet december (rettet)',
    });
    expect(v2.body).toMatchObject({ packetId: legacyId, created: true, newVersion: false });
    expect((await list(anne.token))[0]).toMatchObject({ packetId: legacyId, title: 'Byrådet december (rettet)' });
  });

  it('returns notes and shared comments as W3C Web Annotation collections that read back', async () => {
    server = await startTestServer();
    const anne = await server.addUser('Anne Jensen', 'udvalg');
    const bo = await server.addUser('Bo Hansen', 'udvalg');
    const packet = (await api<Registered>(server.url, anne.token, 'POST', '/api/packets', { fingerprint: FP_V1, title: 'Pakke A' })).body
      .packetId;
    const notes = await connectSynced(server.wsUrl, `notes/${packet}`, anne.token, { ack: '1' });
    clients.push(notes);
    const target = {
      page: 4,
      packetVersion: `urn:x-pdf:${FP_V1}`,
      agendaItem: { number: 3, title: 'Budget 2027' },
      attachment: null,
      selectors: [
        { type: 'TextQuoteSelector' as const, exact: 'anlægsudgifter', prefix: 'de samlede ', suffix: ' for 2027' },
        { type: 'TextPositionSelector' as const, start: 1200, end: 1214 },
      ],
    };
    insertAnnotation(
      notes.doc,
      { id: 'n1', kind: 'note', body: 'Spørg **hvorfor**', replyTo: null, color: '#ffcc00', tags: ['økonomi'], target },
      { id: anne.id, name: anne.name },
      '2026-01-01T10:00:00Z',
    );
    insertAnnotation(
      notes.doc,
      { id: 'n2', kind: 'note', body: 'side 1', replyTo: null, color: null, tags: [], target: { page: 1 } },
      null,
      '2026-01-01T10:00:00Z',
    );
    const path = `/api/groups/udvalg/packets/${packet}/annotations`;
    expect((await api(server.url, anne.token, 'POST', path, { ...commentDraft('c1', 'Hvad koster det?'), target })).status).toBe(201);
    expect(
      (await api(server.url, bo.token, 'POST', path, { ...commentDraft('r1', 'Se bilag 2'), kind: 'reply', replyTo: 'c1' })).status,
    ).toBe(201);
    expect((await api(server.url, bo.token, 'PATCH', `${path}/c1`, { resolved: true })).status).toBe(200);

    type Collection = { '@context': unknown; type: string; id: string; total: number; first: { items: Array<Record<string, unknown>> } };
    const mine = await waitFor(async () => {
      const answer = await api<Collection>(server.url, anne.token, 'GET', `/api/notes/${packet}/annotations`);
      return answer.body.total === 2 ? answer : null;
    });
    expect(mine.headers.get('content-type')).toContain('application/ld+json');
    expect(mine.body).toMatchObject({
      '@context': [ANNO_CONTEXT, expect.anything()],
      type: 'AnnotationCollection',
      id: `${server.url}/api/notes/${packet}/annotations`,
    });
    const n1 = mine.body.first.items.find((a) => a.id === 'urn:randnoter:annotation:n1');
    expect(n1).toMatchObject({
      type: 'Annotation',
      motivation: 'commenting',
      target: {
        source: `urn:x-pdf:${FP_V1}`,
        selector: [
          { type: 'TextQuoteSelector', exact: 'anlægsudgifter', prefix: 'de samlede ', suffix: ' for 2027' },
          { type: 'TextPositionSelector', start: 1200, end: 1214 },
          { type: 'FragmentSelector', conformsTo: 'http://tools.ietf.org/rfc/rfc3778', value: 'page=4' },
        ],
      },
      'randnoter:agendaItem': { number: 3, title: 'Budget 2027' },
    });
    const readBack = fromWebAnnotations(mine.body);
    expect(readBack.ok && readBack.value.map((a) => [a.id, a.body, a.target.page]).sort()).toEqual([
      ['n1', 'Spørg **hvorfor**', 4],
      ['n2', 'side 1', 1],
    ]);

    const shared = await api<Collection>(server.url, bo.token, 'GET', path);
    expect(shared.status).toBe(200);
    const byId = new Map(shared.body.first.items.map((a) => [a.id, a]));
    expect(byId.get('urn:randnoter:annotation:c1')).toMatchObject({
      creator: { type: 'Person', name: 'Anne Jensen' },
      'randnoter:resolved': true,
    });
    expect(byId.get('urn:randnoter:annotation:r1')).toMatchObject({
      motivation: 'replying',
      // The comment it answers, and (as a SpecificResource) the text that comment is on.
      target: [
        'urn:randnoter:annotation:c1',
        { selector: expect.arrayContaining([expect.objectContaining({ type: 'TextQuoteSelector' })]) },
      ],
      creator: { name: 'Bo Hansen' },
    });
    // Bo cannot read Anne's notes: his own notes for the packet are empty.
    expect((await api<Collection>(server.url, bo.token, 'GET', `/api/notes/${packet}/annotations`)).body.total).toBe(0);
    expect((await api(server.url, anne.token, 'GET', '/api/notes/not%20an%20id/annotations')).status).toBe(404);
    // Reading does not load rooms into memory: many reads of rooms nobody edits cost no memory.
    const loaded = server.rooms.loadedCount;
    for (let i = 0; i < 20; i++) expect((await api(server.url, anne.token, 'GET', `/api/notes/ulaest-${i}/annotations`)).status).toBe(200);
    expect(server.rooms.loadedCount).toBe(loaded);
  });
});
