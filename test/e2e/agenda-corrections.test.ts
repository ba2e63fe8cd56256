/**
 * Issue 26, point 4: a person corrects a guessed "Indhold" and the whole group benefits. Anne
 * opens a packet whose items are bare numbers (the detector can only guess them: notes are grouped
 * by page), corrects it with the keyboard in "Ret indhold" (adds an attachment, removes one, moves
 * where one starts, renames an item), saves it: her notes regroup at once. She shares it with the
 * group, and Bo, reading the same packet in another browser, sees the corrected Indhold and his
 * own note regrouped without reloading, with who corrected it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgendaOutline } from '@randnoter/shared/agenda/outline';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadCorpus } from '../fixtures/packet-gen/corpus.ts';
import { generatePacket } from '../fixtures/packet-gen/generate-packet.ts';
import { styleNamed } from '../fixtures/packet-gen/styles.ts';
import { type ExtensionBrowser, launchWithExtension, openViewer, signIn } from '../support/browser.ts';
import { needs } from '../support/needs.ts';
import { PACKET_V1 } from '../support/packet-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

needs('chromium')('correcting a guessed agenda for the group', () => {
  let server: TestServer;
  let anne: ExtensionBrowser;
  let bo: ExtensionBrowser;
  let truth: AgendaOutline;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'randnoter-corrections-'));
    // Three items in bare numbers, 17 pages: 1) on 1-10 with attachments on 2, 5, 8; 2) on 11; 3) on 12-17 with attachments on 14 and 17.
    const generated = await generatePacket(styleNamed('bare-numbers'), 3, await loadCorpus(PACKET_V1));
    truth = generated.truth;
    writeFileSync(join(dir, 'packet.pdf'), generated.bytes);
    server = await startTestServer({ demoDir: dir });
    [anne, bo] = await Promise.all([launchWithExtension(), launchWithExtension()]);
    const [a, b] = await Promise.all([server.addUser('Anne Jensen', 'udvalg'), server.addUser('Bo Hansen', 'udvalg')]);
    await Promise.all([signIn(anne, server.url, a.token, 'Anne Jensen'), signIn(bo, server.url, b.token, 'Bo Hansen')]);
  });
  afterAll(async () => {
    await Promise.all([anne?.close(), bo?.close()]);
    await server?.close();
  });

  const item = (n: number) => truth.items[n - 1] as AgendaOutline['items'][number];
  const heading = (entry: { label?: string; title: string }) =>
    `${entry.label}${/[.)]$/.test(entry.label ?? '') ? ' ' : ': '}${entry.title}`;

  async function goTo(viewer: Page, page: number): Promise<void> {
    await viewer.getByLabel('Sidenummer').fill(String(page));
    await viewer.getByLabel('Sidenummer').press('Enter');
    await viewer.locator(`.page[data-page-number="${page}"] .textLayer span`).first().waitFor({ timeout: 30_000 });
  }

  async function pageNote(viewer: Page, page: number, body: string): Promise<void> {
    await goTo(viewer, page);
    await viewer.getByRole('button', { name: 'Sidenote' }).click();
    const overview = viewer.getByRole('complementary', { name: 'Overblik' });
    await overview.getByLabel('Notetekst').fill(body);
    await overview.getByRole('button', { name: 'Gem' }).click();
  }

  /** The Overblik's group under `title`, holding an attachment heading and a note. */
  const groupIn = (viewer: Page, title: string): Locator =>
    viewer
      .getByRole('complementary', { name: 'Overblik' })
      .locator('.rn-group')
      .filter({ has: viewer.getByRole('heading', { name: title, exact: true }) });

  it('regroups the notes as soon as Anne saves, and Bo’s as soon as she shares', async () => {
    const url = `${server.url}/demo/packet.pdf`;
    const [a, b] = await Promise.all([openViewer(anne, url), openViewer(bo, url)]);
    for (const viewer of [a, b]) await viewer.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 60_000 });
    const annesContents = a.getByRole('navigation', { name: 'Indhold' });
    const bosContents = b.getByRole('navigation', { name: 'Indhold' });
    for (const contents of [annesContents, bosContents])
      await contents.getByRole('note').filter({ hasText: 'Indholdet er gættet – ret det' }).waitFor();

    // Guessed: notes are grouped by page.
    await pageNote(a, 13, 'Hvem har lavet tidsplanen?');
    await pageNote(b, 11, 'Hvornår slutter høringen?');
    await groupIn(a, 'Side 13').getByText('Hvem har lavet tidsplanen?').waitFor();
    await groupIn(b, 'Side 11').getByText('Hvornår slutter høringen?').waitFor();

    // "Ret indhold", with the keyboard.
    await annesContents.getByRole('button', { name: 'Ret indhold' }).focus();
    await a.keyboard.press('Enter');
    const editor = annesContents.getByRole('form', { name: 'Ret indhold' });
    await editor.waitFor();
    // Focus starts in the first item's first field.
    await expect(
      editor
        .getByRole('group', { name: heading(item(1)) })
        .getByLabel('Betegnelse')
        .evaluate((el) => el === document.activeElement),
    ).resolves.toBe(true);

    // Item 2 gets an attachment (focus lands on its title), starting on the item's own page.
    await editor
      .getByRole('group', { name: heading(item(2)) })
      .getByRole('button', { name: 'Tilføj bilag' })
      .press('Enter');
    await a.keyboard.type('Høringsnotat');
    await editor.getByRole('group', { name: 'Bilag 1: Høringsnotat' }).getByLabel('Første side').fill('11');

    // Item 3's last attachment is not one; its first attachment starts a page earlier (on the page shown: 13).
    const last = item(3).attachments[1] as { label: string; title: string };
    await editor
      .getByRole('group', { name: heading(last) })
      .getByRole('button', { name: 'Fjern bilaget' })
      .press('Enter');
    const first = item(3).attachments[0] as { label: string; title: string };
    await editor
      .getByRole('group', { name: heading(first) })
      .getByRole('button', { name: 'Begynder på denne side' })
      .press('Enter');
    await expect(
      editor
        .getByRole('group', { name: heading(first) })
        .getByLabel('Første side')
        .inputValue(),
    ).resolves.toBe('13');

    // A page outside the packet is refused with the reason, and the focus goes to the field.
    const firstPage2 = editor.getByRole('group', { name: heading(item(2)) }).getByLabel('Første side');
    await firstPage2.fill('99');
    await firstPage2.press('Enter');
    await editor
      .getByRole('alert')
      .filter({ hasText: `${heading(item(2))}: Første side skal være mellem 1 og 17.` })
      .waitFor();
    await expect(firstPage2.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await firstPage2.fill('11');

    // Item 1 is renamed; Enter in a field saves ("Gem"). (Held by its id: the group's name follows the title as it is typed.)
    const title1 = a.locator(
      `#${await editor
        .getByRole('group', { name: heading(item(1)) })
        .getByLabel('Titel')
        .getAttribute('id')}`,
    );
    await title1.fill('Evaluering af gratis buskort (rettet)');
    await title1.press('Enter');
    await editor.waitFor({ state: 'detached' });

    // At once: Indhold is no longer a guess and says whose it is; Anne's note is under item 3's first attachment.
    await annesContents.getByRole('note').filter({ hasText: 'Du har rettet indholdet.' }).waitFor();
    await expect(annesContents.getByText('Indholdet er gættet – ret det').isVisible()).resolves.toBe(false);
    await annesContents.getByRole('button', { name: /^1\) Evaluering af gratis buskort \(rettet\)/ }).waitFor();
    await annesContents.getByRole('button', { name: 'Bilag 1: Høringsnotat' }).waitFor();
    await expect(annesContents.getByRole('button', { name: heading(last) }).count()).resolves.toBe(0);
    const annesGroup = groupIn(a, heading(item(3)));
    await annesGroup.getByRole('heading', { name: heading(first), exact: true }).waitFor();
    await annesGroup.getByText('Hvem har lavet tidsplanen?').waitFor();
    await annesContents.getByRole('button', { name: new RegExp(`^${item(3).label?.replace(')', '\\)')} .*, 1 note`) }).waitFor();
    // Bo has not been told: it is Anne's own until she shares it.
    await expect(bosContents.getByText('Indholdet er gættet – ret det').isVisible()).resolves.toBe(true);

    // "Del med gruppen": Bo's Indhold and Overblik change without reload.
    await annesContents.getByRole('button', { name: 'Ret indhold' }).click();
    await editor.getByRole('button', { name: 'Del med gruppen' }).click();
    await editor.waitFor({ state: 'detached' });
    await bosContents
      .getByRole('note')
      .filter({ hasText: /^Rettet af Anne Jensen \(udvalg\), / })
      .waitFor({ timeout: 10_000 });
    await bosContents.getByRole('button', { name: /^1\) Evaluering af gratis buskort \(rettet\)/ }).waitFor();
    await expect(bosContents.getByText('Indholdet er gættet – ret det').isVisible()).resolves.toBe(false);
    const bosGroup = groupIn(b, heading(item(2)));
    await bosGroup.getByRole('heading', { name: 'Bilag 1: Høringsnotat', exact: true }).waitFor();
    await bosGroup.getByText('Hvornår slutter høringen?').waitFor();

    // Anne removes her own correction: she now sees the group's, by her.
    await annesContents.getByRole('button', { name: 'Ret indhold' }).click();
    await editor.getByRole('button', { name: 'Fjern min rettelse' }).click();
    await annesContents
      .getByRole('note')
      .filter({ hasText: /^Rettet af Anne Jensen \(udvalg\), / })
      .waitFor();
    await annesGroup.getByText('Hvem har lavet tidsplanen?').waitFor();
  });
});
