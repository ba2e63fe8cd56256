/**
 * Packets from other meeting systems in the viewer (issue 26): "Indhold" and "Overblik" use the
 * packet's own labels ("Sag 37: …", "Bilag 37.2: …"), and a packet whose agenda can only be
 * guessed says so in "Indhold" and groups the notes by page instead of under a guessed item.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPacketBytes } from '@randnoter/server/pdf/read-packet';
import type { AgendaOutline } from '@randnoter/shared/agenda/outline';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadCorpus } from '../fixtures/packet-gen/corpus.ts';
import { generatePacket } from '../fixtures/packet-gen/generate-packet.ts';
import { styleNamed } from '../fixtures/packet-gen/styles.ts';
import { uniqueQuote } from '../fixtures/packet-gen/unique-quote.ts';
import { type ExtensionBrowser, launchWithExtension, openViewer, selectText, signIn } from '../support/browser.ts';
import { needs } from '../support/needs.ts';
import { PACKET_V1 } from '../support/packet-fixture.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

interface Served {
  truth: AgendaOutline;
  /** A line on the page to take a note on, found once in the packet. */
  note: { page: number; quote: string };
}

needs('chromium')('agenda detection in other conventions, in the viewer', () => {
  let server: TestServer;
  let anne: ExtensionBrowser;
  const packets = new Map<string, Served>();

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'randnoter-conventions-'));
    const corpus = await loadCorpus(PACKET_V1);
    for (const [style, seed] of [
      ['issue-26', 26],
      ['bare-numbers', 2],
    ] as const) {
      const generated = await generatePacket(styleNamed(style), seed, corpus);
      writeFileSync(join(dir, `${style}.pdf`), generated.bytes);
      const read = await readPacketBytes(generated.bytes);
      const attachment = generated.truth.items[1]?.attachments[0] ?? generated.truth.items[0]?.attachments[0];
      if (!attachment) throw new Error(`${style} ${seed} has no attachment to take a note in`);
      packets.set(style, { truth: generated.truth, note: uniqueQuote(read.text, attachment.firstPage, attachment.lastPage) });
      await read.pdf.loadingTask.destroy();
    }
    server = await startTestServer({ demoDir: dir });
    anne = await launchWithExtension();
    const user = await server.addUser('Anne Jensen', 'udvalg');
    await signIn(anne, server.url, user.token, 'Anne Jensen');
  });
  afterAll(async () => {
    await anne?.close();
    await server?.close();
  });

  async function noteOn(viewer: Page, { page, quote }: Served['note'], body: string): Promise<void> {
    await viewer.getByLabel('Sidenummer').fill(String(page));
    await viewer.getByLabel('Sidenummer').press('Enter');
    await viewer.locator(`.page[data-page-number="${page}"] .textLayer span`).first().waitFor({ timeout: 30_000 });
    await selectText(viewer, page, quote);
    await viewer.getByRole('button', { name: 'Tilføj note' }).click();
    await viewer.getByLabel('Notetekst').fill(body);
    await viewer.getByRole('button', { name: 'Gem' }).click();
  }

  it('lists "Sag N: title" in Indhold and files a note under "Sag N" and "Bilag N.M" in Overblik', async () => {
    const { truth, note } = packets.get('issue-26') as Served;
    const viewer = await openViewer(anne, `${server.url}/demo/issue-26.pdf`);
    await viewer.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 60_000 });
    const contents = viewer.getByRole('navigation', { name: 'Indhold' });
    await contents
      .getByRole('button', { name: /^Sag \d+:/ })
      .first()
      .waitFor();
    await expect(contents.getByRole('button', { name: /^Sag \d+:/ }).count()).resolves.toBe(truth.items.length);
    await expect(contents.getByText('Indholdet er gættet – ret det').isVisible()).resolves.toBe(false);

    await noteOn(viewer, note, 'Hvem har skrevet bilaget?');
    const item = truth.items.find((i) => note.page >= i.firstPage && note.page <= i.lastPage);
    const attachment = item?.attachments.find((a) => note.page >= a.firstPage && note.page <= a.lastPage);
    const group = viewer
      .getByRole('complementary', { name: 'Overblik' })
      .locator('.rn-group')
      .filter({ has: viewer.getByRole('heading', { name: `${item?.label}: ${item?.title}`, exact: true }) });
    await group.getByRole('heading', { name: `${attachment?.label}: ${attachment?.title}`, exact: true }).waitFor();
    await group.getByText('Hvem har skrevet bilaget?').waitFor();
    await contents.getByRole('button', { name: new RegExp(`^${item?.label}: .*, 1 note`) }).waitFor();
  });

  it('says the contents are guessed when they are, and groups notes by page', async () => {
    const { note } = packets.get('bare-numbers') as Served;
    const viewer = await openViewer(anne, `${server.url}/demo/bare-numbers.pdf`);
    await viewer.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 60_000 });
    const contents = viewer.getByRole('navigation', { name: 'Indhold' });
    await contents.getByRole('note').filter({ hasText: 'Indholdet er gættet – ret det' }).waitFor();

    await noteOn(viewer, note, 'Hører det her til punktet?');
    const overview = viewer.getByRole('complementary', { name: 'Overblik' });
    const group = overview.locator('.rn-group').filter({ has: viewer.getByRole('heading', { name: `Side ${note.page}`, exact: true }) });
    await group.getByText('Hører det her til punktet?').waitFor();
    await expect(overview.getByRole('heading', { name: /^\d+\) / }).count()).resolves.toBe(0);
  });
});
