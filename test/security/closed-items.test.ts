/**
 * Closed agenda items: what a member without closed access (Carl) and a member excluded from the
 * item (Dan) learn of a comment on it, channel by channel (docs/CLOSED-ITEMS.md, "Who sees what").
 * Nothing: not its words, not its id, not that it exists. Anne (closed access) and Bo (the
 * secretary, closed access) are the readers it is for. Notifications do not exist yet; when they
 * come, their channel belongs here too.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloseCode } from '@randnoter/shared/protocol/close-codes';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, commentDraft } from '../support/api.ts';
import { pdftotext } from '../support/export-files.ts';
import { needsTest } from '../support/needs.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';
import { closeCodeOf } from '../support/ws-socket.ts';
import { type Client, connectSynced } from '../support/yjs-clients.ts';

const SECRET = 'Fortrolig personalesag om Jens Hansens opsigelse';
const SECRET_ID = 'lukket-kommentar-7f3a';
const SECRET_REPLY = 'Fortroligt svar om fratrædelsesaftalen';

type Who = { id: string; name: string; token: string };

describe('a comment on a closed item', () => {
  let server: TestServer;
  let anne: Who;
  let bo: Who;
  let carl: Who;
  let dan: Who;
  let packetId: string;
  const clients: Client[] = [];
  const call = (who: Who, method: string, path: string, body?: unknown) =>
    api<Record<string, unknown>>(server.url, who.token, method, path, body);
  const room = () => `/api/groups/udvalg/packets/${packetId}`;
  const item = () => `${room()}/items/3`;

  beforeAll(async () => {
    server = await startTestServer();
    bo = await server.addUser('Bo Hansen', 'udvalg');
    anne = await server.addUser('Anne Jensen', 'udvalg');
    carl = await server.addUser('Carl Nielsen', 'udvalg');
    dan = await server.addUser('Dan Olsen', 'udvalg');
    await server.setAccess('udvalg', bo.id, { role: 'secretary', closedAccess: true });
    await server.setAccess('udvalg', anne.id, { closedAccess: true });
    await server.setAccess('udvalg', dan.id, { closedAccess: true });
    for (const who of [anne, carl, dan]) {
      const registered = await call(who, 'POST', '/api/packets', { fingerprint: 'ef'.repeat(16), title: 'Udvalgsmøde', pageCount: 12 });
      packetId = registered.body.packetId as string;
    }
    const onItem = (n: number) => ({ page: 5, agendaItem: { number: n, title: `Sag ${n}` } });
    // Written in the open room first, then moved by the closing; then more in the item's room.
    expect((await call(anne, 'POST', `${room()}/annotations`, commentDraft(SECRET_ID, SECRET, { target: onItem(3) }))).status).toBe(201);
    expect(
      (await call(carl, 'POST', `${room()}/annotations`, commentDraft('aaben-1', 'Åbent om budgettet', { target: onItem(4) }))).status,
    ).toBe(201);
    expect((await call(bo, 'PUT', `${item()}/access`, { closed: true, excluded: [dan.id] })).body).toMatchObject({ moved: 1 });
    const reply = { id: 'lukket-svar-1', kind: 'reply', replyTo: SECRET_ID, body: SECRET_REPLY, target: onItem(3) };
    expect((await call(bo, 'POST', `${item()}/annotations`, reply)).status).toBe(201);
  });
  afterAll(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server?.close();
  });

  const traces = [SECRET, SECRET_ID, SECRET_REPLY, 'lukket-svar-1', 'Lukket', 'Lukkede', 'fortroligt'];
  const expectNoTrace = (text: string, what: string) => {
    for (const trace of traces) expect(text.includes(trace), `${what} shows "${trace}"`).toBe(false);
  };

  it("room: the item's room answers them as a room that does not exist, and the open room holds nothing of it", async () => {
    const nowhere = await closeCodeOf(`${server.wsUrl}/closed/udvalg/${packetId}/99?token=${carl.token}`);
    expect(nowhere).toBe(CloseCode.notFound);
    for (const who of [carl, dan]) {
      expect(await closeCodeOf(`${server.wsUrl}/closed/udvalg/${packetId}/3?token=${who.token}`)).toBe(nowhere);
      const open = await connectSynced(server.wsUrl, `shared/udvalg/${packetId}`, who.token);
      clients.push(open);
      expect([...open.doc.getMap('annotations').keys()]).toEqual(['aaben-1']);
      expectNoTrace(JSON.stringify(open.doc.toJSON()), 'the open room');
    }
    const reader = await connectSynced(server.wsUrl, `closed/udvalg/${packetId}/3`, anne.token);
    clients.push(reader);
    expect([...reader.doc.getMap('annotations').keys()].sort()).toEqual([SECRET_ID, 'lukket-svar-1']);
  });

  it('intents: every route of the item answers them exactly as an item that is not closed, whatever the body', async () => {
    const other = `${room()}/items/4`;
    for (const who of [carl, dan]) {
      for (const [method, path, body] of [
        ['GET', '/annotations', undefined],
        ['POST', '/annotations', commentDraft('x1', 'x')],
        ['POST', '/annotations', '{ not json'],
        ['PATCH', `/annotations/${SECRET_ID}`, { resolved: true }],
        ['DELETE', `/annotations/${SECRET_ID}`, undefined],
      ] as const) {
        const asked = await call(who, method, item() + path, body);
        const notClosed = await call(who, method, other + path, body);
        expect([method, path, asked.status, asked.text]).toEqual([method, path, 404, notClosed.text]);
      }
    }
    // The comment is still there, unresolved, for those it is for.
    const listed = await call(anne, 'GET', `${item()}/annotations`);
    expect(listed.body).toMatchObject({ total: 2 });
    expect(JSON.stringify(listed.body)).not.toContain('"resolved":true');
  });

  it("counts: the open room's collection counts only the open comments, and the list of closed items says no more than that item 3 is closed", async () => {
    for (const who of [carl, dan]) {
      const open = await call(who, 'GET', `${room()}/annotations`);
      expect(open.body).toMatchObject({ total: 1 });
      expectNoTrace(open.text, 'the open collection');
      expect((await call(who, 'GET', `${room()}/closed-items`)).body).toEqual({ items: [{ itemNumber: 3, mayRead: false }] });
    }
  });

  it('presence: reading the closed item shows in its own room, not in the open room', async () => {
    const watcher = await connectSynced(server.wsUrl, `shared/udvalg/${packetId}`, carl.token);
    const openPeer = await connectSynced(server.wsUrl, `shared/udvalg/${packetId}`, bo.token);
    const closedReader = await connectSynced(server.wsUrl, `closed/udvalg/${packetId}/3`, anne.token);
    const closedWatcher = await connectSynced(server.wsUrl, `closed/udvalg/${packetId}/3`, bo.token);
    clients.push(watcher, openPeer, closedReader, closedWatcher);
    closedReader.provider.awareness.setLocalState({ page: 5, agendaItem: 3 });
    openPeer.provider.awareness.setLocalState({ page: 9 });
    // Seen in the item's room; the open room sees the open-room peer and never Anne's state.
    await waitFor(() => closedWatcher.provider.awareness.getStates().get(closedReader.doc.clientID)?.page === 5, {
      what: 'presence in the item',
    });
    await waitFor(() => watcher.provider.awareness.getStates().get(openPeer.doc.clientID)?.page === 9, {
      what: 'presence in the open room',
    });
    const seen = [...watcher.provider.awareness.getStates().entries()];
    expect(seen.some(([id]) => id === closedReader.doc.clientID)).toBe(false);
    expect(seen.some(([, state]) => (state as { agendaItem?: number }).agendaItem === 3)).toBe(false);
    expectNoTrace(JSON.stringify(seen), 'presence');

    // In the open room itself, a reader's place on a closed item is taken out of their presence
    // (as the extension publishes it: reading {page, item}); a place on an open item stays.
    const annesOpen = await connectSynced(server.wsUrl, `shared/udvalg/${packetId}`, anne.token);
    clients.push(annesOpen);
    const stateOf = (c: Client) => watcher.provider.awareness.getStates().get(c.doc.clientID) as Record<string, unknown> | undefined;
    annesOpen.provider.awareness.setLocalState({ user: { color: '#00ff00' }, reading: { page: 5, item: 3 } });
    openPeer.provider.awareness.setLocalState({ user: { color: '#ff0000' }, reading: { page: 10, item: 4 } });
    await waitFor(() => (stateOf(openPeer)?.reading as { item?: number } | undefined)?.item === 4, { what: "Bo's reading" });
    await waitFor(() => (stateOf(annesOpen)?.user as { color?: string } | undefined)?.color === '#00ff00', { what: "Anne's presence" });
    expect(stateOf(annesOpen)).toEqual({ user: { color: '#00ff00', name: 'Anne Jensen', id: anne.id } });
    // A place that does not say its item, on a packet with a closed item, is not shown either.
    annesOpen.provider.awareness.setLocalState({ user: { color: '#0000ff' }, reading: { page: 6, item: null } });
    await waitFor(() => (stateOf(annesOpen)?.user as { color?: string } | undefined)?.color === '#0000ff', { what: "Anne's presence" });
    expect(stateOf(annesOpen)?.reading).toBeUndefined();
  });

  it('exports: every format of the server\'s export has it for Anne under "Lukket punkt – fortroligt", and nothing of it for Carl and Dan', async () => {
    const exported = async (who: Who, format: string) => {
      const response = await fetch(`${server.url}/api/packets/${packetId}/export?format=${format}`, {
        headers: { authorization: `Bearer ${who.token}` },
      });
      expect(response.status, format).toBe(200);
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (format === 'docx') return strFromU8(unzipSync(bytes)['word/document.xml'] as Uint8Array);
      return new TextDecoder().decode(bytes);
    };
    for (const format of ['md', 'html', 'csv', 'jsonld', 'docx']) {
      const forAnne = await exported(anne, format);
      expect(forAnne, format).toContain(SECRET);
      expect(forAnne, format).toContain(SECRET_REPLY);
      if (format !== 'jsonld') expect(forAnne, format).toContain('Overblik: Lukkede punkter');
      for (const who of [carl, dan]) {
        const text = await exported(who, format);
        expect(text, format).toContain('Åbent om budgettet');
        expectNoTrace(text, `${who.name}'s ${format}`);
      }
    }
  });

  needsTest('poppler')('exports: the overview PDF marks the pages of closed items for Anne, and has none for Carl and Dan', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'randnoter-closed-'));
    const text = async (who: Who) => {
      const response = await fetch(`${server.url}/api/packets/${packetId}/export?format=overview-pdf`, {
        headers: { authorization: `Bearer ${who.token}` },
      });
      expect(response.status).toBe(200);
      const file = join(dir, `${who.id}.pdf`);
      writeFileSync(file, new Uint8Array(await response.arrayBuffer()));
      return pdftotext(file);
    };
    const forAnne = await text(anne);
    expect(forAnne).toContain('Lukket punkt – fortroligt');
    expect(forAnne).toContain(SECRET);
    for (const who of [carl, dan]) expectNoTrace(await text(who), `${who.name}'s overview PDF`);
  });

  it('a refusal: the 409 for a comment sent to the open room names only where it belongs', async () => {
    const refused = await call(
      carl,
      'POST',
      `${room()}/annotations`,
      commentDraft('c9', 'Mit spørgsmål', { target: { page: 5, agendaItem: { number: 3, title: 'Sag 3' } } }),
    );
    expect(refused.status).toBe(409);
    for (const trace of [SECRET, SECRET_ID, SECRET_REPLY]) expect(refused.text).not.toContain(trace);
  });
});
