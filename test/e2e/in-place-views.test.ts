/**
 * Issue 33, point 2: highlights in place on a portal's pdf.js viewer stay on their words through
 * zoom, rotation, scrolling and pages the viewer draws late or discards. The notes are seeded
 * through the server (another device of the user's): a note on page 2, a region on page 1 and a
 * note on page 34, which the portal's viewer has not drawn when it opens. Rotation is checked on
 * the viewers of pdfjs-dist 3.x and 4.x too, and with a region drawn in Randnoter's own viewer on
 * a page printed turned (its own /Rotate).
 *
 * The overlay is a closed shadow root, so where it paints is read as pixels, as a user sees it:
 * the part of the tab that changes when the overlay is hidden (the page's script can hide the
 * overlay's host element, as any element of its own), compared with where the words are in the
 * viewer's own text layer, or where the region falls on the page as it is shown.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readPacketFile } from '@randnoter/server/pdf/read-packet';
import { describeRange } from '@randnoter/shared/anchoring/describe-selection';
import { insertAnnotation, liveAnnotations } from '@randnoter/shared/model/annotation-doc';
import { degrees, PDFDocument } from 'pdf-lib';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addMeetingPortal, type ExtensionBrowser, launchWithExtension, openViewer, signIn } from '../support/browser.ts';
import { needs } from '../support/needs.ts';
import { pdfjsPortalDir } from '../support/pdfjs-portal.ts';
import { type StaticServer, startStaticServer } from '../support/static-server.ts';
import { readStoredDoc } from '../support/stored-doc.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { wordsRect } from '../support/text-layer.ts';
import { waitFor } from '../support/wait-for.ts';
import { connectSynced } from '../support/yjs-clients.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/packets/rdm-2023-01');
const NEAR = { page: 2, words: 'Dagsordenen blev godkendt', body: 'Note på side 2' };
/** Low on its page: the Overblik must bring the words into view, not only the top of the page. */
const FAR = { page: 34, words: 'Sagsbehandler: Jens V. Jacobsen', body: 'Note langt nede i pakken' };
/** A rectangle near the top left of page 1, in fractions of the page as it is printed. */
const REGION = { page: 1, x: 0.1, y: 0.06, w: 0.3, h: 0.08 };
/** How far a painted edge may be from the words' (anti-aliasing, rounded corners, the region's 2 px outline). */
const TOLERANCE_PX = 4;
/** How much of the tab around the expected box is searched for paint. */
const MARGIN_PX = 30;

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

const frameOf = (page: Page, path: string): Promise<Frame> =>
  waitFor(() => page.frames().find((f) => f.url().includes(path)), { what: `frame ${path}`, timeoutMs: 30_000 });

/** The largest distance between the edges of two boxes (Infinity when nothing was painted). */
const offBy = (painted: Box | null, expected: Box): number =>
  painted
    ? Math.max(
        Math.abs(painted.left - expected.left),
        Math.abs(painted.top - expected.top),
        Math.abs(painted.right - expected.right),
        Math.abs(painted.bottom - expected.bottom),
      )
    : Number.POSITIVE_INFINITY;

/** The viewer frame's offset in the tab. */
async function frameOffset(page: Page): Promise<{ x: number; y: number }> {
  const frame = await page.locator('iframe#document').boundingBox();
  if (!frame) throw new Error('no viewer frame');
  return { x: frame.x, y: frame.y };
}

/** Where `text` is in the viewer's own text layer, in the tab's coordinates (the layer's item span holding it). */
async function wordsBox(page: Page, viewer: Frame, pageNumber: number, text: string): Promise<Box> {
  const span = viewer.locator(`.page[data-page-number="${pageNumber}"] .textLayer span:not(.markedContent)`, { hasText: text }).first();
  const r = await wordsRect(span, text);
  const at = await frameOffset(page);
  return { left: r.left + at.x, top: r.top + at.y, right: r.right + at.x, bottom: r.bottom + at.y };
}

type Turn = 0 | 90 | 180 | 270;
interface Region {
  page: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * Where a region note belongs on its page as shown: the rectangle (fractions of the page as
 * Randnoter's viewer shows it) turned with the page by the portal viewer's rotation (clockwise),
 * in the tab's coordinates.
 */
async function regionBox(page: Page, viewer: Frame, region: Region, turn: Turn): Promise<Box> {
  const { x, y, w, h } = region;
  const turned = {
    0: { x, y, w, h },
    90: { x: 1 - y - h, y: x, w: h, h: w },
    180: { x: 1 - x - w, y: 1 - y - h, w, h },
    270: { x: y, y: 1 - x - w, w: h, h: w },
  }[turn];
  const p = await viewer.locator(`.page[data-page-number="${region.page}"]`).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { left: r.left + el.clientLeft, top: r.top + el.clientTop, width: el.clientWidth, height: el.clientHeight };
  });
  const at = await frameOffset(page);
  const left = at.x + p.left + turned.x * p.width;
  const top = at.y + p.top + turned.y * p.height;
  return { left, top, right: left + turned.w * p.width, bottom: top + turned.h * p.height };
}

/** Scrolls the portal's viewer (as its user would) so that `box` is in view, near the top. */
async function bringIntoView(page: Page, viewer: Frame, box: Box): Promise<void> {
  const at = await frameOffset(page);
  await viewer.evaluate((top) => {
    const container = document.getElementById('viewerContainer') as HTMLElement;
    container.scrollTop += top - container.getBoundingClientRect().top - 60;
  }, box.top - at.y);
}

/** The part of the tab the viewer's pages show in (its scrolling box, less the scroll bars), where the overlay paints. */
async function viewerArea(page: Page, viewer: Frame): Promise<Box> {
  const r = await viewer.evaluate(() => {
    const container = document.getElementById('viewerContainer') as HTMLElement;
    const { left, top } = container.getBoundingClientRect();
    return { left, top, right: left + container.clientWidth, bottom: top + container.clientHeight };
  });
  const at = await frameOffset(page);
  return { left: r.left + at.x, top: r.top + at.y, right: r.right + at.x, bottom: r.bottom + at.y };
}

const intersection = (a: Box, b: Box): Box => ({
  left: Math.max(a.left, b.left),
  top: Math.max(a.top, b.top),
  right: Math.min(a.right, b.right),
  bottom: Math.min(a.bottom, b.bottom),
});

/** The tab did not hold still between two screenshots (the viewer was still drawing): measure again. */
const UNSTEADY = 'unsteady';

/**
 * The box the overlay paints within `around` (tab coordinates): the bounding box of the pixels
 * that change when the overlay's host is hidden, or null when none do. Decoded in a blank page.
 */
async function paintedBox(page: Page, viewer: Frame, pixels: Page, around: Box): Promise<Box | null | typeof UNSTEADY> {
  const visible = await viewerArea(page, viewer);
  const clip = {
    left: Math.max(Math.floor(around.left - MARGIN_PX), visible.left),
    top: Math.max(Math.floor(around.top - MARGIN_PX), visible.top),
    right: Math.min(Math.ceil(around.right + MARGIN_PX), visible.right),
    bottom: Math.min(Math.ceil(around.bottom + MARGIN_PX), visible.bottom),
  };
  if (clip.right - clip.left < 4 || clip.bottom - clip.top < 4) return null;
  const shoot = () =>
    page.screenshot({ clip: { x: clip.left, y: clip.top, width: clip.right - clip.left, height: clip.bottom - clip.top }, scale: 'css' });
  const setHidden = (hidden: boolean) =>
    viewer.evaluate((value) => {
      for (const host of document.querySelectorAll<HTMLElement>('randnoter-overlay')) host.style.display = value ? 'none' : '';
    }, hidden);
  const shown = await shoot();
  await setHidden(true);
  const bare = await shoot();
  await setHidden(false);
  if (!shown.equals(await shoot())) return UNSTEADY;
  const changed = await pixels.evaluate(
    async ([a, b]) => {
      const decode = async (base64: string) => {
        const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${base64}`)).blob());
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D;
        context.drawImage(bitmap, 0, 0);
        return context.getImageData(0, 0, bitmap.width, bitmap.height);
      };
      const [one, two] = await Promise.all([decode(a as string), decode(b as string)]);
      const channel = (image: ImageData, i: number) => image.data[i] ?? 0;
      let left = Number.POSITIVE_INFINITY;
      let top = Number.POSITIVE_INFINITY;
      let right = -1;
      let bottom = -1;
      for (let y = 0; y < one.height; y++) {
        for (let x = 0; x < one.width; x++) {
          const i = (y * one.width + x) * 4;
          let d = 0;
          for (let c = i; c < i + 3; c++) d += Math.abs(channel(one, c) - channel(two, c));
          if (d < 24) continue;
          left = Math.min(left, x);
          top = Math.min(top, y);
          right = Math.max(right, x + 1);
          bottom = Math.max(bottom, y + 1);
        }
      }
      return right < 0 ? null : { left, top, right, bottom };
    },
    [shown.toString('base64'), bare.toString('base64')],
  );
  return (
    changed && {
      left: clip.left + changed.left,
      top: clip.top + changed.top,
      right: clip.left + changed.right,
      bottom: clip.top + changed.bottom,
    }
  );
}

/** Two animation frames of the viewer's frame: whatever the overlay had scheduled to draw is drawn. */
const twoFrames = (viewer: Frame) =>
  viewer.evaluate(() => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))));

/**
 * Waits until the viewer has drawn a page (its canvas, and its text layer shown, at `rotation` if
 * given) and painted twice since. The overlay must be right then: the sidebar sends the marks
 * again every few seconds, which would hide an overlay that only catches up later.
 */
async function pageDrawn(viewer: Frame, pageNumber: number, rotation?: number): Promise<void> {
  const layer = `.textLayer:not([hidden])${rotation === undefined ? '' : `[data-main-rotation="${rotation}"]`}`;
  await viewer.locator(`.page[data-page-number="${pageNumber}"][data-loaded] ${layer} span`).first().waitFor({ timeout: 30_000 });
  await twoFrames(viewer);
}

needs('chromium')('highlights in place through zoom, rotation and pages drawn late', () => {
  let server: TestServer;
  let site: StaticServer;
  let browser: ExtensionBrowser;
  let pixels: Page;
  let dir: string;

  beforeAll(async () => {
    dir = pdfjsPortalDir(join(FIXTURE, 'packet.pdf'));
    [server, site, browser] = await Promise.all([startTestServer(), startStaticServer(dir), launchWithExtension()]);
    const anne = await server.addUser('Anne Jensen', 'socialudvalget');

    // The notes, from another device of Anne's: two on words, one a rectangle on page 1.
    const packet = await readPacketFile(join(FIXTURE, 'packet.pdf'));
    const packetId = `fp-${packet.fingerprint}`;
    const packetVersion = `urn:x-pdf:${packet.fingerprint}`;
    const client = await connectSynced(server.wsUrl, `notes/${packetId}`, anne.token);
    const on = (page: number, words: string) => {
      const at = packet.text.text.indexOf(words, packet.text.pageStarts[page - 1]);
      const target = describeRange(packet.text, at, at + words.length, { packetVersion });
      if (!target || target.page !== page) throw new Error(`no "${words}" on page ${page}`);
      return target;
    };
    const author = { id: anne.id, name: anne.name };
    const now = new Date().toISOString();
    client.doc.transact(() => {
      for (const [id, body, target] of [
        ['near', NEAR.body, on(NEAR.page, NEAR.words)],
        ['far', FAR.body, on(FAR.page, FAR.words)],
        ['region', 'Område på forsiden', { packetVersion, page: REGION.page, region: REGION }],
      ] as const) {
        insertAnnotation(client.doc, { id, kind: 'note', body, replyTo: null, target, color: null, tags: [] }, author, now);
      }
    });
    await waitFor(async () => liveAnnotations(await readStoredDoc(server.database, `notes/${anne.id}/${packetId}`)).length === 3, {
      what: 'the seeded notes on the server',
      timeoutMs: 30_000,
    });
    client.destroy();

    await signIn(browser, server.url, anne.token, 'Anne Jensen');
    await addMeetingPortal(browser, site.url);
    pixels = await browser.context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([site?.close(), server?.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  /** The portal with its viewer and the in-place sidebar, connected. */
  async function openPortal(siteUrl = site.url, body = NEAR.body) {
    const page = await browser.context.newPage();
    await page.goto(`${siteUrl}/portal.html`);
    const sidebar = await frameOf(page, '/sidebar.html');
    await sidebar.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 30_000 });
    const overview = sidebar.getByRole('complementary', { name: 'Overblik' });
    await overview.getByText(body).waitFor({ timeout: 30_000 });
    const viewer = await frameOf(page, '/viewer.html');
    return { page, sidebar, overview, viewer };
  }

  /** Measures where the overlay paints once the tab holds still, and checks it against `expected`. */
  async function expectPainted(page: Page, viewer: Frame, expected: () => Promise<Box>, what: string) {
    for (let attempt = 1; ; attempt++) {
      // The overlay paints within the viewer's scrolling box only: what shows of the expected box.
      const want = intersection(await expected(), await viewerArea(page, viewer));
      if (want.right - want.left < 8 || want.bottom - want.top < 8) throw new Error(`${what} is not in view: ${JSON.stringify(want)}`);
      const painted = await paintedBox(page, viewer, pixels, want);
      if (painted !== UNSTEADY) {
        expect(offBy(painted, want), `${what}: painted ${JSON.stringify(painted)}, expected ${JSON.stringify(want)}`).toBeLessThanOrEqual(
          TOLERANCE_PX,
        );
        return;
      }
      if (attempt === 20) throw new Error(`the tab did not hold still to measure ${what}`);
      await twoFrames(viewer);
    }
  }

  /** The highlight is on the words, as the page is drawn now; `scroll` brings them into view first, as a user would. */
  async function expectOnWords(page: Page, viewer: Frame, where: { page: number; words: string }, scroll: boolean, rotation?: number) {
    await pageDrawn(viewer, where.page, rotation);
    if (scroll) {
      await bringIntoView(page, viewer, await wordsBox(page, viewer, where.page, where.words));
      await pageDrawn(viewer, where.page, rotation);
    }
    await expectPainted(page, viewer, () => wordsBox(page, viewer, where.page, where.words), `the highlight on "${where.words}"`);
  }

  /** The region is drawn where it belongs with the viewer turned by `turn`; `own` is the page's own rotation. */
  async function expectRegion(page: Page, viewer: Frame, region: Region, turn: Turn, own: Turn = 0) {
    const shown = (own + turn) % 360;
    await pageDrawn(viewer, region.page, shown);
    await bringIntoView(page, viewer, await regionBox(page, viewer, region, turn));
    await pageDrawn(viewer, region.page, shown);
    await expectPainted(page, viewer, () => regionBox(page, viewer, region, turn), `the region with the viewer turned ${turn}°`);
  }

  const setScale = (viewer: Frame, scale: number) =>
    viewer.evaluate((value) => {
      const app = (window as unknown as { PDFViewerApplication: { pdfViewer: { currentScale: number } } }).PDFViewerApplication;
      app.pdfViewer.currentScale = value;
    }, scale);
  const setRotation = (viewer: Frame, rotation: number) =>
    viewer.evaluate((value) => {
      const app = (window as unknown as { PDFViewerApplication: { pdfViewer: { pagesRotation: number } } }).PDFViewerApplication;
      app.pdfViewer.pagesRotation = value;
    }, rotation);

  it('keeps a highlight on its words when the portal’s viewer zooms in and out', async () => {
    const { page, viewer } = await openPortal();
    await viewer.locator(`.page[data-page-number="${NEAR.page}"]`).evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await expectOnWords(page, viewer, NEAR, false);
    // pdf.js keeps the top of the page where it was: the words stay in view at each scale.
    for (const scale of [2, 0.7, 1.3]) {
      await setScale(viewer, scale);
      await expectOnWords(page, viewer, NEAR, false);
    }
    await page.close();
  });

  /** The note on words and the region note, with the portal's viewer turning its pages a quarter and a half. */
  async function expectTurns(siteUrl: string) {
    const { page, viewer } = await openPortal(siteUrl);
    await expectOnWords(page, viewer, NEAR, true, 0);
    await expectRegion(page, viewer, REGION, 0);
    for (const rotation of [90, 180] as const) {
      await setRotation(viewer, rotation);
      await expectOnWords(page, viewer, NEAR, true, rotation);
      await expectRegion(page, viewer, REGION, rotation);
    }
    await page.close();
  }

  it('keeps highlights and region notes in place when the viewer turns its pages', async () => {
    await expectTurns(site.url);
  });

  // pdf.js marks the rotation on its layers the same way since 3.x: the same, on older viewers.
  for (const version of ['3', '4'] as const) {
    it(`keeps them in place when a viewer of pdfjs-dist ${version}.x turns its pages`, async () => {
      const versionDir = pdfjsPortalDir(join(FIXTURE, 'packet.pdf'), version);
      const versionSite = await startStaticServer(versionDir);
      try {
        await expectTurns(versionSite.url);
      } finally {
        await versionSite.close();
        rmSync(versionDir, { recursive: true, force: true });
      }
    });
  }

  it('anchors a note on a page not yet drawn, shows it when the page is drawn, and again after the page was discarded', async () => {
    const { page, overview, viewer } = await openPortal();
    const farPage = viewer.locator(`.page[data-page-number="${FAR.page}"]`);
    const drawn = viewer.locator(`.page[data-page-number="${FAR.page}"] :is(.textLayer, canvas)`);
    // Listed with its page before the viewer has drawn that page (the text comes from the document).
    const card = overview.locator('.rn-cards').getByRole('article').filter({ hasText: FAR.body });
    await card.waitFor({ timeout: 30_000 });
    await expect(card.getAttribute('data-status')).resolves.toBe('anchored');
    await expect(card.textContent()).resolves.toContain(`side ${FAR.page}`);
    await farPage.waitFor({ state: 'attached' });
    expect(await drawn.count()).toBe(0);

    // The user picks it in the Overblik: the portal's viewer goes to the words (low on the page,
    // so not only to the page) and they light up once drawn.
    await card.click();
    await expectOnWords(page, viewer, FAR, false);

    // Far away: the viewer draws other pages and discards this one from its buffer (about ten pages).
    for (let n = 1; n <= 14; n++) {
      await viewer.locator(`.page[data-page-number="${n}"]`).evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await viewer.locator(`.page[data-page-number="${n}"][data-loaded]`).waitFor({ timeout: 30_000 });
    }
    await expect.poll(() => drawn.count(), { timeout: 30_000, message: `page ${FAR.page} discarded` }).toBe(0);

    // Back again: drawn anew, and the highlight with it, on the same words.
    await farPage.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await expectOnWords(page, viewer, FAR, true);
    await page.close();
  });

  it('puts a region note made in Randnoter’s viewer on a page printed turned where it was drawn, at any turn of the portal’s viewer', async () => {
    // The packet with its first page printed turned a quarter (/Rotate 90), as scanned landscape pages often are.
    const pdf = await PDFDocument.load(readFileSync(join(FIXTURE, 'packet.pdf')));
    pdf.getPage(0).setRotation(degrees(90));
    const work = mkdtempSync(join(tmpdir(), 'randnoter-turned-'));
    writeFileSync(join(work, 'packet.pdf'), await pdf.save());
    const turnedDir = pdfjsPortalDir(join(work, 'packet.pdf'));
    const turnedSite = await startStaticServer(turnedDir);
    try {
      // Drawn with the region tool in Randnoter's own viewer, on the page as it is printed.
      const own = await openViewer(browser, `${turnedSite.url}/packet.pdf`);
      await own.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 60_000 });
      const first = own.locator('.page[data-page-number="1"]');
      await own.locator('.page[data-page-number="1"][data-loaded]').waitFor({ timeout: 30_000 });
      await first.evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await own.getByRole('button', { name: 'Områdenote' }).click();
      const box = await first.boundingBox();
      if (!box) throw new Error('page 1 is not laid out');
      // Away from the region note on page 1 of the packet as first published, which shows here too.
      await own.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.45);
      await own.mouse.down();
      await own.mouse.move(box.x + box.width * 0.85, box.y + box.height * 0.7, { steps: 5 });
      await own.mouse.up();
      await own.getByRole('button', { name: 'Tilføj note' }).click();
      await own.getByLabel('Notetekst').fill('Område på en tværside');
      await own.getByRole('button', { name: 'Gem' }).click();
      const id = await own
        .getByRole('complementary', { name: 'Overblik' })
        .getByRole('article')
        .filter({ hasText: 'Område på en tværside' })
        .getAttribute('data-annotation-id');
      const mark = own.locator(`.page[data-page-number="1"] .rn-highlight-region[data-annotation-id="${id}"]`);
      await mark.waitFor({ state: 'attached' });
      await own.getByRole('status').filter({ hasText: 'Gemt' }).waitFor();
      // Where Randnoter's viewer shows it, in fractions of the page as shown there.
      const drawn: Region = await mark.evaluate((el: HTMLElement) => {
        const pageElement = el.closest('.page') as HTMLElement;
        const p = pageElement.getBoundingClientRect();
        const left = p.left + pageElement.clientLeft;
        const top = p.top + pageElement.clientTop;
        const r = el.getBoundingClientRect();
        const { clientWidth: width, clientHeight: height } = pageElement;
        // The box is placed by its outer edge and sized by what its border holds.
        const across = (r.width - (el.offsetWidth - el.clientWidth)) / width;
        const down = (r.height - (el.offsetHeight - el.clientHeight)) / height;
        return { page: 1, x: (r.left - left) / width, y: (r.top - top) / height, w: across, h: down };
      });
      expect(drawn.w).toBeGreaterThan(0.1);
      await own.close();

      // The portal's viewer shows the page turned by its own rotation: the region where it was drawn,
      // and turned with the page when the viewer turns all pages.
      const { page, viewer } = await openPortal(turnedSite.url, 'Område på en tværside');
      await expectRegion(page, viewer, drawn, 0, 90);
      await setRotation(viewer, 90);
      await expectRegion(page, viewer, drawn, 90, 90);
      await page.close();
    } finally {
      await turnedSite.close();
      rmSync(turnedDir, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    }
  });
});
