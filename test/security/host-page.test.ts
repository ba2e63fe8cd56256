/**
 * A malicious host page (docs/SECURITY.md, "A malicious host page"): an HTML agenda page whose
 * own script dispatches synthetic shortcut keys and mouse events, makes its own selections and
 * posts messages to the extension, then reads scrollY, its layout and its performance entries.
 * The red-team pass recovered the passages of all three private notes with synthetic Alt+J and
 * scrollY. Nothing the page dispatches may move, open or create anything; the same keys and
 * clicks made by the user (trusted events, from playwright) still work.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { liveAnnotations } from '@randnoter/shared/model/annotation-doc';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addMeetingPortal, type ExtensionBrowser, launchWithExtension, signIn } from '../support/browser.ts';
import { needs } from '../support/needs.ts';
import { selectWithScript } from '../support/page-selection.ts';
import { type StaticServer, startStaticServer } from '../support/static-server.ts';
import { packetIds, readStoredDoc } from '../support/stored-doc.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/packets/rdm-2023-01');

/** The three private notes, in agenda order (Punkt 1, 4, 7): the passages the attack recovered. */
const NOTES = [
  { passage: 'Louise Rohde', body: 'Note et' },
  { passage: 'Setup og indhold', body: 'Note to' },
  { passage: 'jobmesse', body: 'Note tre' },
] as const;
/** Text the page selects itself before its synthetic Alt+N / Alt+C. */
const PAGE_CHOSEN = 'Indstillingen blev godkendt';

/** The fixture agenda with tall sections, so that every note sits at its own scroll position. */
function tallAgenda(dir: string): void {
  const html = readFileSync(join(FIXTURE, 'agenda.html'), 'utf8').replace(
    '</style>',
    'section.agenda-item { padding: 1400px 0; }\n  </style>',
  );
  writeFileSync(join(dir, 'agenda.html'), html);
}

/** Where `text` is in the viewport now, without touching the selection or the scroll position. */
function rectOf(page: Page, text: string): Promise<{ left: number; right: number; top: number; bottom: number }> {
  return page.evaluate((wanted) => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
      const at = node.data.indexOf(wanted);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + wanted.length);
      const { left, right, top, bottom } = range.getBoundingClientRect();
      return { left, right, top, bottom };
    }
    throw new Error(`"${wanted}" not on the page`);
  }, text);
}

/** The page's own script: one synthetic key press (keydown, keypress, keyup) per key, on the focused element. */
function pageKeys(page: Page, keys: string[]): Promise<void> {
  return page.evaluate((list) => {
    for (const key of list) {
      const init = { key, code: `Key${key.toUpperCase()}`, altKey: true, bubbles: true, cancelable: true, composed: true };
      const target = document.activeElement ?? document.body;
      for (const type of ['keydown', 'keypress', 'keyup']) target.dispatchEvent(new KeyboardEvent(type, init));
    }
  }, keys);
}

/** The page's own script: a synthetic click (pointer and mouse events) at a viewport point. */
function pageClick(page: Page, x: number, y: number): Promise<void> {
  return page.evaluate(
    ({ x, y }) => {
      const target = document.elementFromPoint(x, y) ?? document.body;
      const init = { clientX: x, clientY: y, bubbles: true, cancelable: true, composed: true, button: 0, view: window };
      for (const type of ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click']) {
        target.dispatchEvent(type.startsWith('pointer') ? new PointerEvent(type, init) : new MouseEvent(type, init));
      }
    },
    { x, y },
  );
}

/** A layout barrier: two animation frames, so events queued by what the page just did have run. */
function nextFrames(page: Page): Promise<void> {
  return page.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
}

const marginRight = (page: Page) => page.evaluate(() => getComputedStyle(document.documentElement).marginRight);

/** Whatever the page finds at a point: Randnoter's own UI shows up as its host element. */
const elementAt = (page: Page, x: number, y: number) =>
  page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.localName ?? null, { x, y });

needs('chromium')('a malicious host page', () => {
  let server: TestServer;
  let site: StaticServer;
  let browser: ExtensionBrowser;
  let siteDir: string;
  let page: Page;
  let userId: string;

  /** Opens (or reloads) the agenda and waits until its sidebar is ready and shows the notes. */
  async function openAgenda(expectedNotes: number, reload = true): Promise<Frame> {
    if (reload) await page.goto(`${site.url}/agenda.html`);
    const sidebar = await waitFor(
      async () => {
        const frame = page.frames().find((f) => f.url().includes('/sidebar.html') && !f.isDetached());
        return frame && (await frame.locator('body[data-ready="true"]').count()) === 1 ? frame : null;
      },
      { what: 'sidebar ready', timeoutMs: 60_000 },
    );
    await sidebar.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 30_000 });
    await waitFor(async () => (await sidebar.locator('#rn-panel-notes .rn-card').count()) === expectedNotes, {
      what: `${expectedNotes} notes in the sidebar`,
      timeoutMs: 30_000,
    });
    // The page starts at the top, with the keyboard focus on itself (not in the sidebar frame).
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.mouse.click(5, 5);
    return sidebar;
  }

  const focusedNote = (sidebar: Frame) => sidebar.locator('.rn-card.rn-focused .rn-body').textContent({ timeout: 30_000 });

  /** Waits until the page stops scrolling (a smooth scroll has ended) and the sidebar shows a focused note. */
  async function settle(sidebar: Frame): Promise<void> {
    await sidebar.locator('.rn-card.rn-focused').waitFor({ timeout: 30_000 });
    let last = -1;
    await waitFor(
      async () => {
        const y = await page.evaluate(() => window.scrollY);
        const still = y === last;
        last = y;
        return still;
      },
      { what: 'scrolling to end', intervalMs: 150 },
    );
  }

  /** The note's passage is centred in the viewport (what a reveal does). */
  async function isCentred(passage: string): Promise<boolean> {
    const rect = await rectOf(page, passage);
    const height = await page.evaluate(() => window.innerHeight);
    return Math.abs((rect.top + rect.bottom) / 2 - height / 2) < 60;
  }

  beforeAll(async () => {
    siteDir = mkdtempSync(join(tmpdir(), 'randnoter-host-page-'));
    tallAgenda(siteDir);
    [server, site, browser] = await Promise.all([startTestServer(), startStaticServer(siteDir), launchWithExtension()]);
    const anne = await server.addUser('Anne Jensen', 'socialudvalget');
    userId = anne.id;
    await signIn(browser, server.url, anne.token, 'Anne Jensen');
    await addMeetingPortal(browser, site.url);
    page = await browser.context.newPage();
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));

    // Anne writes her three private notes, with the keyboard, as a user does.
    let sidebar = await openAgenda(0);
    for (const [i, note] of NOTES.entries()) {
      await page.mouse.click(5, 5);
      await selectWithScript(page, note.passage);
      await page.keyboard.press('Alt+n');
      await sidebar.getByLabel('Notetekst').fill(note.body);
      await sidebar.getByRole('button', { name: 'Gem' }).click();
      await sidebar.locator('#rn-panel-notes .rn-card').nth(i).waitFor();
    }
    sidebar = await openAgenda(NOTES.length);
    const order = await sidebar.locator('#rn-panel-notes .rn-card .rn-body').allTextContents();
    expect(order).toEqual(NOTES.map((n) => n.body));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([site?.close(), server?.close()]);
    if (siteDir) rmSync(siteDir, { recursive: true, force: true });
  });

  it('ignores synthetic Alt+J / Alt+K: no scrolling, no stepping through the notes', async () => {
    const sidebar = await openAgenda(NOTES.length);
    await page.evaluate(() => {
      const log: number[] = [];
      (window as unknown as { scrolls: number[] }).scrolls = log;
      window.addEventListener('scroll', () => log.push(window.scrollY));
    });

    // Without the fix each synthetic Alt+J revealed the next note: the page read its place from scrollY.
    await pageKeys(page, ['j', 'j']);
    await nextFrames(page);
    expect(await page.evaluate(() => window.scrollY)).toBe(0);

    // The user's own Alt+J, handled in order after the page's keys, goes to the first note: the
    // page's keys moved nothing (had they counted, this would be the third note).
    await page.keyboard.press('Alt+j');
    await settle(sidebar);
    expect(await focusedNote(sidebar)).toBe(NOTES[0].body);
    expect(await isCentred(NOTES[0].passage)).toBe(true);

    // Alt+K the same way: the page's key does nothing, the user's goes back to the last note.
    await page.mouse.click(5, 5);
    const before = await page.evaluate(() => window.scrollY);
    await pageKeys(page, ['k', 'k']);
    await nextFrames(page);
    expect(await page.evaluate(() => window.scrollY)).toBe(before);
    await page.keyboard.press('Alt+k');
    await waitFor(async () => (await focusedNote(sidebar)) === NOTES[2].body, { what: 'the last note focused' });
    await settle(sidebar);
    expect(await isCentred(NOTES[2].passage)).toBe(true);

    // The user's click on a note in the sidebar (a click in the extension's frame) shows its passage.
    await sidebar.locator('.rn-card .rn-body', { hasText: NOTES[1].body }).click();
    await waitFor(async () => (await focusedNote(sidebar)) === NOTES[1].body, { what: 'the clicked note focused' });
    await settle(sidebar);
    expect(await isCentred(NOTES[1].passage)).toBe(true);
  });

  it('ignores synthetic clicks on highlights', async () => {
    const sidebar = await openAgenda(NOTES.length);
    // The page scrolls itself to the second note's passage and clicks on it with a script.
    const rect = await selectWithScript(page, NOTES[1].passage);
    await page.evaluate(() => document.getSelection()?.removeAllRanges());
    await pageClick(page, (rect.left + rect.right) / 2, (rect.top + rect.bottom) / 2);

    // Had the click counted, the second note would be focused and Alt+J would go to the third.
    await page.keyboard.press('Alt+j');
    await settle(sidebar);
    expect(await focusedNote(sidebar)).toBe(NOTES[0].body);

    // The user's own click on the highlight focuses its note.
    const own = await selectWithScript(page, NOTES[1].passage);
    await page.evaluate(() => document.getSelection()?.removeAllRanges());
    await page.mouse.click((own.left + own.right) / 2, (own.top + own.bottom) / 2);
    await waitFor(async () => (await focusedNote(sidebar)) === NOTES[1].body, { what: 'the clicked note focused' });
    // The keyboard focus is on that note in the sidebar now; the user's Alt+J there goes on.
    await page.keyboard.press('Alt+j');
    await waitFor(async () => (await focusedNote(sidebar)) === NOTES[2].body, { what: 'the next note focused' });
    await settle(sidebar);
    expect(await isCentred(NOTES[2].passage)).toBe(true);
  });

  it('ignores synthetic Alt+S: the sidebar stays as the user left it', async () => {
    await openAgenda(NOTES.length);
    const open = await marginRight(page);
    expect(open).not.toBe('0px');
    await pageKeys(page, ['s']);
    await nextFrames(page);
    expect(await marginRight(page)).toBe(open);

    await page.keyboard.press('Alt+s');
    await expect.poll(() => marginRight(page)).toBe('0px');
    await page.keyboard.press('Alt+s');
    await expect.poll(() => marginRight(page)).toBe(open);
  });

  it('ignores synthetic Alt+N / Alt+C on a selection the page chose: no editor, no note', async () => {
    const sidebar = await openAgenda(NOTES.length);
    await selectWithScript(page, PAGE_CHOSEN);
    await pageKeys(page, ['n', 'c']);

    // The user's Alt+J, handled after the page's keys, is the barrier: by then an editor would be open.
    await page.mouse.click(5, 5);
    await page.keyboard.press('Alt+j');
    await settle(sidebar);
    expect(await focusedNote(sidebar)).toBe(NOTES[0].body);
    expect(await sidebar.locator('#rn-editor-text').count()).toBe(0);
    expect(await sidebar.locator('.rn-card').count()).toBe(NOTES.length);

    // The user's own Alt+N on a selection opens the editor with that quote.
    await selectWithScript(page, PAGE_CHOSEN);
    await page.keyboard.press('Alt+n');
    await sidebar.getByLabel('Notetekst').waitFor();
    await expect(sidebar.locator('.rn-editor').textContent()).resolves.toContain(PAGE_CHOSEN);
    await sidebar.getByRole('button', { name: 'Annuller' }).click();
    await waitFor(async () => (await sidebar.locator('#rn-editor-text').count()) === 0, { what: 'editor closed' });

    const [packetId] = await waitFor(() => packetIds(server.database), { what: 'registered page' });
    expect(liveAnnotations(await readStoredDoc(server.database, `notes/${userId}/${packetId}`))).toHaveLength(NOTES.length);
  });

  it('shows the note buttons only for a selection the user made', async () => {
    await openAgenda(NOTES.length);
    // The page selects text and follows with synthetic mouse-up and key-up events.
    const rect = await selectWithScript(page, PAGE_CHOSEN);
    await pageClick(page, rect.right, (rect.top + rect.bottom) / 2);
    await page.evaluate(() => document.dispatchEvent(new KeyboardEvent('keyup', { key: 'Shift', bubbles: true })));
    await nextFrames(page);
    const below = { x: Math.max(8, rect.left) + 12, y: rect.bottom + 18 };
    expect(await elementAt(page, below.x, below.y)).not.toBe('randnoter-sidebar');

    // The user selects the same words with the mouse: the buttons appear under the selection.
    await page.evaluate(() => document.getSelection()?.removeAllRanges());
    const own = await rectOf(page, PAGE_CHOSEN);
    const y = (own.top + own.bottom) / 2;
    await page.mouse.move(own.left + 1, y);
    await page.mouse.down();
    await page.mouse.move((own.left + own.right) / 2, y, { steps: 4 });
    await page.mouse.move(own.right - 1, y, { steps: 4 });
    await page.mouse.up();
    await expect.poll(() => elementAt(page, Math.max(8, own.left) + 12, own.bottom + 18)).toBe('randnoter-sidebar');
  });

  it('refuses messages the page posts to itself or to the sidebar frame, and never learns the frame address', async () => {
    const sidebar = await openAgenda(NOTES.length);
    const open = await marginRight(page);
    const leaked = await page.evaluate(() => {
      const forged = [
        { type: 'rn:shortcut', shortcut: 'next' },
        { type: 'rn:shortcut', shortcut: 'toggle-sidebar' },
        { type: 'rn:write', kind: 'note' },
        { type: 'rn:mark-clicked', id: 'x' },
        { type: 'rn:reveal', start: 5000 },
        { type: 'rn:toggle-sidebar' },
        { type: 'rn:show-marks', marks: [] },
      ];
      for (const message of forged) {
        window.postMessage(message, '*');
        for (let i = 0; i < window.frames.length; i++) window.frames[i]?.postMessage(message, '*');
      }
      // What the page could use to frame (and clickjack) the sidebar itself: its address.
      const names = performance.getEntries().map((e) => e.name);
      return names.filter((n) => /extension:|sidebar/.test(n));
    });
    expect(leaked).toEqual([]);
    await nextFrames(page);
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    expect(await marginRight(page)).toBe(open);

    // The user's Alt+J (the barrier) goes to the first note: nothing the page posted stepped or focused.
    await page.keyboard.press('Alt+j');
    await settle(sidebar);
    expect(await focusedNote(sidebar)).toBe(NOTES[0].body);
    expect(await sidebar.locator('#rn-editor-text').count()).toBe(0);
  });
});
