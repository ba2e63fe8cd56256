/**
 * An Overblik of a thousand notes is a virtualised list: only the cards near the visible part of
 * the pane exist as elements, the rest are empty places of their height. Scrolling builds the
 * cards it reaches and drops those it leaves; the keyboard still reaches every note (Alt+K from
 * the top wraps to the end of the list, which scrolls to a card never built before). And the
 * periodic question about closed items redraws nothing when its answer is the same.
 */
import { resolve } from 'node:path';
import { readPacketFile } from '@randnoter/server/pdf/read-packet';
import { insertAnnotation } from '@randnoter/shared/model/annotation-doc';
import { describe, expect, it } from 'vitest';
import { demoServerAndBrowser, openDemoViewer } from '../support/demo-viewer.ts';
import { waitFor } from '../support/wait-for.ts';
import { connectSynced } from '../support/yjs-clients.ts';

const NOTES = 1000;
/** Far more than a screenful with the margin built ahead (about 20-40 cards), far fewer than the notes. */
const MAX_CARDS = 150;

describe('an Overblik of 1,000 notes', () => {
  const env = demoServerAndBrowser();

  it('builds only the cards near the visible part, and the keyboard reaches a note at the end', async () => {
    const { server, browser } = env;
    const anne = await server.addUser('Anne Jensen', 'socialudvalget');
    const viewer = await openDemoViewer(browser, server, anne);
    const packetId = `fp-${(await readPacketFile(resolve(import.meta.dirname, '../fixtures/packets/rdm-2023-01/packet.pdf'))).fingerprint}`;

    const client = await connectSynced(server.wsUrl, `notes/${packetId}`, anne.token);
    client.doc.transact(() => {
      for (let i = 0; i < NOTES; i++) {
        insertAnnotation(
          client.doc,
          { id: `many-${i}`, kind: 'note', body: `Note nummer ${i}`, replyTo: null, target: { page: 1 + (i % 3) }, color: null, tags: [] },
          { id: anne.id, name: anne.name },
          new Date(Date.UTC(2026, 11, 7, 8, 0, i)).toISOString(),
        );
      }
    });
    const panel = viewer.locator('#rn-panel-notes');
    const cards = () => panel.locator('.rn-card').count();
    // Every note in the list, as its card or as its place (a list that builds all cards has no places).
    await waitFor(async () => Math.max(await panel.locator('.rn-slot').count(), await cards()) === NOTES, {
      timeoutMs: 60_000,
      what: 'every note in the Overblik',
    });
    await waitFor(async () => (await cards()) > 0, { what: 'the first cards' });
    expect(await cards()).toBeLessThanOrEqual(MAX_CARDS);

    // Scrolled to the end: the last notes are built, the first ones dropped.
    const pane = viewer.locator('.rn-overview');
    await pane.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    const lastId = await panel.locator('.rn-slot').last().getAttribute('data-slot');
    await panel.locator(`.rn-card[data-annotation-id="${lastId}"]`).waitFor();
    const firstId = await panel.locator('.rn-slot').first().getAttribute('data-slot');
    await waitFor(async () => (await panel.locator(`.rn-card[data-annotation-id="${firstId}"]`).count()) === 0, {
      what: 'the first card dropped',
    });
    expect(await cards()).toBeLessThanOrEqual(MAX_CARDS);

    // Back at the top, Alt+K (previous) from no focused note wraps to the last but one: a card
    // never built while the pane shows the top. It is built, scrolled to and given the focus.
    await pane.evaluate((el) => el.scrollTo({ top: 0 }));
    await panel.locator(`.rn-card[data-annotation-id="${firstId}"]`).waitFor();
    const wanted = await panel
      .locator('.rn-slot')
      .nth(NOTES - 2)
      .getAttribute('data-slot');
    await waitFor(async () => (await panel.locator(`.rn-card[data-annotation-id="${wanted}"]`).count()) === 0, {
      what: 'the far card dropped',
    });
    await viewer.locator('#viewerContainer').focus();
    await viewer.keyboard.press('Alt+k');
    const focused = panel.locator('.rn-card.rn-focused');
    await waitFor(async () => (await focused.getAttribute('data-annotation-id')) === wanted, { what: 'the far note focused' });
    expect(await focused.evaluate((el) => el === document.activeElement)).toBe(true);
    const shown = await focused.evaluate((el) => {
      const card = el.getBoundingClientRect();
      const view = (document.querySelector('.rn-overview') as HTMLElement).getBoundingClientRect();
      return card.top >= view.top - 1 && card.bottom <= view.bottom + 1;
    });
    expect(shown).toBe(true);
    expect(await focused.locator('.rn-body').textContent()).toMatch(/^Note nummer \d+$/);
    expect(await cards()).toBeLessThanOrEqual(MAX_CARDS);

    client.destroy();
    await viewer.close();
  });

  it('redraws nothing when the periodic question about closed items brings no news', async () => {
    const { server, browser } = env;
    const bo = await server.addUser('Bo Hansen', 'socialudvalget');
    // Counted from before the viewer opens: the first answers come while it starts.
    let asked = 0;
    browser.context.on('requestfinished', (request) => {
      if (request.url().includes('/closed-items')) asked++;
    });
    const viewer = await openDemoViewer(browser, server, bo);
    const redraws = () => viewer.evaluate(() => performance.getEntriesByName('randnoter:redraw').length);
    // Settled: a poll has been answered, seconds after the viewer opened.
    await waitFor(async () => asked >= 2, { timeoutMs: 30_000, what: 'the first question about closed items' });
    await viewer.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    const before = await redraws();
    const askedBefore = asked;
    // Two more polls (every 5 s), each answered "nothing closed" as before: with a thousand notes
    // open, each redraw would be a dropped frame while the user scrolls.
    await waitFor(() => asked >= askedBefore + 2, { timeoutMs: 30_000, intervalMs: 100, what: 'two more polls' });
    await viewer.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    expect(await redraws()).toBe(before);
    await viewer.close();
  });
});
