/**
 * A notes room emptied for good on the server (an administrator's reset, the user's erasure,
 * retention: docs/OPERATIONS.md, "Personal data") stays empty: the open viewer is told (1012),
 * drops the browser's copy and starts again from the empty room, instead of sending the old notes
 * back. Before, the viewer kept its copy and the next sync restored every note.
 */
import { expect, it } from 'vitest';
import { selectText } from '../support/browser.ts';
import { demoServerAndBrowser, openDemoViewer } from '../support/demo-viewer.ts';
import { needs } from '../support/needs.ts';
import { rowsHolding } from '../support/stored-phrase.ts';
import { waitFor } from '../support/wait-for.ts';

const GONE = 'Skal-vaek-for-altid-6620';
const NEW = 'Skrevet-bagefter-1187';

needs('chromium')('a notes room emptied on the server', () => {
  const demo = demoServerAndBrowser();

  it('is not filled again from the browser’s copy', async () => {
    const { server, browser } = demo;
    const anne = await server.addUser('Anne Jensen', 'socialudvalget');
    const viewer = await openDemoViewer(browser, server, anne);
    const connected = viewer.getByRole('status').filter({ hasText: 'Forbundet' });
    const overview = viewer.getByRole('complementary', { name: 'Overblik' });
    const writeNote = async (quote: string, body: string) => {
      await viewer.locator('.page[data-page-number="2"]').scrollIntoViewIfNeeded();
      await selectText(viewer, 2, quote);
      await viewer.getByRole('button', { name: 'Tilføj note' }).click();
      await viewer.getByLabel('Notetekst').fill(body);
      await viewer.getByRole('button', { name: 'Gem' }).click();
      await overview.getByRole('article').filter({ hasText: body }).waitFor();
    };

    await writeNote('Dagsordenen blev godkendt', GONE);
    const [room] = await waitFor(async () => {
      const rooms = await server.docs.listRooms(`notes/${anne.id}/`);
      return rooms.length === 1 && (await rowsHolding(server.database, GONE)).length > 0 ? rooms : null;
    });
    await server.rooms.reset(room as string);

    await expect.poll(() => overview.getByRole('article').filter({ hasText: GONE }).count(), { timeout: 30_000 }).toBe(0);
    await connected.waitFor({ timeout: 30_000 });
    // A note written after it reaches the server behind anything the viewer would have sent back.
    await writeNote('Louise Rohde', NEW);
    await waitFor(async () => (await rowsHolding(server.database, NEW)).length > 0, { what: 'the new note stored' });
    expect(await rowsHolding(server.database, GONE)).toEqual([]);
    await expect(overview.getByRole('article').filter({ hasText: GONE }).count()).resolves.toBe(0);
  });
});
