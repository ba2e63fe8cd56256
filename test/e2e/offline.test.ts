/**
 * Working without the server: notes and comments written offline are kept (comments shown as
 * pending), survive closing and reopening the browser, and reach the server and the other
 * member once it is back, each exactly once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { liveAnnotations } from '@randnoter/shared/model/annotation-doc';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ExtensionBrowser, launchWithExtension, openViewer, selectText, signIn } from '../support/browser.ts';
import { needs } from '../support/needs.ts';
import { type StaticServer, startStaticServer } from '../support/static-server.ts';
import { packetIds, readStoredDoc } from '../support/stored-doc.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/packets/rdm-2023-01');

needs('chromium')('offline', () => {
  let server: TestServer;
  let site: StaticServer;
  let bo: ExtensionBrowser;
  let anne: ExtensionBrowser | undefined;
  const anneProfile = mkdtempSync(join(tmpdir(), 'randnoter-offline-'));

  beforeAll(async () => {
    [server, site] = await Promise.all([startTestServer(), startStaticServer(FIXTURE)]);
    bo = await launchWithExtension();
  });
  afterAll(async () => {
    await Promise.all([anne?.close(), bo?.close(), site?.close()]);
    await server?.close();
    rmSync(anneProfile, { recursive: true, force: true });
  });

  it('keeps offline notes and comments through a browser restart and delivers them once the server is back', async () => {
    const anneUser = await server.addUser('Anne Jensen', 'socialudvalget');
    const boUser = await server.addUser('Bo Hansen', 'socialudvalget');
    anne = await launchWithExtension({ profile: anneProfile });
    await signIn(anne, server.url, anneUser.token, 'Anne Jensen');
    await signIn(bo, server.url, boUser.token, 'Bo Hansen');
    const packetUrl = `${site.url}/packet.pdf`;

    // First visit online, so the packet and the groups are known.
    let viewer = await openViewer(anne, packetUrl);
    await viewer.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 60_000 });
    const [packetId] = await waitFor(() => packetIds(server.database), { what: 'registered packet' });

    const { port, database } = server;
    await server.close();
    await viewer.getByRole('status').filter({ hasText: 'Offline' }).waitFor({ timeout: 20_000 });

    await selectText(viewer, 2, 'uden bemærkninger');
    await viewer.getByRole('button', { name: 'Tilføj note' }).click();
    await viewer.getByLabel('Notetekst').fill('Skrevet i toget');
    await viewer.getByRole('button', { name: 'Gem' }).click();
    await selectText(viewer, 2, 'Louise Rohde');
    await viewer.getByRole('button', { name: 'Del kommentar' }).click();
    await viewer.getByLabel('Notetekst').fill('Også skrevet offline');
    await viewer.getByRole('button', { name: 'Gem' }).click();
    const overview = viewer.getByRole('complementary', { name: 'Overblik' });
    await overview.getByRole('article').filter({ hasText: 'Også skrevet offline' }).getByText('venter').waitFor();
    // The note and the comment: both wait.
    const waiting = 'Offline · 2 venter på at blive gemt';
    await viewer.getByRole('status').filter({ hasText: waiting }).waitFor();

    // Close the browser entirely and open it again, still offline.
    await anne.close();
    anne = await launchWithExtension({ profile: anneProfile });
    viewer = await openViewer(anne, packetUrl);
    const reopened = viewer.getByRole('complementary', { name: 'Overblik' });
    await reopened.getByText('Skrevet i toget').waitFor({ timeout: 60_000 });
    await reopened.getByRole('tab', { name: 'Delte kommentarer' }).click();
    await reopened.getByRole('article').filter({ hasText: 'Også skrevet offline' }).getByText('venter').waitFor();
    // Still both, not only the comment in the outbox (the note waits in the local copy): it said "1 venter".
    await viewer.getByRole('status').filter({ hasText: 'venter' }).waitFor({ timeout: 20_000 });
    // (and, the server being away since the browser started, what to check)
    await expect(viewer.getByRole('status').filter({ hasText: 'venter' }).textContent()).resolves.toMatch(new RegExp(`^${waiting}\\.`));

    // The server comes back on the same address: everything is delivered, once.
    server = await startTestServer({ database, port });
    await viewer.getByRole('status').filter({ hasText: 'Gemt' }).waitFor({ timeout: 30_000 });
    const notes = await waitFor(
      async () => {
        const stored = liveAnnotations(await readStoredDoc(database, `notes/${anneUser.id}/${packetId}`));
        return stored.length > 0 ? stored : null;
      },
      { what: 'offline note on the server' },
    );
    expect(notes.map((n) => n.body)).toEqual(['Skrevet i toget']);
    const comments = await waitFor(
      async () => {
        const stored = liveAnnotations(await readStoredDoc(database, `shared/socialudvalget/${packetId}`));
        return stored.length > 0 ? stored : null;
      },
      { what: 'offline comment on the server' },
    );
    expect(comments.map((c) => [c.body, c.author?.name])).toEqual([['Også skrevet offline', 'Anne Jensen']]);

    const boViewer = await openViewer(bo, packetUrl);
    const boOverview = boViewer.getByRole('complementary', { name: 'Overblik' });
    await boOverview.getByRole('tab', { name: 'Delte kommentarer' }).click();
    await boOverview.getByRole('article').filter({ hasText: 'Også skrevet offline' }).waitFor({ timeout: 30_000 });
    await expect(boOverview.getByRole('article').filter({ hasText: 'Også skrevet offline' }).count()).resolves.toBe(1);
    await expect(boOverview.getByText('Skrevet i toget').count()).resolves.toBe(0);
  });
});
