import type { SharedDraft } from '@randnoter/shared/protocol/http-api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Intent } from './outbox.ts';
import { intentSender } from './send-intent.ts';

const identity = { serverUrl: 'https://randnoter.example', token: 't0ken' };
const queued = '2026-01-01T00:00:00Z';

/** The platform's fetch, answering with `status` and `body`, recording what was asked. */
function fakeFetch(status: number, body: unknown = {}) {
  const requests: Array<{ url: string; method: string; headers: Record<string, string>; body: unknown }> = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    requests.push({
      url,
      method: init.method ?? 'GET',
      headers: init.headers as Record<string, string>,
      body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
    });
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  });
  return requests;
}

describe('sending a queued intent', () => {
  afterEach(() => vi.unstubAllGlobals());
  const send = intentSender(identity, { groupId: 'udvalg', packetId: 'fp-1/2' });

  it('sends each intent to its route of the contract, the colour of an edit included', async () => {
    const requests = fakeFetch(200);
    const draft: SharedDraft = {
      id: 'c1',
      kind: 'comment',
      body: 'Hvad koster det?',
      replyTo: null,
      target: { page: 3 },
      color: null,
      tags: [],
    };
    const intents: Intent[] = [
      { op: 'create', draft, queued },
      { op: 'edit', id: 'c1', patch: { color: '#00ff00' }, queued },
      { op: 'edit', id: 'c1', patch: { resolved: true }, queued },
      { op: 'delete', id: 'c1', queued },
    ];
    for (const intent of intents) expect(await send(intent)).toEqual({ ok: true });
    const base = 'https://randnoter.example/api/groups/udvalg/packets/fp-1%2F2/annotations';
    expect(requests.map((r) => [r.method, r.url, r.body])).toEqual([
      ['POST', base, draft],
      ['PATCH', `${base}/c1`, { color: '#00ff00' }],
      ['PATCH', `${base}/c1`, { resolved: true }],
      ['DELETE', `${base}/c1`, undefined],
    ]);
    expect(requests[0]?.headers).toEqual({ authorization: 'Bearer t0ken', 'content-type': 'application/json' });
    expect(requests[3]?.headers).toEqual({ authorization: 'Bearer t0ken' });
  });

  it('drops an intent the server refuses for good, with its status, and keeps one to try again', async () => {
    const edit: Intent = { op: 'edit', id: 'c1', patch: { body: 'x' }, queued };
    fakeFetch(400, { error: 'body exceeds 10000 characters' });
    expect(await send(edit)).toEqual({ ok: false, retry: false, status: 400 });
    fakeFetch(403, { error: 'not your comment' });
    expect(await send(edit)).toMatchObject({ ok: false, retry: false });
    for (const status of [401, 429, 500, 503]) {
      fakeFetch(status, { error: 'later' });
      expect(await send(edit)).toMatchObject({ ok: false, retry: true });
    }
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(await send(edit)).toEqual({ ok: false, retry: true, status: 0 });
  });

  it("sends a closed item's intents to the item's routes", async () => {
    const requests = fakeFetch(200);
    const toItem = intentSender(identity, { groupId: 'udvalg', packetId: 'p1', itemNumber: 3 });
    await toItem({ op: 'edit', id: 'c1', patch: { resolved: true }, queued });
    await toItem({ op: 'delete', id: 'c1', queued });
    const base = 'https://randnoter.example/api/groups/udvalg/packets/p1/items/3/annotations';
    expect(requests.map((r) => [r.method, r.url])).toEqual([
      ['PATCH', `${base}/c1`],
      ['DELETE', `${base}/c1`],
    ]);
  });

  it('hands a 409 from the open room to the reroute, which takes it elsewhere', async () => {
    const message = 'the comment is on agenda item 3, which is closed: send it to /api/groups/udvalg/packets/p1/items/3/annotations';
    fakeFetch(409, { error: message });
    const asked: string[] = [];
    const rerouting = intentSender(identity, { groupId: 'udvalg', packetId: 'p1' }, async (_intent, said) => {
      asked.push(said);
      return true;
    });
    const edit: Intent = { op: 'edit', id: 'c1', patch: { body: 'x' }, queued };
    expect(await rerouting(edit)).toEqual({ ok: true });
    expect(asked).toEqual([message]);
    // Nowhere to take it: a refusal for good, as before.
    const stuck = intentSender(identity, { groupId: 'udvalg', packetId: 'p1' }, async () => false);
    expect(await stuck(edit)).toEqual({ ok: false, retry: false, status: 409 });
  });
});
