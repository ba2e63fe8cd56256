/**
 * Annotating in the viewer: notes and shared comments in distinct colours, highlight and card
 * focusing each other, edit and delete, page and region notes, keyboard navigation, and user
 * text that looks like HTML staying text.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type ExtensionBrowser, launchWithExtension, openViewer, selectText, signIn } from '../support/browser.ts';
import { needs } from '../support/needs.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/packets/rdm-2023-01');
const PAYLOAD = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>**fed**';

needs('chromium')('annotating', () => {
  let server: TestServer;
  let browser: ExtensionBrowser;

  beforeAll(async () => {
    server = await startTestServer({ demoDir: FIXTURE });
    browser = await launchWithExtension();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('supports notes, comments, page and region notes, focus both ways, edit, delete and shortcuts, keeping user text as text', async () => {
    const anne = await server.addUser('Anne Jensen', 'socialudvalget');
    await signIn(browser, server.url, anne.token, 'Anne Jensen');
    const viewer = await openViewer(browser, `${server.url}/demo/packet.pdf`);
    await viewer.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 60_000 });
    const overview = viewer.getByRole('complementary', { name: 'Overblik' });
    const page2 = viewer.locator('.page[data-page-number="2"]');
    await page2.scrollIntoViewIfNeeded();

    // A note whose text is an HTML/script payload.
    await selectText(viewer, 2, 'Dagsordenen blev godkendt');
    await viewer.getByRole('button', { name: 'Tilføj note' }).click();
    await viewer.getByLabel('Notetekst').fill(PAYLOAD);
    await viewer.getByRole('button', { name: 'Gem' }).click();
    const noteCard = overview.getByRole('article').filter({ hasText: 'onerror' });
    await noteCard.waitFor();
    await expect(noteCard.locator('.rn-body').textContent()).resolves.toBe(PAYLOAD);
    await expect(noteCard.locator('img, script').count()).resolves.toBe(0);
    await expect(viewer.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).resolves.toBeUndefined();

    // A shared comment gets its own colour.
    await selectText(viewer, 2, 'Louise Rohde');
    await viewer.getByRole('button', { name: 'Del kommentar' }).click();
    await viewer.getByLabel('Notetekst').fill('Delt spørgsmål');
    await viewer.getByRole('button', { name: 'Gem' }).click();
    await overview.getByRole('article').filter({ hasText: 'Delt spørgsmål' }).waitFor();
    const colours = await viewer.evaluate(() => {
      const colour = (selector: string) => {
        const el = document.querySelector(selector);
        return el ? getComputedStyle(el).backgroundColor : null;
      };
      return { note: colour('.rn-highlight-note'), comment: colour('.rn-highlight-comment') };
    });
    expect(colours.note).toBeTruthy();
    expect(colours.comment).toBeTruthy();
    expect(colours.note).not.toBe(colours.comment);

    // Clicking a highlight focuses its card; clicking a card focuses its highlight.
    await overview.getByRole('tab', { name: 'Noter' }).click();
    const noteId = await noteCard.getAttribute('data-annotation-id');
    const highlight = viewer.locator(`.rn-highlight[data-annotation-id="${noteId}"]`).first();
    const box = await highlight.boundingBox();
    if (!box) throw new Error('note highlight not drawn');
    await viewer.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => noteCard.getAttribute('class')).toContain('rn-focused');
    const commentCard = overview.getByRole('article').filter({ hasText: 'Delt spørgsmål' });
    await overview.getByRole('tab', { name: 'Delte kommentarer' }).click();
    await commentCard.click();
    const commentId = await commentCard.getAttribute('data-annotation-id');
    await expect.poll(() => viewer.locator(`.rn-highlight.rn-focused[data-annotation-id="${commentId}"]`).count()).toBeGreaterThan(0);

    // Edit the note.
    await overview.getByRole('tab', { name: 'Noter' }).click();
    await noteCard.getByRole('button', { name: 'Rediger' }).click();
    await expect(viewer.getByLabel('Notetekst').inputValue()).resolves.toBe(PAYLOAD);
    await viewer.getByLabel('Notetekst').fill('Rettet note');
    await viewer.getByRole('button', { name: 'Gem' }).click();
    const edited = overview.getByRole('article').filter({ hasText: 'Rettet note' });
    await edited.waitFor();

    // A page note, then a region note drawn on page 3.
    await viewer.getByRole('button', { name: 'Sidenote' }).click();
    await viewer.getByLabel('Notetekst').fill('Hele siden');
    await viewer.getByRole('button', { name: 'Gem' }).click();
    await overview.getByRole('article').filter({ hasText: 'Hele siden' }).waitFor();

    const page3 = viewer.locator('.page[data-page-number="3"]');
    await page3.scrollIntoViewIfNeeded();
    await viewer.getByRole('button', { name: 'Områdenote' }).click();
    const page3Box = await page3.boundingBox();
    if (!page3Box) throw new Error('page 3 not laid out');
    await viewer.mouse.move(page3Box.x + page3Box.width * 0.2, page3Box.y + page3Box.height * 0.3);
    await viewer.mouse.down();
    await viewer.mouse.move(page3Box.x + page3Box.width * 0.6, page3Box.y + page3Box.height * 0.4, { steps: 5 });
    await viewer.mouse.up();
    await viewer.getByRole('button', { name: 'Tilføj note' }).click();
    await viewer.getByLabel('Notetekst').fill('Figuren her');
    await viewer.getByRole('button', { name: 'Gem' }).click();
    const regionCard = overview.getByRole('article').filter({ hasText: 'Figuren her' });
    await regionCard.waitFor();
    const regionId = await regionCard.getAttribute('data-annotation-id');
    await viewer
      .locator(`.page[data-page-number="3"] .rn-highlight-region[data-annotation-id="${regionId}"]`)
      .waitFor({ state: 'attached' });

    // Alt+J moves between notes in the sidebar.
    await viewer.locator('#viewerContainer').focus();
    await viewer.keyboard.press('Alt+j');
    const first = await overview.locator('.rn-card.rn-focused').getAttribute('data-annotation-id');
    await viewer.keyboard.press('Alt+j');
    const second = await overview.locator('.rn-card.rn-focused').getAttribute('data-annotation-id');
    expect(first).toBeTruthy();
    expect(second).not.toBe(first);

    // Alt+N annotates the selection; Alt+S hides and shows the sidebar.
    await page2.scrollIntoViewIfNeeded();
    await selectText(viewer, 2, 'Referat');
    await viewer.keyboard.press('Alt+n');
    await viewer.getByLabel('Notetekst').fill('Via tastaturet');
    await viewer.getByLabel('Notetekst').press('Control+Enter');
    await overview.getByRole('article').filter({ hasText: 'Via tastaturet' }).waitFor();
    await viewer.keyboard.press('Alt+s');
    await expect.poll(() => overview.isVisible()).toBe(false);
    await viewer.keyboard.press('Alt+s');
    await expect.poll(() => overview.isVisible()).toBe(true);

    // Delete.

    await edited.getByRole('button', { name: 'Slet' }).click();
    await expect.poll(() => overview.getByRole('article').filter({ hasText: 'Rettet note' }).count()).toBe(0);
    await expect(viewer.locator(`.rn-highlight[data-annotation-id="${noteId}"]`).count()).resolves.toBe(0);
  });
});
