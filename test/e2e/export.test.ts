/**
 * "Eksporter" in the viewer's Overblik, with the built extension in Chromium: signed out and with
 * the packet's web site gone, so everything comes from what the browser holds. The annotated
 * packet and DOCX are downloaded and read back by pdf.js and unzip; printable HTML opens the
 * print dialog; a note that looks like markup stays text; the progress bar is shown while working.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addMeetingPortal, type ExtensionBrowser, launchWithExtension, openViewer, selectText, signIn } from '../support/browser.ts';
import { pdfAnnotations, pdfinfo, pdftotext } from '../support/export-files.ts';
import { needs, needsTest } from '../support/needs.ts';
import { truth } from '../support/packet-fixture.ts';
import { type StaticServer, startStaticServer } from '../support/static-server.ts';
import { startTestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/packets/rdm-2023-01');
const PAYLOAD = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> Spørg om økonomien';
const dir = mkdtempSync(join(tmpdir(), 'randnoter-e2e-export-'));

/** Picks a format, runs the export and saves the download. */
async function exportFile(viewer: Page, format: string, name: string, frame: Page | Frame = viewer): Promise<string> {
  const form = frame.getByRole('form', { name: 'Eksporter' });
  await form.getByLabel('Format').selectOption({ label: format });
  const [download] = await Promise.all([viewer.waitForEvent('download'), form.getByRole('button', { name: 'Eksporter nu' }).click()]);
  const file = join(dir, name);
  await download.saveAs(file);
  await form.getByRole('status').filter({ hasText: 'Gemt som' }).waitFor();
  return file;
}

needs('chromium')('export from the extension', () => {
  let site: StaticServer;
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    site = await startStaticServer(FIXTURE);
    browser = await launchWithExtension();
    // Stands in for the print dialog (headless Chromium has none) in the frame the export prints.
    await browser.context.addInitScript(() => {
      if (window === window.top) return;
      window.print = () => {
        const top = window.top as Window;
        top.document.body.dataset.printed = `${document.title} | ${document.querySelectorAll('h2, h3').length}`;
      };
    });
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  needsTest('poppler')('exports the annotated packet, DOCX and printable HTML offline, with progress, keeping markup as text', async () => {
    const viewer = await openViewer(browser, `${site.url}/packet.pdf`);
    await viewer.locator('body[data-ready="true"]').waitFor({ timeout: 60_000 });
    const overview = viewer.getByRole('complementary', { name: 'Overblik' });
    await viewer.locator('.page[data-page-number="2"]').scrollIntoViewIfNeeded();
    await selectText(viewer, 2, 'uden bemærkninger');
    await viewer.getByRole('button', { name: 'Tilføj note' }).click();
    await viewer.getByLabel('Notetekst').fill(PAYLOAD);
    await viewer.getByRole('button', { name: 'Gem' }).click();
    await overview.getByRole('article').filter({ hasText: 'onerror' }).waitFor();

    // The meeting system goes away: the extension already has the PDF.
    await site.close();

    await overview.getByRole('button', { name: 'Eksporter' }).click();
    const form = viewer.getByRole('form', { name: 'Eksporter' });
    await expect(form.getByLabel('Format').locator('option').allTextContents()).resolves.toEqual([
      'Markdown (.md)',
      'Udskrift (HTML)',
      'Word (.docx)',
      'Regneark (.csv)',
      'W3C Web Annotation (.jsonld)',
      'Pakken med noter (PDF)',
      'Overblik som PDF',
    ]);

    // Record what the progress bar and status show while the export runs.
    await viewer.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __seen: string[] }).__seen = seen;
      const form = document.querySelector('form.rn-export-form') as HTMLElement;
      new MutationObserver(() => {
        const bar = form.querySelector('progress') as HTMLProgressElement;
        seen.push(`${bar.hidden ? 'hidden' : 'shown'}: ${form.querySelector('output')?.textContent ?? ''}`);
      }).observe(form, { subtree: true, attributes: true, childList: true, characterData: true });
    });

    const packet = await exportFile(viewer, 'Pakken med noter (PDF)', 'packet-with-notes.pdf');
    const seen = await viewer.evaluate(() => (window as unknown as { __seen: string[] }).__seen);
    expect(seen).toContain('shown: Gemmer filen …');
    expect(seen.at(-1)).toMatch(/^hidden: Gemt som .+ med noter\.pdf$/);
    const info = await pdfinfo(packet);
    const pages = truth.packet.page_count;
    expect(info.pages).toBeGreaterThan(pages);
    const highlight = (await pdfAnnotations(packet)).annotations.find((a) => a.subtype === 'Highlight');
    expect(highlight).toMatchObject({ page: 2, contents: PAYLOAD });
    expect(await pdftotext(packet, { first: 1, last: pages })).toBe(await pdftotext(join(FIXTURE, 'packet.pdf')));
    expect(await pdftotext(packet, { first: pages + 1, last: info.pages })).toContain('Spørg om økonomien');

    await form.getByLabel('Medtag punkter uden noter').check();
    const docx = await exportFile(viewer, 'Word (.docx)', 'overblik.docx');
    const xml = strFromU8(unzipSync(new Uint8Array(readFileSync(docx)))['word/document.xml'] as Uint8Array);
    expect(xml).toContain('Overblik: Noter');
    expect(xml).toContain('&lt;img src=x onerror=');
    expect(xml).not.toContain('<img');
    expect(xml.match(/Punkt \d+:/g)?.length).toBeGreaterThan(2);

    await form.getByLabel('Format').selectOption({ label: 'Udskrift (HTML)' });
    await form.getByRole('button', { name: 'Eksporter nu' }).click();
    await form.getByRole('status').filter({ hasText: 'Udskriften er åbnet.' }).waitFor();
    await viewer.locator('body[data-printed]').waitFor({ state: 'attached' });
    expect(await viewer.evaluate(() => document.body.dataset.printed)).toMatch(/^Overblik – .+ \| [1-9]\d*$/);
    const printed = viewer.frameLocator('#rn-print-frame');
    await expect(printed.locator('blockquote, p').filter({ hasText: 'onerror' }).first().textContent()).resolves.toContain(PAYLOAD);
    await expect(printed.locator('img, script').count()).resolves.toBe(0);
    await expect(viewer.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).resolves.toBeUndefined();
  });

  it('exports from the sidebar of an HTML agenda page, which has no PDF to annotate', async () => {
    const agendaSite = await startStaticServer(FIXTURE);
    try {
      await addMeetingPortal(browser, agendaSite.url);
      const page = await browser.context.newPage();
      await page.goto(`${agendaSite.url}/agenda.html`);
      const sidebar = await waitFor(() => page.frames().find((f) => f.url().includes('/sidebar.html')), { what: 'sidebar frame' });
      await sidebar.locator('body[data-ready="true"]').waitFor({ timeout: 60_000 });
      await sidebar.getByRole('complementary', { name: 'Overblik' }).getByRole('button', { name: 'Eksporter' }).click();
      const options = await sidebar.getByRole('form', { name: 'Eksporter' }).getByLabel('Format').locator('option').allTextContents();
      expect(options).not.toContain('Pakken med noter (PDF)');
      expect(options).toContain('Overblik som PDF');
      await sidebar.getByRole('form', { name: 'Eksporter' }).getByLabel('Medtag punkter uden noter').check();
      const md = readFileSync(await exportFile(page, 'Markdown (.md)', 'agenda.md', sidebar), 'utf8');
      expect(md).toContain('## Overblik: Noter');
      expect(md.match(/^### Punkt \d+:/gm)).toHaveLength(20);
    } finally {
      await agendaSite.close();
    }
  });

  it('exports CSV for Danish Excel (semicolons, BOM) named after the meeting date and committee, and with commas in English', async () => {
    const server = await startTestServer({ demoDir: FIXTURE });
    try {
      await server.addGroup('socialudvalget', 'Socialudvalget');
      const anne = await server.addUser('Anne Jensen', 'socialudvalget');
      await signIn(browser, server.url, anne.token, 'Anne Jensen');
      const viewer = await openViewer(browser, `${server.url}/demo/packet.pdf`);
      await viewer.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 60_000 });

      /** Exports CSV with the form in the page's language; the file's suggested name and text. */
      const csvExport = async (form: string, format: string, now: string) => {
        const panel = viewer.getByRole('form', { name: form });
        if (!(await panel.isVisible())) await viewer.getByRole('button', { name: form }).click();
        await panel.getByLabel('Format').selectOption({ label: format });
        const [download] = await Promise.all([viewer.waitForEvent('download'), panel.getByRole('button', { name: now }).click()]);
        const file = join(dir, download.suggestedFilename());
        await download.saveAs(file);
        return { name: download.suggestedFilename(), text: readFileSync(file, 'utf8') };
      };
      const title = 'Referat – Rådmandsmøde 23.01.2023 – Sociale Forhold og Beskæftigelse';
      const danish = await csvExport('Eksporter', 'Regneark (.csv)', 'Eksporter nu');
      expect(danish.name).toBe(`Overblik - 2023-01-23 - Socialudvalget - ${title}.csv`);
      expect(danish.text.startsWith('\uFEFFAfsnit;Punkt;Bilag;Side;Citat;Note;Forfatter;Tid;Type;Status;Placering;Gruppe;Id\r\n')).toBe(
        true,
      );

      const options = await browser.context.newPage();
      await options.goto(browser.extensionUrl('options.html'));
      await options.getByLabel('Sprog').selectOption('en');
      await options.getByRole('button', { name: 'Gem' }).click();
      await options.getByRole('status').filter({ hasText: 'Anne Jensen' }).waitFor();
      await options.close();
      await viewer.getByRole('complementary', { name: 'Overview' }).waitFor({ timeout: 30_000 });
      const english = await csvExport('Export', 'Spreadsheet (.csv)', 'Export now');
      expect(english.name).toBe(`Overview - 2023-01-23 - Socialudvalget - ${title}.csv`);
      expect(english.text.startsWith('\uFEFFSection,Item,Attachment,Page,Quote,Note,Author,Time,Kind,Status,Place,Group,Id\r\n')).toBe(
        true,
      );
    } finally {
      await server.close();
    }
  });
});
