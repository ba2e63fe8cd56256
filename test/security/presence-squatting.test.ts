/**
 * A member taking over a colleague's presence. The red-team pass: y-websocket keeps a client's
 * awareness id across reconnects, and a peer could speak only for ids no peer held, so while Anne
 * was offline Bo claimed her id; when she came back, her presence was refused and Bo's stood in
 * its place. Now an id stays with the user who first spoke for it in the room.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openRawSocket } from '../support/raw-socket.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';
import { type Client, connectSynced } from '../support/yjs-clients.ts';
import { awarenessEntry, awarenessStates, queryAwareness } from '../support/yjs-frames.ts';

describe('presence client ids', () => {
  let server: TestServer;
  const clients: Client[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server?.close();
  });

  it("cannot be taken over while their owner is offline: Anne's presence is hers again when she returns", async () => {
    server = await startTestServer();
    const anne = await server.addUser('Anne Jensen', 'udvalg');
    const bo = await server.addUser('Bo Hansen', 'udvalg');
    const watcher = await connectSynced(server.wsUrl, 'shared/udvalg/p1', bo.token);
    clients.push(watcher);
    const annes = await connectSynced(server.wsUrl, 'shared/udvalg/p1', anne.token);
    const anneId = annes.doc.clientID;
    annes.provider.awareness.setLocalState({ page: 1 });
    await waitFor(() => watcher.provider.awareness.getStates().get(anneId)?.page === 1, { what: "Anne's presence" });
    clients.push(annes);
    annes.provider.disconnect(); // Anne's network drops; her client keeps its id
    await waitFor(() => !watcher.provider.awareness.getStates().has(anneId), { what: "Anne's presence gone" });

    // Bo speaks for Anne's client id while she is away: not taken.
    const raw = await openRawSocket(server.port, `/sync/shared/udvalg/p1?token=${bo.token}`);
    raw.sendBinary(awarenessEntry(anneId, 50, { page: 666 }));
    raw.sendBinary(awarenessEntry(777_777, 1, { page: 7 }));
    raw.sendBinary(queryAwareness());
    await waitFor(() => awarenessStates(raw.messages).get(777_777)?.page === 7, { what: "Bo's own presence" });
    expect(awarenessStates(raw.messages).has(anneId)).toBe(false);
    expect(watcher.provider.awareness.getStates().has(anneId)).toBe(false);

    // Anne comes back with the same client id: her presence shows, under her name.
    annes.provider.connect();
    await waitFor(() => annes.provider.wsconnected, { what: 'Anne back' });
    annes.provider.awareness.setLocalState({ page: 2 });
    await waitFor(() => watcher.provider.awareness.getStates().get(anneId)?.page === 2, { what: "Anne's presence again" });
    expect(watcher.provider.awareness.getStates().get(anneId)?.user).toMatchObject({ id: anne.id, name: 'Anne Jensen' });
    raw.destroy();
  });
});
