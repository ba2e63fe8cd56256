/**
 * The packet registry under attack (docs/SECURITY.md, "A signed-in user: packet metadata").
 *
 * The registry maps what a client knows of an open PDF (fingerprint, address, content hash,
 * meeting and agenda) to a packetId. It used to be one global record per packet: a user who
 * shared no group with Anne could register her packet's address with a new fingerprint and the
 * title "AFLYST", and Anne's packet list and export showed it; the answer to a registration told
 * anyone whether, and since when, an address had been opened; and a client-sent outline nested
 * deeply enough made the server answer 500. Each test here replays one of those attacks.
 */

import { type ReadPacket, readPacketFile } from '@randnoter/server/pdf/read-packet';
import { detectAgenda } from '@randnoter/shared/agenda/detect-agenda';
import { detectMeetingDate } from '@randnoter/shared/agenda/meeting-date';
import { insertAnnotation, liveAnnotations } from '@randnoter/shared/model/annotation-doc';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { api, commentDraft } from '../support/api.ts';
import { PACKET_V1, PACKET_V2 } from '../support/packet-fixture.ts';
import { readStoredDoc } from '../support/stored-doc.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';
import { connectSynced } from '../support/yjs-clients.ts';

/** Where the municipality publishes the packet; v1 and the republished v2 are both served here. */
const ADDRESS = 'https://dagsorden.kommune.dk/socialudvalget/2023-01-23/pakke.pdf';
const FAKE_FINGERPRINT = 'bad0bad0bad0bad0bad0bad0bad0bad0';
const FAKE_OUTLINE = {
  pages: 1,
  items: [{ number: 1, title: 'Mødet er aflyst, se bort fra dagsordenen', firstPage: 1, lastPage: 1, attachments: [] }],
};

interface Registered {
  packetId: string;
  created: boolean;
  newVersion: boolean;
  version: string;
  versions: Array<{ version: string; firstSeen: string; pageCount: number | null }>;
}
interface Listed {
  packetId: string;
  registered: boolean;
  title: string | null;
  meetingDate: string | null;
  pageCount: number | null;
  versions: Array<{ version: string; firstSeen: string }>;
}

/** What the extension's viewer sends for a PDF opened at `url` (extension/entrypoints/viewer/main.ts). */
function registrationOf(packet: ReadPacket, url: string | null, title: string): Record<string, unknown> {
  return {
    fingerprint: packet.fingerprint,
    url,
    contentHash: packet.sha256,
    title,
    pageCount: packet.pageCount,
    outline: detectAgenda(packet.text.pages, { outline: packet.outline }),
    meetingDate: detectMeetingDate(packet.text.pages),
  };
}

describe('the packet registry', () => {
  let v1: ReadPacket;
  let v2: ReadPacket;
  let server: TestServer;
  beforeAll(async () => {
    [v1, v2] = await Promise.all([readPacketFile(PACKET_V1), readPacketFile(PACKET_V2)]);
  });
  afterAll(async () => {
    await Promise.all([v1?.pdf.loadingTask.destroy(), v2?.pdf.loadingTask.destroy()]);
  });
  afterEach(async () => {
    await server?.close();
  });

  const register = (token: string, body: unknown) => api<Registered>(server.url, token, 'POST', '/api/packets', body);
  const list = async (token: string) => (await api<{ packets: Listed[] }>(server.url, token, 'GET', '/api/packets')).body.packets;
  const exportMd = async (token: string, packetId: string) => {
    const response = await fetch(`${server.url}/api/packets/${packetId}/export?format=md&items=all`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    return response.text();
  };
  /** An export without its "generated at" line (the third). */
  const withoutDate = (md: string) =>
    md
      .split('\n')
      .filter((_, i) => i !== 2)
      .join('\n');
  /** A private note, written over the socket as the extension does, and waited for until stored. */
  async function writeNote(user: { id: string; token: string }, packetId: string, body: string): Promise<void> {
    const notes = await connectSynced(server.wsUrl, `notes/${packetId}`, user.token);
    const draft = { id: `n-${body.length}`, kind: 'note' as const, body, replyTo: null, color: null, tags: [], target: { page: 7 } };
    insertAnnotation(notes.doc, draft, null, '2023-01-20T10:00:00Z');
    await waitFor(async () => liveAnnotations(await readStoredDoc(server.database, `notes/${user.id}/${packetId}`)).length > 0, {
      what: 'the stored note',
    });
    notes.destroy();
  }

  it("does not let a stranger's registration of Anne's address rewrite her packet's title, agenda or version", async () => {
    server = await startTestServer();
    const anne = await server.addUser('Anne Jensen', 'socialudvalget');
    const mallory = await server.addUser('Mallory', 'andet-udvalg');
    const annes = await register(anne.token, registrationOf(v1, ADDRESS, 'Socialudvalget 23. januar 2023'));
    expect(annes.status).toBe(201);
    const packetId = annes.body.packetId;
    await writeNote(anne, packetId, 'Spørg til frivilligprisen');
    const before = { list: await list(anne.token), export: await exportMd(anne.token, packetId) };
    expect(before.list[0]).toMatchObject({ packetId, title: 'Socialudvalget 23. januar 2023' });
    expect(before.export).toContain('Punkt 4: Frivilligpris');

    // The attack: Anne's address, a fingerprint of Mallory's choosing, a title and agenda of his.
    await register(mallory.token, {
      fingerprint: FAKE_FINGERPRINT,
      url: ADDRESS,
      title: 'AFLYST',
      pageCount: 1,
      meetingDate: '2023-01-23',
      outline: FAKE_OUTLINE,
    });

    // Anne's list and her private export read exactly as before, and name only her own version.
    expect(await list(anne.token)).toEqual(before.list);
    const after = await exportMd(anne.token, packetId);
    expect(after).not.toMatch(/AFLYST|aflyst/);
    expect(withoutDate(after)).toBe(withoutDate(before.export));
    const notes = await api<{ first: { items: Array<{ target: { source: string } }> } }>(
      server.url,
      anne.token,
      'GET',
      `/api/notes/${packetId}/annotations`,
    );
    expect(notes.body.first.items.map((a) => a.target.source)).toEqual([`urn:x-pdf:${v1.fingerprint}`]);

    // Opening her packet again does not tell her of, or give her, Mallory's "version".
    const again = await register(anne.token, registrationOf(v1, ADDRESS, 'Socialudvalget 23. januar 2023'));
    expect(again.body).toMatchObject({ packetId, created: false, newVersion: false });
    expect(again.body.versions.map((v) => v.version)).toEqual([`urn:x-pdf:${v1.fingerprint}`]);
  });

  it('tells nobody whether, or since when, someone else registered an address or a fingerprint', async () => {
    server = await startTestServer();
    const anne = await server.addUser('Anne Jensen', 'socialudvalget');
    const mallory = await server.addUser('Mallory', 'andet-udvalg');
    const annes = await register(anne.token, registrationOf(v1, ADDRESS, 'Socialudvalget 23. januar 2023'));
    await writeNote(anne, annes.body.packetId, 'Spørg til frivilligprisen');
    const afterAnne = new Date().toISOString();

    /** Mallory's answer with what his own fingerprint decides masked, to compare probes. */
    const probe = async (url: string, fingerprint: string) => {
      const answer = await register(mallory.token, { fingerprint, url, title: 'probe' });
      const mask = (s: string) => s.replaceAll(fingerprint, '<fp>');
      return {
        status: answer.status,
        packetId: mask(answer.body.packetId),
        created: answer.body.created,
        newVersion: answer.body.newVersion,
        versions: answer.body.versions.map((v) => [mask(v.version), v.firstSeen >= afterAnne]),
      };
    };
    // An address Anne opened answers exactly as one nobody opened.
    const opened = await probe(ADDRESS, 'f00df00df00df00df00df00df00df00d');
    const unopened = await probe(ADDRESS.replace('2023-01-23', '2023-02-20'), 'cafecafecafecafecafecafecafecafe');
    expect(opened).toEqual(unopened);
    expect(opened).toEqual({ status: 201, packetId: 'fp-<fp>', created: true, newVersion: false, versions: [['urn:x-pdf:<fp>', true]] });

    // Anne's very file (its fingerprint is in the PDF for anyone who has it): new to Mallory, and
    // no trace of when Anne first opened it.
    const sameFile = await register(mallory.token, { fingerprint: v1.fingerprint });
    expect(sameFile.status).toBe(201);
    expect(sameFile.body).toMatchObject({ created: true, newVersion: false });
    expect(sameFile.body.versions).toEqual([expect.objectContaining({ version: `urn:x-pdf:${v1.fingerprint}` })]);
    expect(sameFile.body.versions.every((v) => v.firstSeen >= afterAnne)).toBe(true);
    // Nor does his export of her packet's id carry her title or agenda.
    const theirs = await exportMd(mallory.token, annes.body.packetId);
    expect(theirs).not.toContain('Socialudvalget 23. januar 2023');
    expect(theirs).not.toContain('Frivilligpris');
    expect((await list(mallory.token)).map((p) => p.packetId)).not.toContain(annes.body.packetId);
  });

  it('keeps colleagues on one packet across a republished version, whoever claimed the address or the file first', async () => {
    server = await startTestServer();
    const anne = await server.addUser('Anne Jensen', 'socialudvalget');
    const bo = await server.addUser('Bo Hansen', 'socialudvalget');
    const mallory = await server.addUser('Mallory', 'andet-udvalg');

    // Before anyone in the committee opens the packet, Mallory claims its address (it is
    // predictable) under a fingerprint of his own, and claims the republished file's fingerprint
    // for a packet of his: were aliases global, both would send the committee to his packets.
    const claimedAddress = await register(mallory.token, {
      fingerprint: FAKE_FINGERPRINT,
      url: ADDRESS,
      title: 'AFLYST',
      meetingDate: '2023-01-23',
      outline: FAKE_OUTLINE,
    });
    const claimedFile = await register(mallory.token, registrationOf(v2, ADDRESS, 'AFLYST'));
    expect(claimedFile.body.packetId).toBe(claimedAddress.body.packetId);

    const annes = await register(anne.token, registrationOf(v1, ADDRESS, 'Socialudvalget 23. januar 2023'));
    expect(annes.body).toMatchObject({ packetId: `fp-${v1.fingerprint}`, created: true });
    expect(annes.body.packetId).not.toBe(claimedAddress.body.packetId);
    await writeNote(anne, annes.body.packetId, 'Er timetallet realistisk?');
    const path = `/api/groups/socialudvalget/packets/${annes.body.packetId}/annotations`;
    expect((await api(server.url, anne.token, 'POST', path, commentDraft('c1', 'Hvad koster prisen?'))).status).toBe(201);

    // Bo opens the republished v2 at the same address: Anne's packet, so the committee's comments
    // are there for him; the answer speaks of his own registrations only.
    const bos = await register(bo.token, registrationOf(v2, ADDRESS, 'Socialudvalget 23. januar 2023 (rettet)'));
    expect(bos.status).toBe(201);
    expect(bos.body).toMatchObject({
      packetId: annes.body.packetId,
      created: true,
      newVersion: false,
      version: `urn:x-pdf:${v2.fingerprint}`,
    });
    expect(bos.body.versions.map((v) => v.version)).toEqual([`urn:x-pdf:${v2.fingerprint}`]);
    const shared = await api<{ total: number }>(server.url, bo.token, 'GET', path);
    expect(shared.body.total).toBe(1);

    // Anne opens v2 too: the same packet and a new version of it for her, so her notes carry over.
    const annesV2 = await register(anne.token, registrationOf(v2, ADDRESS, 'Socialudvalget 23. januar 2023 (rettet)'));
    expect(annesV2.body).toMatchObject({ packetId: annes.body.packetId, created: false, newVersion: true });
    expect(annesV2.body.versions.map((v) => v.version)).toEqual([`urn:x-pdf:${v1.fingerprint}`, `urn:x-pdf:${v2.fingerprint}`]);
    const [listed] = await list(anne.token);
    expect(listed).toMatchObject({
      packetId: annes.body.packetId,
      title: 'Socialudvalget 23. januar 2023 (rettet)',
      pageCount: v2.pageCount,
    });
    expect(await exportMd(anne.token, annes.body.packetId)).not.toMatch(/AFLYST|aflyst/);
  });

  it("does not let a stranger merge another packet into Anne's by registering her file under a new address", async () => {
    server = await startTestServer();
    const anne = await server.addUser('Anne Jensen', 'socialudvalget');
    const mallory = await server.addUser('Mallory', 'andet-udvalg');
    const annes = await register(anne.token, registrationOf(v1, ADDRESS, 'Socialudvalget 23. januar 2023'));
    await writeNote(anne, annes.body.packetId, 'Spørg til frivilligprisen');

    // Mallory registers Anne's file at the address where next month's packet will be published.
    const nextMonth = 'https://dagsorden.kommune.dk/socialudvalget/2023-02-20/pakke.pdf';
    await register(mallory.token, { fingerprint: v1.fingerprint, url: nextMonth });
    // Next month, Anne opens that packet: a packet of its own, not January's notes "to check".
    const next = await register(anne.token, { fingerprint: '2023022020230220202302202023feb0', url: nextMonth, title: 'Februar' });
    expect(next.body).toMatchObject({ created: true, newVersion: false });
    expect(next.body.packetId).not.toBe(annes.body.packetId);
  });

  describe('refuses malformed outlines and request bodies with 400 and a clear error, never a 500', () => {
    const DEPTH = 100_000; // about 200 kB of brackets: well inside the 1 MiB body limit
    const nested = (inner: string) => `${'['.repeat(DEPTH)}${inner}${']'.repeat(DEPTH)}`;
    const attachment = { number: 1, title: 'Bilag', firstPage: 1, lastPage: 1 };
    const item = (extra: Record<string, unknown> = {}) => ({
      number: 1,
      title: 'Punkt',
      firstPage: 1,
      lastPage: 1,
      attachments: [],
      ...extra,
    });

    it.each([
      ['a deeply nested outline', `{"fingerprint":"${FAKE_FINGERPRINT}","outline":${nested('1')}}`, /nested deeper than 32/],
      [
        'deep nesting inside an item',
        `{"fingerprint":"${FAKE_FINGERPRINT}","outline":{"pages":1,"items":[{"number":1,"title":"x","firstPage":1,"lastPage":1,"attachments":${nested('')}}]}}`,
        /nested|attachments/,
      ],
      ['deep nesting in an unknown field', `{"fingerprint":"${FAKE_FINGERPRINT}","extra":${nested('0')}}`, /nested/],
    ])('%s', async (_, body, error) => {
      server = await startTestServer();
      const anne = await server.addUser('Anne Jensen');
      const answer = await register(anne.token, body);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ error: expect.stringMatching(error) });
    });

    it('outlines that are not agendas, too large or out of bounds', async () => {
      server = await startTestServer();
      const anne = await server.addUser('Anne Jensen');
      const bad: Array<[unknown, RegExp]> = [
        [[1, 2, 3], /outline must be/],
        [{ pages: 1, items: [[[[item()]]]] }, /outline\.items\[0\] must be an object/],
        [{ items: [item()] }, /outline\.pages/],
        [{ pages: 1, items: 'Punkt 1' }, /outline\.items/],
        [{ pages: 1, items: [item({ title: { toString: 'x' } })] }, /outline\.items\[0\]\.title/],
        [{ pages: 1, items: [item({ title: 'x'.repeat(1001) })] }, /outline\.items\[0\]\.title/],
        [{ pages: 1, items: [item({ firstPage: 3, lastPage: 2 })] }, /outline\.items\[0\]\.lastPage/],
        [{ pages: 1, items: [item({ number: 1e300 })] }, /outline\.items\[0\]\.number/],
        [{ pages: 1, items: Array.from({ length: 1001 }, () => item()) }, /at most 1000 items/],
        [
          { pages: 1, items: [item({ attachments: [item({ attachments: undefined, title: 7 })] })] },
          /outline\.items\[0\]\.attachments\[0\]\.title/,
        ],
        [
          { pages: 1, items: Array.from({ length: 20 }, () => item({ attachments: Array.from({ length: 500 }, () => attachment) })) },
          /at most 5000 attachments/,
        ],
        [{ pages: 1, items: [item({ label: 'Sag '.repeat(20) })] }, /outline\.items\[0\]\.label/],
        [{ pages: 1, items: [item({ label: '' })] }, /outline\.items\[0\]\.label/],
        [{ pages: 1, items: [item({ label: ['Sag 1'] })] }, /outline\.items\[0\]\.label/],
        [{ pages: 1, items: [item({ attachments: [{ ...attachment, label: { toString: 'x' } }] })] }, /attachments\[0\]\.label/],
        [{ pages: 1, items: [item()], confidence: 1.5 }, /outline\.confidence/],
        [{ pages: 1, items: [item()], confidence: '0.9' }, /outline\.confidence/],
      ];
      for (const [outline, error] of bad) {
        const answer = await register(anne.token, { fingerprint: FAKE_FINGERPRINT, outline });
        expect(answer.status, JSON.stringify(outline).slice(0, 80)).toBe(400);
        expect(answer.body).toEqual({ error: expect.stringMatching(error) });
      }
      // And the other fields' bounds (a page count beyond any PDF would not fit PostgreSQL's integer column).
      for (const [body, error] of [
        [{ fingerprint: FAKE_FINGERPRINT, pageCount: 1e12 }, /pageCount/],
        [{ fingerprint: FAKE_FINGERPRINT, meetingDate: '2023-13-45' }, /meetingDate/],
        [{ fingerprint: FAKE_FINGERPRINT, title: ['AFLYST'] }, /title/],
      ] as const) {
        const answer = await register(anne.token, body);
        expect(answer.status).toBe(400);
        expect(answer.body).toEqual({ error: expect.stringMatching(error) });
      }
      // Nothing of the refused registrations was stored.
      expect((await register(anne.token, { fingerprint: FAKE_FINGERPRINT })).body).toMatchObject({ created: true });
    });

    it('stores only what the schema names: __proto__ and other unknown keys are dropped', async () => {
      server = await startTestServer();
      const anne = await server.addUser('Anne Jensen');
      const body = `{"fingerprint":"${FAKE_FINGERPRINT}","title":"Pakke","__proto__":{"title":"AFLYST","pageCount":1},
        "outline":{"pages":3,"__proto__":{"items":[]},"items":[{"number":1,"title":"Budget","firstPage":1,"lastPage":3,
        "__proto__":{"title":"AFLYST"},"constructor":{"prototype":{"polluted":true}},"attachments":[]}]}}`;
      const answer = await register(anne.token, body);
      expect(answer.status).toBe(201);
      await writeNote(anne, answer.body.packetId, 'note');
      const md = await exportMd(anne.token, answer.body.packetId);
      expect(md).toContain('Punkt 1: Budget');
      expect(md).not.toContain('AFLYST');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((await list(anne.token))[0]).toMatchObject({ title: 'Pakke', pageCount: null });
    });

    it('answers a deeply nested body on the annotation routes with 400 too', async () => {
      server = await startTestServer();
      const anne = await server.addUser('Anne Jensen', 'udvalg');
      const path = '/api/groups/udvalg/packets/p1/annotations';
      const comment = JSON.stringify(commentDraft('c1', 'hej'));
      const deep = `${comment.slice(0, -1)},"extra":${nested('0')}}`;
      for (const [method, url] of [
        ['POST', path],
        ['PATCH', `${path}/c1`],
      ] as const) {
        const answer = await api(server.url, anne.token, method, url, deep);
        expect(answer.status, method).toBe(400);
        expect(answer.body).toEqual({ error: expect.stringMatching(/nested/) });
      }
      expect((await api(server.url, anne.token, 'POST', path, comment)).status).toBe(201);
      // Brackets in text are not nesting: a comment made of them is fine.
      expect((await api(server.url, anne.token, 'POST', path, commentDraft('c2', '[{'.repeat(5_000)))).status).toBe(201);
    });
  });
});
