/**
 * Shared comments with closed items, offline (nothing is sent): what the last answer of
 * `…/closed-items` said decides where a new comment is queued, which rooms are shown, and which
 * local copies are removed.
 */
import { insertAnnotation } from '@randnoter/shared/model/annotation-doc';
import type { SharedDraft } from '@randnoter/shared/protocol/http-api';
import { toBase64 } from 'lib0/buffer';
import { beforeEach, describe, expect, it } from 'vitest';
import { browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import * as Y from 'yjs';
import { openSharedComments } from './shared-comments.ts';

const NS = 'rn-test';
const me = { id: 'u-anne', name: 'Anne' };
const draft = (id: string, item: number | null, replyTo: string | null = null): SharedDraft => ({
  id,
  kind: replyTo ? 'reply' : 'comment',
  body: `tekst ${id}`,
  replyTo,
  target: { page: 3, agendaItem: item === null ? null : { number: item, title: `Punkt ${item}` } },
  color: null,
  tags: [],
});

/** A closed item's room as a previous session kept it, holding one comment. */
async function keptRoom(item: number, id: string): Promise<string> {
  const doc = new Y.Doc();
  insertAnnotation(doc, draft(id, item), { id: 'u-bo', name: 'Bo' }, '2026-01-01T00:00:00Z');
  const key = `doc/${NS}/closed/udvalg/p1/${item}`;
  await browser.storage.local.set({ [key]: toBase64(Y.encodeStateAsUpdate(doc)) });
  return key;
}

const open = () =>
  openSharedComments({
    identity: { serverUrl: 'https://randnoter.example', token: '' },
    namespace: NS,
    packetId: 'p1',
    groups: [{ id: 'udvalg', name: 'Udvalget' }],
    me,
    signedIn: false,
  });

describe('shared comments on closed items', () => {
  beforeEach(async () => {
    fakeBrowser.reset();
    // Item 3 closed and readable, item 5 closed and not.
    await browser.storage.local.set({
      [`${NS}/closed-items/udvalg/p1`]: [
        { itemNumber: 3, mayRead: true },
        { itemNumber: 5, mayRead: false },
      ],
    });
  });

  it("queues a comment on a closed item for the item's room, and one on an open item for the group's", async () => {
    const shared = await open();
    await shared.create('udvalg', draft('c3', 3));
    await shared.create('udvalg', draft('c2', 2));
    await shared.create('udvalg', draft('r3', 2, 'c3'));
    const stored = await browser.storage.local.get(null);
    const ids = (key: string) => ((stored[key] as Array<{ draft: { id: string } }> | undefined) ?? []).map((i) => i.draft.id);
    expect(ids(`${NS}/outbox/udvalg/p1/closed/3`)).toEqual(['c3', 'r3']);
    expect(ids(`${NS}/outbox/udvalg/p1`)).toEqual(['c2']);
    expect(
      shared
        .annotations()
        .map((a) => [a.id, a.itemNumber])
        .sort(),
    ).toEqual([
      ['c2', null],
      ['c3', 3],
      ['r3', 3],
    ]);
    expect([...shared.closedItems()]).toEqual([
      [3, true],
      [5, false],
    ]);
    shared.destroy();
  });

  it('sends nothing anywhere for a closed item the user may not read', async () => {
    const shared = await open();
    await expect(shared.create('udvalg', draft('c5', 5))).rejects.toThrow('closed');
    expect(shared.pendingCount()).toBe(0);
    shared.destroy();
  });

  it("shows a readable item's kept comments, and removes the kept copy of one the user may no longer read", async () => {
    await keptRoom(3, 'kept3');
    const gone = await keptRoom(5, 'kept5');
    const shared = await open();
    expect(shared.annotations().map((a) => a.id)).toEqual(['kept3']);
    expect(Object.keys(await browser.storage.local.get(null))).not.toContain(gone);
    shared.destroy();
  });
});

describe('whom a comment may mention, offline', () => {
  beforeEach(async () => {
    fakeBrowser.reset();
    await browser.storage.local.set({
      [`${NS}/closed-items/udvalg/p1`]: [{ itemNumber: 3, mayRead: true }],
      // What the last online session fetched: the group's members, and who may read item 3.
      [`${NS}/audience/udvalg`]: [
        { id: 'u-anne', name: 'Anne' },
        { id: 'u-bo', name: 'Bo' },
        { id: 'u-carl', name: 'Carl' },
      ],
      [`${NS}/audience/udvalg/p1/3`]: [
        { id: 'u-anne', name: 'Anne' },
        { id: 'u-bo', name: 'Bo' },
      ],
    });
  });

  it("offers the audience last fetched: the closed item's for a comment or reply there, the group's elsewhere", async () => {
    const shared = await open();
    const names = async (item: number | null, replyTo: string | null = null) =>
      (await shared.audience('udvalg', draft('x', item).target, replyTo)).map((m) => m.name);
    await expect(names(3)).resolves.toEqual(['Anne', 'Bo']);
    await expect(names(1)).resolves.toEqual(['Anne', 'Bo', 'Carl']);
    await shared.create('udvalg', draft('c3', 3));
    // A reply goes where its comment is, whatever its own target says.
    await expect(names(null, 'c3')).resolves.toEqual(['Anne', 'Bo']);
    expect(shared.people().get('u-carl')).toBe('Carl');
    shared.destroy();
  });

  it('keeps the mentions of a comment written offline in the outbox and shows them on the pending comment', async () => {
    const shared = await open();
    await shared.create('udvalg', { ...draft('c1', 1), body: 'Spørg @Bo', mentions: ['u-bo'] });
    const outbox = (await browser.storage.local.get(`${NS}/outbox/udvalg/p1`))[`${NS}/outbox/udvalg/p1`] as Array<{
      draft: SharedDraft;
    }>;
    expect(outbox[0]?.draft.mentions).toEqual(['u-bo']);
    expect(shared.annotations().find((a) => a.id === 'c1')).toMatchObject({ pending: true, mentions: ['u-bo'] });
    shared.destroy();
  });
});
