/**
 * Randnoter in place on a meeting portal's own pdf.js viewer (docs/ARCHITECTURE.md, "In place on
 * a portal's viewer"): the portal frames a pdf.js viewer that exposes `PDFViewerApplication`
 * (test/support/pdfjs-portal.ts). A note made there is stored and shows in Randnoter's own viewer,
 * and a note made in Randnoter's viewer shows there, on the same words (the packet is named by
 * the PDF's fingerprint). The portal's script, which records every message in its windows, finds
 * no note text and no token. A site that is not listed gets nothing.
 */
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { quoteOf } from '@randnoter/shared/model/annotation';
import { liveAnnotations } from '@randnoter/shared/model/annotation-doc';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seriousViolations } from '../support/axe.ts';
import {
  addMeetingPortal,
  type ExtensionBrowser,
  launchWithExtension,
  openViewer,
  selectText,
  signIn,
  watchPageScripts,
} from '../support/browser.ts';
import { needs } from '../support/needs.ts';
import { pdfjsPortalDir } from '../support/pdfjs-portal.ts';
import { type StaticServer, startStaticServer } from '../support/static-server.ts';
import { packetIds, readStoredDoc } from '../support/stored-doc.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { stripThrough, textLayerSpan, wordsRect } from '../support/text-layer.ts';
import { waitFor } from '../support/wait-for.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/packets/rdm-2023-01');
const IN_PLACE_NOTE = 'Hemmelig note skrevet i portalen';
const VIEWER_NOTE = 'Note skrevet i Randnoters egen viewer';

const asLocalhost = (url: string) => url.replace('//127.0.0.1:', '//localhost:');

const frameOf = (page: Page, path: string): Promise<Frame> =>
  waitFor(() => page.frames().find((f) => f.url().includes(path)), { what: `frame ${path}`, timeoutMs: 30_000 });

const spanIn = textLayerSpan;

/** Where `text` is on the tab's screen (the viewer's frame offset added), for a pixel comparison. */
async function clipOf(page: Page, viewer: Frame, pageNumber: number, text: string) {
  const r = await wordsRect(await spanIn(viewer, pageNumber, text), text);
  const frame = await page.locator('iframe#document').boundingBox();
  if (!frame) throw new Error('no viewer frame');
  return stripThrough(r, frame);
}

needs('chromium')('a portal’s own pdf.js viewer', () => {
  let server: TestServer;
  let site: StaticServer;
  let browser: ExtensionBrowser;
  let dir: string;
  /** The user signed in by the first test; the later ones continue as her. */
  let anneId: string;

  beforeAll(async () => {
    dir = pdfjsPortalDir(join(FIXTURE, 'packet.pdf'));
    [server, site, browser] = await Promise.all([
      startTestServer(),
      startStaticServer(dir, { documents: { '/Document.ashx': 'packet.pdf' } }),
      launchWithExtension(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([site?.close(), server?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  /** The portal in a new tab, its sidebar connected, and the frame of its viewer. */
  async function openPortal() {
    const page = await browser.context.newPage();
    await page.goto(`${site.url}/portal.html`);
    const sidebar = await frameOf(page, '/sidebar.html');
    await sidebar.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 30_000 });
    return { page, sidebar, viewer: await frameOf(page, '/viewer.html') };
  }

  it('gets nothing on a site that is not listed', async () => {
    const page = await browser.context.newPage();
    const scripts = await watchPageScripts(browser, page);
    await page.goto(`${asLocalhost(site.url)}/portal.html`, { waitUntil: 'load' });
    const viewer = await frameOf(page, '/viewer.html');
    await spanIn(viewer, 1, 'Indhold');
    expect(scripts()).toBe(0);
    expect(await viewer.locator('randnoter-overlay').count()).toBe(0);
    expect(page.frames().some((f) => f.url().includes('/sidebar.html'))).toBe(false);
    await page.close();
  });

  it('annotates in place, with the same notes as Randnoter’s viewer, out of the page’s reach', async () => {
    const anne = await server.addUser('Anne Jensen', 'socialudvalget');
    anneId = anne.id;
    await signIn(browser, server.url, anne.token, 'Anne Jensen');
    await addMeetingPortal(browser, site.url);
    const page = await browser.context.newPage();
    await page.goto(`${site.url}/portal.html`);

    // The sidebar comes up in the portal's top frame, for the viewer in its frame, with the packet's agenda.
    const sidebar = await frameOf(page, '/sidebar.html');
    expect(sidebar.parentFrame()).toBe(page.mainFrame());
    await sidebar.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 30_000 });
    const contents = sidebar.getByRole('navigation', { name: 'Indhold' });
    await contents.getByRole('button', { name: /^Punkt 4: Frivilligpris/ }).waitFor({ timeout: 30_000 });
    const overview = sidebar.getByRole('complementary', { name: 'Overblik' });
    const viewer = await frameOf(page, '/viewer.html');

    // The user selects words on the portal's own page and adds a note (Alt+N in the viewer).
    const words = 'Dagsordenen blev godkendt';
    const clip = await clipOf(page, viewer, 2, words);
    const unmarked = await page.screenshot({ clip });
    await viewer.locator('#toolbar').click();
    await wordsRect(await spanIn(viewer, 2, words), words, true);
    await page.keyboard.press('Alt+n');
    await sidebar.getByLabel('Notetekst').fill(IN_PLACE_NOTE);
    await sidebar.getByRole('button', { name: 'Gem' }).click();
    await overview.getByText(IN_PLACE_NOTE).waitFor();
    await overview.getByRole('heading', { name: 'Punkt 1: Dagsorden' }).waitFor();

    // Stored in the user's notes room with the quote of the words selected.
    const [packetId] = await waitFor(() => packetIds(server.database), { what: 'registered packet' });
    const stored = await waitFor(
      async () => {
        const notes = liveAnnotations(await readStoredDoc(server.database, `notes/${anne.id}/${packetId}`));
        return notes.length === 1 ? notes : null;
      },
      { what: 'note stored' },
    );
    expect(stored[0] && quoteOf(stored[0].target)?.exact).toBe(words);
    // The highlight is painted over the portal's words (seen as pixels: its DOM is closed to the page).
    await viewer.evaluate(() => document.getSelection()?.removeAllRanges());
    await expect.poll(async () => Buffer.compare(await page.screenshot({ clip }), unmarked), { timeout: 30_000 }).not.toBe(0);

    // Randnoter's own viewer of the same file shows the note on the same words, and a note made there…
    const own = await openViewer(browser, `${site.url}/packet.pdf`);
    await own.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 60_000 });
    const ownOverview = own.getByRole('complementary', { name: 'Overblik' });
    await ownOverview.getByText(IN_PLACE_NOTE).waitFor();
    await own.locator('.page[data-page-number="2"]').scrollIntoViewIfNeeded();
    await expect.poll(() => own.locator('.page[data-page-number="2"] .rn-highlight-note').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    const otherWords = 'Louise Rohde';
    const otherClip = await clipOf(page, viewer, 2, otherWords);
    const otherUnmarked = await page.screenshot({ clip: otherClip });
    await selectText(own, 2, otherWords);
    await own.getByRole('button', { name: 'Tilføj note' }).click();
    await own.getByLabel('Notetekst').fill(VIEWER_NOTE);
    await own.getByRole('button', { name: 'Gem' }).click();
    await ownOverview.getByText(VIEWER_NOTE).waitFor();

    // …shows in the portal's sidebar and over the portal's words, live.
    await overview.getByText(VIEWER_NOTE).waitFor({ timeout: 30_000 });
    await expect
      .poll(async () => Buffer.compare(await page.screenshot({ clip: otherClip }), otherUnmarked), { timeout: 30_000 })
      .not.toBe(0);
    await own.close();

    // The portal's scripts find nothing of Randnoter's: closed roots, unreadable frames, and no
    // note text or token in anything posted in their windows (the probe's messages included).
    const reach = async (frame: Frame) =>
      frame.evaluate(() => {
        let frameDocuments = '';
        for (const f of Array.from(window.frames)) {
          try {
            frameDocuments += String(f.document?.documentElement?.textContent ?? '');
          } catch {
            frameDocuments += '';
          }
        }
        const hosts = [...document.querySelectorAll('randnoter-pdf-sidebar, randnoter-overlay')];
        return {
          hosts: hosts.length,
          openRoots: hosts.filter((h) => h.shadowRoot !== null).length,
          text: document.documentElement.textContent ?? '',
          frameDocuments,
          seen: ((window as unknown as { __seen?: string[] }).__seen ?? []).join('\n'),
          storage: JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
          runtime: typeof (globalThis as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome?.runtime?.sendMessage,
        };
      });
    const top = await reach(page.mainFrame());
    const inFrame = await reach(viewer);
    expect(top.hosts).toBe(1);
    expect(inFrame.hosts).toBe(1);
    // The probe spoke in the viewer's window (page text): the page could see that, as it may.
    expect(inFrame.seen).toContain('randnoter-pdfjs-probe');
    for (const seen of [top, inFrame]) {
      expect(seen.openRoots).toBe(0);
      expect(seen.runtime).toBe('undefined');
      for (const secret of [IN_PLACE_NOTE, VIEWER_NOTE, anne.token]) {
        expect(seen.text).not.toContain(secret);
        expect(seen.frameDocuments).not.toContain(secret);
        expect(seen.seen).not.toContain(secret);
        expect(seen.storage).not.toContain(secret);
      }
    }
    await page.close();
  });

  it('handles a pdf.js viewer in a cross-origin frame inside the frame, with the sidebar in the top frame', async () => {
    // The same portal's viewer served from another origin (another port: another origin, the same listed site).
    const other = await startStaticServer(dir);
    try {
      writeFileSync(
        join(dir, 'cross.html'),
        `<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Mødeportal</title></head><body><h1>Rådmandsmøde</h1>` +
          `<iframe id="document" src="${other.url}/viewer.html?file=packet.pdf" style="width: 100%; height: 800px; border: 0"></iframe></body></html>`,
      );
      const page = await browser.context.newPage();
      await page.goto(`${site.url}/cross.html`);
      const viewer = await frameOf(page, `${other.url}/viewer.html`);
      // The top frame cannot reach into the viewer's document: the overlay is the frame's own.
      await expect(
        page.evaluate(() => {
          try {
            return String((document.getElementById('document') as HTMLIFrameElement).contentDocument);
          } catch {
            return 'unreadable';
          }
        }),
      ).resolves.toBe('null');
      const sidebar = await frameOf(page, '/sidebar.html');
      expect(sidebar.parentFrame()).toBe(page.mainFrame());
      const overview = sidebar.getByRole('complementary', { name: 'Overblik' });
      // The notes made before, in place and in Randnoter's viewer: the same packet by its fingerprint.
      await overview.getByText(IN_PLACE_NOTE).waitFor({ timeout: 30_000 });
      await overview.getByText(VIEWER_NOTE).waitFor();
      // A note made in the cross-origin frame.
      const words = 'Louise Rohde';
      await viewer.locator('#toolbar').click();
      await wordsRect(await spanIn(viewer, 2, words), words, true);
      await page.keyboard.press('Alt+c');
      await sidebar.getByLabel('Notetekst').fill('Kommentar fra en fremmed ramme');
      await sidebar.getByRole('button', { name: 'Gem' }).click();
      await overview.getByRole('tab', { name: 'Delte kommentarer' }).click();
      await overview.getByText('Kommentar fra en fremmed ramme').waitFor({ timeout: 30_000 });
      await page.close();
    } finally {
      await other.close();
    }
  });

  it('shows and hides the sidebar from the toolbar button and Alt+S, not opening the HTML agenda’s', async () => {
    const { page, viewer } = await openPortal();
    const sw = browser.context.serviceWorkers()[0] ?? (await browser.context.waitForEvent('serviceworker'));
    const pressToolbarButton = () =>
      sw.evaluate(async (url) => {
        const { chrome } = globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<Array<{ id: number; url: string }>> } } };
        const tab = (await chrome.tabs.query({})).find((t) => t.url === url);
        await (globalThis as unknown as { randnoter: { activateTab(tab: unknown): Promise<void> } }).randnoter.activateTab(tab);
      }, `${site.url}/portal.html`);
    const roomForSidebar = () => page.evaluate(() => getComputedStyle(document.documentElement).marginRight);
    await expect.poll(roomForSidebar).not.toBe('0px');
    await pressToolbarButton();
    await expect.poll(roomForSidebar).toBe('0px');
    await pressToolbarButton();
    await expect.poll(roomForSidebar).not.toBe('0px');
    // Alt+S in the portal's viewer, through the sidebar, to the top frame.
    await viewer.locator('#toolbar').click();
    await page.keyboard.press('Alt+s');
    await expect.poll(roomForSidebar, { timeout: 10_000 }).toBe('0px');
    await page.keyboard.press('Alt+s');
    await expect.poll(roomForSidebar, { timeout: 10_000 }).not.toBe('0px');
    // Never the HTML agenda's sidebar on top of it.
    expect(await page.locator('randnoter-sidebar').count()).toBe(0);
    await page.close();
  });

  it('follows the portal’s viewer to another document: a fresh sidebar on the new packet', async () => {
    copyFileSync(join(FIXTURE, 'packet.v2.pdf'), join(dir, 'packet.v2.pdf'));
    const page = await browser.context.newPage();
    await page.goto(`${site.url}/portal.html`);
    const first = await frameOf(page, '/sidebar.html');
    const contents = (sidebar: Frame) => sidebar.getByRole('navigation', { name: 'Indhold' });
    await contents(first)
      .getByRole('button', { name: /^Punkt 4: Frivilligpris/ })
      .waitFor({ timeout: 30_000 });
    expect(
      await contents(first)
        .getByRole('button', { name: /Supplerende notat/ })
        .count(),
    ).toBe(0);
    const viewer = await frameOf(page, '/viewer.html');
    // The portal opens the republished packet in the same viewer, as pdf.js's generic viewer's open() does.
    await viewer.evaluate(async () => {
      const lib = (globalThis as unknown as { pdfjsLib: { getDocument(o: object): { promise: Promise<unknown> } } }).pdfjsLib;
      const app = (window as unknown as { PDFViewerApplication: Record<string, unknown> }).PDFViewerApplication as {
        pdfViewer: { setDocument(d: unknown): void };
        pdfLinkService: { setDocument(d: unknown): void };
        eventBus: { dispatch(name: string, data: object): void };
        pdfDocument: unknown;
        url: string;
      };
      const doc = await lib.getDocument({ url: 'packet.v2.pdf' }).promise;
      app.pdfDocument = doc;
      app.url = 'packet.v2.pdf';
      app.pdfViewer.setDocument(doc);
      app.pdfLinkService.setDocument(doc);
      app.eventBus.dispatch('documentloaded', { source: app });
    });
    // A new sidebar frame, on the new document: its attachment only v2 has.
    const second = await waitFor(() => page.frames().find((f) => f.url().includes('/sidebar.html') && f !== first && !f.isDetached()), {
      what: 'a new sidebar',
      timeoutMs: 30_000,
    });
    await contents(second)
      .getByRole('button', { name: /Supplerende notat/ })
      .waitFor({ timeout: 30_000 });
    expect(page.frames().filter((f) => f.url().includes('/sidebar.html'))).toHaveLength(1);
    await page.close();
  });

  it('annotates a pdf.js component viewer without the application object, on the same packet', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${site.url}/components.html?file=packet.pdf`);
    expect(await page.evaluate(() => 'PDFViewerApplication' in window)).toBe(false);
    // The viewer is the page itself here: the sidebar comes beside it, in the same (top) frame.
    const sidebar = await frameOf(page, '/sidebar.html');
    const overview = sidebar.getByRole('complementary', { name: 'Overblik' });
    await overview.getByText(IN_PLACE_NOTE).waitFor({ timeout: 60_000 });
    await sidebar
      .getByRole('navigation', { name: 'Indhold' })
      .getByRole('button', { name: /^Punkt 4: Frivilligpris/ })
      .waitFor();
    // The note made in place before is drawn over its words on this viewer too.
    const words = 'Dagsordenen blev godkendt';
    const span = await textLayerSpan(page, 2, words);
    const clip = stripThrough(await wordsRect(span, words));
    const marked = await page.screenshot({ clip });
    // A new note made here is the same packet's: stored beside the others.
    await page.locator('#toolbar').click();
    await span.evaluate((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      document.getSelection()?.removeAllRanges();
      document.getSelection()?.addRange(range);
    });
    await page.keyboard.press('Alt+n');
    await sidebar.getByLabel('Notetekst').fill('Note i komponentviseren');
    await sidebar.getByRole('button', { name: 'Gem' }).click();
    await overview.getByText('Note i komponentviseren').waitFor();
    expect(await packetIds(server.database)).toHaveLength(1);
    // The highlight was there before the new note: compare with the words unmarked.
    await page.evaluate(() => document.getSelection()?.removeAllRanges());
    await page.evaluate(() => {
      for (const host of document.querySelectorAll('randnoter-overlay')) (host as HTMLElement).style.display = 'none';
    });
    await expect.poll(async () => Buffer.compare(await page.screenshot({ clip }), marked), { timeout: 30_000 }).not.toBe(0);
    await page.close();
  });

  it('finds a component viewer’s file at an address not named .pdf, by its first bytes', async () => {
    const page = await browser.context.newPage();
    // As meeting systems serve documents: a handler and an id, sent as application/octet-stream.
    await page.goto(`${site.url}/components.html?file=${encodeURIComponent('/Document.ashx?id=7')}`);
    const sidebar = await frameOf(page, '/sidebar.html');
    await sidebar.getByRole('complementary', { name: 'Overblik' }).getByText(IN_PLACE_NOTE).waitFor({ timeout: 60_000 });
    expect(await packetIds(server.database)).toHaveLength(1);
    await page.close();
  });

  it('replaces a PDF the browser shows in a frame or an <embed> by Randnoter’s viewer, in place', async () => {
    for (const name of ['frame.html', 'embed.html']) {
      const page = await browser.context.newPage();
      await page.goto(`${site.url}/${name}`);
      // Randnoter's viewer of the same file, in the element's place, with the note made in place before.
      const viewer = await frameOf(page, `/framed-viewer.html?file=${encodeURIComponent(`${site.url}/packet.pdf`)}`);
      expect(viewer.parentFrame()).toBe(page.mainFrame());
      await viewer.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 60_000 });
      await viewer.getByRole('complementary', { name: 'Overblik' }).getByText(IN_PLACE_NOTE).waitFor({ timeout: 30_000 });
      const seen = await page.evaluate(() => {
        const host = document.querySelector('randnoter-viewer');
        const original = document.getElementById('document') as HTMLElement;
        return {
          host: host !== null,
          root: host?.shadowRoot ?? null,
          hidden: getComputedStyle(original).display === 'none',
          text: document.body.textContent,
        };
      });
      // The page sees an element it cannot open, not the viewer's address or the notes.
      expect(seen).toEqual({ host: true, root: null, hidden: true, text: 'Rådmandsmøde' });
      await page.close();
    }
  });

  it('puts a note on the page the portal’s viewer shows (Sidenote), as for a scanned page without text', async () => {
    const { page, sidebar, viewer } = await openPortal();
    await viewer.locator('.page[data-page-number="5"]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await sidebar.getByRole('button', { name: 'Sidenote' }).click();
    await sidebar.getByLabel('Notetekst').fill('Note til den viste side');
    await sidebar.getByRole('button', { name: 'Gem' }).click();
    const card = sidebar.getByRole('complementary', { name: 'Overblik' }).locator('.rn-card', { hasText: 'Note til den viste side' });
    await card.waitFor();
    expect(await card.locator('.rn-meta').textContent()).toMatch(/^side 5 ·/i);
    // Stored as a note on that page, without a quote.
    const [packetId] = await packetIds(server.database);
    const stored = await waitFor(async () =>
      liveAnnotations(await readStoredDoc(server.database, `notes/${anneId}/${packetId}`)).find(
        (a) => a.body === 'Note til den viste side',
      ),
    );
    expect(stored.target.page).toBe(5);
    expect(quoteOf(stored.target)).toBeUndefined();
    await page.close();
  });

  it('corrects the agenda in place (Ret indhold) from the page the portal’s viewer shows, for Randnoter’s viewer too', async () => {
    const { page, sidebar, viewer } = await openPortal();
    const contents = sidebar.getByRole('navigation', { name: 'Indhold' });
    // The user reads page 27 in the portal's viewer, scrolling there as they would.
    await viewer.locator('.page[data-page-number="27"]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await contents.getByRole('button', { name: 'Ret indhold' }).click();
    const editor = contents.getByRole('form', { name: 'Ret indhold' });
    const item4 = editor.getByRole('group', { name: 'Punkt 4: Frivilligpris' });
    // Its attachment (on pages 26-28) starts on the page shown.
    const attachment = editor.getByRole('group', { name: /^Bilag 1: Indstilling - Frivilligpris/ });
    await attachment.getByRole('button', { name: 'Begynder på denne side' }).click();
    await expect(attachment.getByLabel('Første side').inputValue()).resolves.toBe('27');
    const title = sidebar.locator(`#${await item4.getByLabel('Titel').getAttribute('id')}`);
    await title.fill('Frivilligpris (rettet i portalen)');
    await title.press('Enter');
    await editor.waitFor({ state: 'detached', timeout: 5_000 }).catch(async (error) => {
      throw new Error(`not saved: ${await editor.getByRole('alert').allTextContents()}`, { cause: error });
    });
    await contents.getByRole('button', { name: /^Punkt 4: Frivilligpris \(rettet i portalen\)/ }).waitFor();
    // The correction is the user's, for this packet: Randnoter's own viewer shows it too.
    const own = await openViewer(browser, `${site.url}/packet.pdf`);
    await own
      .getByRole('navigation', { name: 'Indhold' })
      .getByRole('button', { name: /^Punkt 4: Frivilligpris \(rettet i portalen\)/ })
      .waitFor({ timeout: 60_000 });
    await Promise.all([page.close(), own.close()]);
  });

  it('draws a region note over the portal’s page (Områdenote), kept upright when the viewer shows the page turned', async () => {
    const { page, sidebar, viewer } = await openPortal();
    const [packetId] = await packetIds(server.database);
    const button = sidebar.getByRole('button', { name: 'Områdenote' });
    // Drawn on page 3 as shown, from (0.2, 0.1) to (0.5, 0.2) of the page; kept in fractions of the
    // page upright: the same with the viewer unturned, turned back with the viewer turned 90°.
    const cases = [
      { turn: 0, body: 'Område i portalen', upright: { x: 0.2, y: 0.1, w: 0.3, h: 0.1 }, by: 'click' },
      { turn: 90, body: 'Område på en drejet side', upright: { x: 0.1, y: 0.5, w: 0.1, h: 0.3 }, by: 'key' },
    ];
    for (const { turn, body, upright, by } of cases) {
      await viewer.evaluate((value) => {
        (
          window as unknown as { PDFViewerApplication: { pdfViewer: { pagesRotation: number } } }
        ).PDFViewerApplication.pdfViewer.pagesRotation = value;
      }, turn);
      await viewer.locator('.page[data-page-number="3"]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await viewer.locator(`.page[data-page-number="3"][data-loaded] .textLayer:not([hidden])[data-main-rotation="${turn}"]`).waitFor();
      await button.click();
      await expect.poll(() => button.getAttribute('aria-pressed')).toBe('true');
      const box = await viewer.locator('.page[data-page-number="3"]').evaluate((el) => {
        const r = el.getBoundingClientRect();
        return { left: r.left + el.clientLeft, top: r.top + el.clientTop, width: el.clientWidth, height: el.clientHeight };
      });
      const frame = await page.locator('iframe#document').boundingBox();
      if (!frame) throw new Error('no viewer frame');
      const at = (fx: number, fy: number) => ({ x: frame.x + box.left + fx * box.width, y: frame.y + box.top + fy * box.height });
      const [from, to] = [at(0.2, 0.1), at(0.5, 0.2)];
      await page.mouse.move(from.x, from.y);
      await page.mouse.down();
      await page.mouse.move(to.x, to.y, { steps: 5 });
      await page.mouse.up();
      await expect.poll(() => button.getAttribute('aria-pressed')).toBe('false');
      // The sidebar's tools (Sidenote, Områdenote as a toggle) and the rest are named and reachable.
      if (turn === 0) expect(await seriousViolations(sidebar)).toEqual([]);
      // "Tilføj note" below the rectangle (in the overlay's closed shadow root: found where it
      // shows), or Alt+N, which goes to the viewer's frame where the user drew.
      if (by === 'click') await page.mouse.click(from.x + 20, to.y + 18);
      else await page.keyboard.press('Alt+n');
      await sidebar.getByLabel('Notetekst').fill(body);
      await sidebar.getByRole('button', { name: 'Gem' }).click();
      const note = await waitFor(async () =>
        liveAnnotations(await readStoredDoc(server.database, `notes/${anneId}/${packetId}`)).find((a) => a.body === body),
      );
      expect(note.target.page).toBe(3);
      const region = note.target.region;
      if (!region) throw new Error('no region stored');
      for (const key of ['x', 'y', 'w', 'h'] as const) expect(Math.abs(region[key] - upright[key]), `${body}: ${key}`).toBeLessThan(0.01);
    }
    await page.close();
  });
});
