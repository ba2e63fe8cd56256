/**
 * The finished look: a note's highlight takes the colour chosen for it (the palette only), and
 * the viewer in the browser's dark mode keeps axe-core's contrast checks. Also makes the README's
 * dark-mode screenshot.
 */
import { expect, it } from 'vitest';
import { seriousViolations } from '../support/axe.ts';
import { selectText } from '../support/browser.ts';
import { demoServerAndBrowser, openDemoViewer } from '../support/demo-viewer.ts';
import { needs } from '../support/needs.ts';
import { screenshotPath } from '../support/screenshots.ts';

needs('chromium')('the look', () => {
  const setup = demoServerAndBrowser();

  it('colours a note as chosen, and passes the accessibility check in dark mode', async () => {
    const { server, browser } = setup;
    const viewer = await openDemoViewer(browser, server, await server.addUser('Anne Jensen', 'socialudvalget'));
    await viewer.setViewportSize({ width: 1400, height: 900 });
    const overview = viewer.getByRole('complementary', { name: 'Overblik' });
    await viewer.locator('.page[data-page-number="2"]').scrollIntoViewIfNeeded();
    await selectText(viewer, 2, 'Dagsordenen blev godkendt');
    await viewer.getByRole('button', { name: 'Tilføj note' }).click();
    await viewer.getByLabel('Notetekst').fill('En grøn note');
    await viewer.getByRole('button', { name: 'Gem' }).click();
    const card = overview.getByRole('article').filter({ hasText: 'En grøn note' });
    const id = (await card.getAttribute('data-annotation-id')) as string;
    const highlight = viewer.locator(`.rn-highlight[data-annotation-id="${id}"]`).first();
    const background = () => highlight.evaluate((el) => getComputedStyle(el).backgroundColor);
    const before = await background();

    await card.getByRole('combobox', { name: 'Farve' }).selectOption({ label: 'Grøn' });
    await expect.poll(background).not.toBe(before);
    // Bluish green (#009e73), mixed with transparency.
    expect(await background()).toMatch(/rgba?\(0, 158, 115|color\(srgb 0 0\.6/);
    await expect(card.getByRole('combobox', { name: 'Farve' }).inputValue()).resolves.toBe('#009e73');

    await viewer.emulateMedia({ colorScheme: 'dark' });
    const pane = await overview.evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(pane).not.toBe('rgb(246, 247, 249)');
    expect(await seriousViolations(viewer)).toEqual([]);
    await viewer.screenshot({ path: screenshotPath('viewer-dark.png') });
  });
});
