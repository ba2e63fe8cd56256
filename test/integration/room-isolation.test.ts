/**
 * A user reaches only their own notes and their groups' shared rooms. Paths are sent byte for
 * byte by a hand-written client, so no client-side URL normalisation hides a trick; whatever the
 * path, nothing of another user's notes or a foreign group's comments comes back, and a
 * non-member hears exactly what a request for a room that does not exist hears.
 */
import { request } from 'node:http';
import { insertAnnotation } from '@randnoter/shared/model/annotation-doc';
import { CloseCode } from '@randnoter/shared/protocol/close-codes';
import { SyncStep } from '@randnoter/shared/protocol/message-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { api, commentDraft } from '../support/api.ts';
import { openRawSocket } from '../support/raw-socket.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';
import { connectSynced } from '../support/yjs-clients.ts';
import { awarenessEntry, decodeServerMessage, syncStep1, syncUpdate } from '../support/yjs-frames.ts';

const SECRET = 'BO-HEMMELIG';

const isStep2 = (bytes: Uint8Array) => {
  const m = decodeServerMessage(bytes);
  return m.type === 'sync' && m.step === SyncStep.step2;
};
const GROUP_SECRET = 'GRUPPE-HEMMELIG';

/** A GET with the path exactly as given (Node's http client does not normalise it). */
function rawGet(port: number, path: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers: { authorization: `Bearer ${token}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('room isolation', () => {
  let server: TestServer;
  let anne: { id: string; token: string };
  let bo: { id: string; token: string };

  beforeAll(async () => {
    server = await startTestServer();
    anne = await server.addUser('Anne Jensen', 'annes-gruppe');
    bo = await server.addUser('Bo Hansen', 'bos-gruppe');
    const bos = await connectSynced(server.wsUrl, 'notes/p1', bo.token);
    insertAnnotation(
      bos.doc,
      { id: 'n1', kind: 'note', body: SECRET, replyTo: null, color: null, tags: [], target: { page: 1 } },
      null,
      '2026-01-01T10:00:00Z',
    );
    const created = await api(
      server.url,
      bo.token,
      'POST',
      '/api/groups/bos-gruppe/packets/p1/annotations',
      commentDraft('c1', GROUP_SECRET),
    );
    expect(created.status).toBe(201);
    await waitFor(async () => (await rawGet(server.port, '/api/notes/p1/annotations', bo.token)).body.includes(SECRET), {
      what: "Bo's note",
    });
    bos.destroy();
  });
  afterAll(async () => {
    await server?.close();
  });

  it("never serves Bo's notes or Bo's group's comments to Anne over WebSocket, whatever the path", async () => {
    const id = () => bo.id;
    const tricks = [
      `/sync/notes/${id()}/p1`,
      `/sync/notes/../notes/${id()}/p1`,
      `/sync/notes/p1/../../notes/${id()}/p1`,
      `/sync/notes/..%2F${id()}%2Fp1`,
      `/sync/notes/%2e%2e/${id()}/p1`,
      `/sync/notes/%2E%2E%2F${id()}%2Fp1`,
      `/sync/notes/${id()}%2Fp1`,
      `/sync/notes/${id()}%252Fp1`,
      `/sync/notes/p1%00/../../${id()}/p1`,
      `/sync/notes/p1%00`,
      `/sync/notes/p1;${id()}`,
      `/sync//notes/${id()}/p1`,
      `/sync/notes//${id()}/p1`,
      `/sync/notes/p1/`,
      `/sync/./notes/p1`,
      `/sync/notes/${id()}\\p1`,
      `/sync/notes/ｐ1`,
      `/sync/notes/p\u0131`,
      `/sync/notes/p1\u200b`,
      `/sync/NOTES/p1`,
      `/sync/notes/${'a'.repeat(129)}`,
      `/sync/notes/${'a'.repeat(20_000)}`,
      `/sync/shared/bos-gruppe/p1`,
      `/sync/shared/bos-gruppe/../../notes/${id()}/p1`,
      `/sync/shared/BOS-GRUPPE/p1`,
      `/sync/shared/bos-gruppe%2Fp1`,
      `/sync/shared/bos-gruppe/p1/x`,
      `/sync/shared/annes-gruppe/../bos-gruppe/p1`,
      `/sync/shared/annes-gruppe/p1/../../bos-gruppe/p1`,
      `/sync/notes/p1?user=${id()}&room=notes/${id()}/p1`,
      `/sync/notes/p1?userId=${id()}#/notes/${id()}/p1`,
      `/sync/notes/p1?token=&token=${anne.token}`,
    ];
    const joinedOwnRoom: string[] = [];
    for (const trick of tricks) {
      const path = trick.includes('token=') ? trick : `${trick}${trick.includes('?') ? '&' : '?'}token=${anne.token}`;
      const socket = await openRawSocket(server.port, path);
      if (socket.status === 101) {
        socket.sendBinary(syncStep1(new Y.Doc()));
        // Either refused, or joined to a room of Anne's own: then the server answers our step 1 with a step 2.
        await waitFor(() => socket.isClosed || socket.messages.some((m) => isStep2(m)), { what: `an answer to ${trick}` });
      }
      const received = Buffer.concat(socket.messages).toString('utf8');
      expect(received.includes(SECRET), trick).toBe(false);
      expect(received.includes(GROUP_SECRET), trick).toBe(false);
      if (socket.status === 101 && !socket.isClosed) joinedOwnRoom.push(trick);
      else if (socket.status === 101) expect([CloseCode.notFound, CloseCode.unauthorized], trick).toContain((await socket.closed).code);
      else expect(socket.status, trick).toBeGreaterThanOrEqual(400);
      socket.destroy();
    }
    // Extra query parameters land in Anne's own notes room for p1 (and an empty first token is a
    // wrong token); everything else is no room at all.
    expect(joinedOwnRoom).toEqual(tricks.filter((t) => t.includes('?user')));
  });

  it("cannot write into Bo's notes: every write Anne sends lands in her own room", async () => {
    const socket = await openRawSocket(server.port, `/sync/notes/p1?token=${anne.token}&user=${bo.id}`);
    const doc = new Y.Doc();
    insertAnnotation(
      doc,
      { id: 'n1', kind: 'note', body: 'overskrevet af Anne', replyTo: null, color: null, tags: [], target: { page: 1 } },
      null,
      '2026-01-02T10:00:00Z',
    );
    socket.sendBinary(syncUpdate(Y.encodeStateAsUpdate(doc)));
    socket.sendBinary(awarenessEntry(doc.clientID, 1, { user: { name: 'Bo Hansen' } }));
    await waitFor(async () => (await rawGet(server.port, '/api/notes/p1/annotations', anne.token)).body.includes('overskrevet af Anne'));
    socket.destroy();
    const bos = await rawGet(server.port, '/api/notes/p1/annotations', bo.token);
    expect(bos.body).toContain(SECRET);
    expect(bos.body).not.toContain('overskrevet af Anne');
  });

  it("never serves Bo's notes or group over HTTP, whatever the path", async () => {
    const tricks = [
      `/api/notes/${bo.id}/p1/annotations`,
      `/api/notes/..%2F${bo.id}%2Fp1/annotations`,
      `/api/notes/%2e%2e%2fnotes%2f${bo.id}%2fp1/annotations`,
      `/api/notes/${bo.id}%2Fp1/annotations`,
      `/api/notes/p1/annotations?user=${bo.id}`,
      `/api/notes/p1/../../notes/${bo.id}/p1/annotations`,
      `/api//notes/p1/annotations`,
      `/api/notes/p1%00/annotations`,
      `/api/notes/%EF%BD%901/annotations`,
      `/api/notes/${'a'.repeat(129)}/annotations`,
      `/api/groups/bos-gruppe/packets/p1/annotations`,
      `/api/groups/bos-gruppe/packets/p1/annotations?groupId=annes-gruppe`,
      `/api/groups/annes-gruppe/../bos-gruppe/packets/p1/annotations`,
      `/api/groups/annes-gruppe%2F..%2Fbos-gruppe/packets/p1/annotations`,
      `/api/groups/BOS-GRUPPE/packets/p1/annotations`,
      `/api/groups/bos-gruppe/packets/p1/annotations/c1`,
    ];
    for (const path of tricks) {
      const answer = await rawGet(server.port, path, anne.token);
      expect(answer.body.includes(SECRET), path).toBe(false);
      expect(answer.body.includes(GROUP_SECRET), path).toBe(false);
    }
    const listed = await rawGet(server.port, '/api/packets', anne.token);
    expect(listed.body).not.toContain('bos-gruppe');
  });

  it('answers a non-member exactly as it answers a group or packet that does not exist', async () => {
    const annotations = (group: string) => `/api/groups/${group}/packets/p1/annotations`;
    const requests: Array<[string, (group: string) => string, unknown]> = [
      ['GET', annotations, undefined],
      ['POST', annotations, commentDraft('c9', 'hej')],
      ['POST', annotations, '{ not json'],
      ['POST', annotations, { id: 'bad id!' }],
      ['PATCH', (g) => `${annotations(g)}/c1`, { body: 'rettet' }],
      ['PATCH', (g) => `${annotations(g)}/c1`, { resolved: 'maybe' }],
      ['DELETE', (g) => `${annotations(g)}/c1`, undefined],
    ];
    for (const [method, path, body] of requests) {
      const member = await api(server.url, anne.token, method, path('bos-gruppe'), body);
      const nobody = await api(server.url, anne.token, method, path('no-such-group'), body);
      expect(member.status, `${method} ${path('bos-gruppe')}`).toBe(404);
      expect([member.status, member.text, member.headers.get('content-type')]).toEqual([
        nobody.status,
        nobody.text,
        nobody.headers.get('content-type'),
      ]);
    }

    const ws = async (group: string) => {
      const socket = await openRawSocket(server.port, `/sync/shared/${group}/p1?token=${anne.token}`);
      return [socket.status, await socket.closed, socket.messages.length];
    };
    const nonMember = await ws('bos-gruppe');
    expect(nonMember).toEqual(await ws('no-such-group'));
    expect(nonMember[1]).toEqual({ code: CloseCode.notFound, reason: 'no such room' });
    // Bo's comment is untouched by all of this.
    const bos = await api<{ total: number; first: { items: Array<{ body: Array<{ value: string }> }> } }>(
      server.url,
      bo.token,
      'GET',
      annotations('bos-gruppe'),
    );
    expect(bos.body.first.items.map((a) => a.body[0]?.value)).toEqual([GROUP_SECRET]);
  });
});
