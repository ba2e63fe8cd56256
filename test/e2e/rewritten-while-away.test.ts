/**
 * A group's room rewritten while a member's browser was away (a colleague erased, retention, a
 * closed item's move): when the viewer opens again, its old copy of the room must not merge back
 * into what it shows. The server's first sync message says what it holds; a copy holding more (a
 * room only the server writes) is of the room before the rewrite and is dropped. Before, the old
 * copy merged with the new room: the erased comment's words could win back its place on screen,
 * and stayed in the browser's copy for good.
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { api, commentDraft } from '../support/api.ts';
import { openViewer } from '../support/browser.ts';
import { demoServerAndBrowser, openDemoViewer } from '../support/demo-viewer.ts';
import { needs } from '../support/needs.ts';
import { runAdmin, SOURCES_MAIN } from '../support/spawned-server.ts';
import { databaseArgs } from '../support/test-database.ts';
import { waitFor } from '../support/wait-for.ts';

const PHRASE = 'Slettes-mens-du-var-vaek-4471';

/** The viewer's local copies of documents, by storage key (base64 Yjs states). */
const localCopies = (page: Page) =>
  page.evaluate(async () => {
    const storage = (globalThis as unknown as { chrome: { storage: { local: { get(keys: null): Promise<Record<string, unknown>> } } } })
      .chrome.storage.local;
    return Object.fromEntries(
      Object.entries(await storage.get(null)).filter(([key]) => key.startsWith('doc/') && key.includes('/shared/')),
    );
  });

const stateVectorOf = (base64: string) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Buffer.from(base64, 'base64'));
  return Y.decodeStateVector(Y.encodeStateVector(doc));
};

needs('chromium')('a group room rewritten while the browser was away', () => {
  const demo = demoServerAndBrowser();

  it('is taken from the server, not merged with the old copy', async () => {
    const { server, browser } = demo;
    const anne = await server.addUser('Anne Jensen', 'udvalg');
    const bo = await server.addUser('Bo Hansen', 'udvalg');
    let viewer = await openDemoViewer(browser, server, bo);
    const [packetId] = await waitFor(async () => {
      const ids = (await server.db.selectFrom('packet_registrations').select('packet_id').where('user_id', '=', bo.id).execute()).map(
        (r) => r.packet_id,
      );
      return ids.length > 0 ? ids : null;
    });
    const room = `shared/udvalg/${packetId}`;
    expect(
      (await api(server.url, anne.token, 'POST', `/api/groups/udvalg/packets/${packetId}/annotations`, commentDraft('c1', PHRASE))).status,
    ).toBe(201);
    const overview = () => viewer.getByRole('complementary', { name: 'Overblik' });
    await overview().getByRole('tab', { name: 'Delte kommentarer' }).click();
    await overview().getByText(PHRASE).waitFor({ timeout: 15_000 });
    // The browser holds its copy of the room, and leaves.
    await expect
      .poll(async () =>
        Object.values(await localCopies(viewer)).some((v) => Buffer.from(String(v), 'base64').includes(Buffer.from(PHRASE))),
      )
      .toBe(true);
    await viewer.close();

    // Meanwhile Anne is erased: the room is rebuilt without her words.
    expect((await runAdmin(['user', 'erase', anne.id, ...databaseArgs(server.database)], {}, SOURCES_MAIN)).stdout).toContain(
      '1 comment emptied',
    );
    const serverVector = Y.decodeStateVector(await server.rooms.read(room, (doc) => Y.encodeStateVector(doc)));

    viewer = await openViewer(browser, `${server.url}/demo/packet.pdf`);
    await viewer.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 60_000 });
    await overview().getByRole('tab', { name: 'Delte kommentarer' }).click();
    await overview().getByText('[slettet]').waitFor({ timeout: 15_000 });
    // What the browser keeps now is the server's room: nothing of the old copy's writers is in it.
    await expect
      .poll(
        async () => {
          const copies = Object.values(await localCopies(viewer));
          return (
            copies.length > 0 &&
            copies.every((v) => [...stateVectorOf(String(v))].every(([client, clock]) => clock <= (serverVector.get(client) ?? 0)))
          );
        },
        { timeout: 15_000 },
      )
      .toBe(true);
    await expect(overview().getByText(PHRASE).count()).resolves.toBe(0);
  });
});
