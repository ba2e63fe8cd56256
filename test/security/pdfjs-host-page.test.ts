/**
 * A malicious portal around its own pdf.js viewer (docs/SECURITY.md, "A malicious host page: its
 * own pdf.js viewer"): the viewer page's script dispatches synthetic shortcut keys and clicks,
 * makes its own selections and posts Randnoter's message types and the probe's events to its
 * windows. Nothing it does may move, open or create anything; the user's own keys still work,
 * handled in order after the page's.
 */
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { liveAnnotations } from '@randnoter/shared/model/annotation-doc';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addMeetingPortal, type ExtensionBrowser, launchWithExtension, signIn } from '../support/browser.ts';
import { needs } from '../support/needs.ts';
import { pdfjsPortalDir } from '../support/pdfjs-portal.ts';
import { type StaticServer, startStaticServer } from '../support/static-server.ts';
import { packetIds, readStoredDoc } from '../support/stored-doc.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/packets/rdm-2023-01');

/** Three notes, in packet order, far apart in the viewer. */
const NOTES = [
  { page: 2, passage: 'Dagsordenen blev godkendt', body: 'Note et' },
  { page: 25, passage: 'Frivilligpris', body: 'Note to' },
  { page: 35, passage: 'Status på Ukraine-situationen', body: 'Note tre' },
] as const;

/** Selects `text` in a text-layer span of a page of the portal's viewer, with a script (as the page can). */
async function selectInViewer(viewer: Frame, page: number, text: string): Promise<void> {
  // pdf.js draws a page's text layer once the page is in view.
  await viewer.locator(`.page[data-page-number="${page}"]`).scrollIntoViewIfNeeded();
  const span = viewer.locator(`.page[data-page-number="${page}"] .textLayer span:not(.markedContent)`, { hasText: text }).first();
  await span.waitFor({ timeout: 30_000 });
  await span.scrollIntoViewIfNeeded();
  await span.evaluate((el, wanted) => {
    const node = el.firstChild as Text;
    const range = document.createRange();
    range.setStart(node, node.data.indexOf(wanted));
    range.setEnd(node, node.data.indexOf(wanted) + wanted.length);
    document.getSelection()?.removeAllRanges();
    document.getSelection()?.addRange(range);
  }, text);
}

needs('chromium')('a malicious portal around its own pdf.js viewer', () => {
  let server: TestServer;
  let site: StaticServer;
  let browser: ExtensionBrowser;
  let dir: string;
  let page: Page;
  let viewer: Frame;
  let sidebar: Frame;
  let userId: string;

  const notesStored = async () => {
    const [packetId] = await packetIds(server.database);
    return packetId ? liveAnnotations(await readStoredDoc(server.database, `notes/${userId}/${packetId}`)).length : 0;
  };
  const scrollTop = () => viewer.evaluate(() => (document.getElementById('viewerContainer') as HTMLElement).scrollTop);

  beforeAll(async () => {
    dir = pdfjsPortalDir(join(FIXTURE, 'packet.pdf'));
    [server, site, browser] = await Promise.all([startTestServer(), startStaticServer(dir), launchWithExtension()]);
    const anne = await server.addUser('Anne Jensen', 'socialudvalget');
    userId = anne.id;
    await signIn(browser, server.url, anne.token, 'Anne Jensen');
    await addMeetingPortal(browser, site.url);
    page = await browser.context.newPage();
    await page.goto(`${site.url}/portal.html`);
    sidebar = await waitFor(() => page.frames().find((f) => f.url().includes('/sidebar.html')), { what: 'sidebar', timeoutMs: 30_000 });
    viewer = await waitFor(() => page.frames().find((f) => f.url().includes('/viewer.html')), { what: 'viewer' });
    await sidebar.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 30_000 });
    // Anne writes her three notes in the portal's viewer with the keyboard, as a user does.
    for (const [i, note] of NOTES.entries()) {
      await viewer.locator('#toolbar').click();
      await selectInViewer(viewer, note.page, note.passage);
      await page.keyboard.press('Alt+n');
      await sidebar.getByLabel('Notetekst').fill(note.body);
      await sidebar.getByRole('button', { name: 'Gem' }).click();
      await sidebar.locator('#rn-panel-notes .rn-card').nth(i).waitFor();
    }
    await waitFor(async () => (await notesStored()) === NOTES.length, { what: 'notes stored' });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([site?.close(), server?.close()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ignores what the page dispatches and posts: no scrolling, no stepping, no editor, no note', async () => {
    // Back to the top, the keyboard focus in the viewer's frame.
    await viewer.evaluate(() => {
      (document.getElementById('viewerContainer') as HTMLElement).scrollTop = 0;
    });
    await viewer.locator('#toolbar').click();
    await selectInViewer(viewer, 1, 'Indhold');
    await viewer.evaluate(() => (document.getElementById('viewerContainer') as HTMLElement).scrollTo(0, 0));
    const top = await scrollTop();

    // The page's script: synthetic Alt+J, Alt+J, Alt+N and Alt+C, a synthetic mouse-up on its own
    // selection, and Randnoter's message types and the probe's events posted to its windows.
    await viewer.evaluate(() => {
      for (const key of ['j', 'j', 'n', 'c']) {
        const init = { key, code: `Key${key.toUpperCase()}`, altKey: true, bubbles: true, cancelable: true, composed: true };
        for (const type of ['keydown', 'keypress', 'keyup']) document.body.dispatchEvent(new KeyboardEvent(type, init));
      }
      document.body.dispatchEvent(new MouseEvent('mouseup', { bubbles: true, clientX: 100, clientY: 100 }));
      for (const target of [window, window.parent]) {
        target.postMessage({ type: 'rn:pdf-write', kind: 'note' }, '*');
        target.postMessage({ type: 'rn:pdf-shortcut', shortcut: 'next' }, '*');
        target.postMessage({ type: 'rn:pdf-host-sidebar', frameId: 0 }, '*');
        target.postMessage({ channel: 'randnoter-pdfjs-probe', event: 'ready' }, '*');
      }
    });
    await viewer.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
    expect(await scrollTop()).toBe(top);
    expect(await sidebar.getByLabel('Notetekst').count()).toBe(0);
    // One sidebar, however often the page says a viewer is ready.
    expect(page.frames().filter((f) => f.url().includes('/sidebar.html'))).toHaveLength(1);

    // The user's own Alt+J, handled after the page's keys, goes to the first note: the page's
    // keys moved nothing (had they counted, this would be the third note).
    await page.keyboard.press('Alt+j');
    await sidebar.locator('.rn-card.rn-focused').waitFor({ timeout: 30_000 });
    expect(await sidebar.locator('.rn-card.rn-focused .rn-body').textContent()).toBe(NOTES[0].body);
    await waitFor(async () => (await scrollTop()) !== top, { what: 'the viewer scrolled to the note' });
    expect(await notesStored()).toBe(NOTES.length);
  });
});
