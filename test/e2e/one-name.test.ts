/**
 * One name per person: "Visningsnavn" in Options is the server's name for the user. Typing a new
 * one renames them on the server, and their notes, pending and sent comments all carry it.
 */
import { expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { openViewer, selectText } from '../support/browser.ts';
import { demoServerAndBrowser } from '../support/demo-viewer.ts';
import { needs } from '../support/needs.ts';

needs('chromium')('one name', () => {
  const setup = demoServerAndBrowser();

  it('renames the user on the server from Options, and shows that name on their notes and comments', async () => {
    const { server, browser } = setup;
    const anne = await server.addUser('Anne Jensen', 'socialudvalget');
    const options = await browser.context.newPage();
    await options.goto(browser.extensionUrl('options.html'));
    await options.getByLabel('Serveradresse').fill(server.url);
    await options.getByLabel('Token').fill(anne.token);
    await options.getByLabel('Visningsnavn').fill('Anne B. Jensen');
    await options.getByRole('button', { name: 'Gem' }).click();
    const status = options.getByRole('status').filter({ hasText: 'Logget ind som' });
    await status.waitFor({ timeout: 15_000 });
    expect(await status.textContent()).toContain('Du hedder nu Anne B. Jensen for dine kolleger.');
    expect((await api<{ name: string }>(server.url, anne.token, 'GET', '/api/me')).body.name).toBe('Anne B. Jensen');

    // The field shows the server's name, also after the name was changed elsewhere.
    await api(server.url, anne.token, 'PUT', '/api/me/name', { name: 'Anne Birgitte Jensen' });
    await options.reload();
    await expect.poll(() => options.getByLabel('Visningsnavn').inputValue()).toBe('Anne Birgitte Jensen');
    await options.close();

    const viewer = await openViewer(browser, `${server.url}/demo/packet.pdf`);
    await viewer.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 60_000 });
    const overview = viewer.getByRole('complementary', { name: 'Overblik' });
    await viewer.locator('.page[data-page-number="2"]').scrollIntoViewIfNeeded();
    await selectText(viewer, 2, 'Dagsordenen blev godkendt');
    await viewer.getByRole('button', { name: 'Tilføj note' }).click();
    await viewer.getByLabel('Notetekst').fill('Min egen note');
    await viewer.getByRole('button', { name: 'Gem' }).click();
    await overview.getByRole('article').filter({ hasText: 'Min egen note' }).filter({ hasText: 'Anne Birgitte Jensen' }).waitFor();

    await selectText(viewer, 2, 'Louise Rohde');
    await viewer.getByRole('button', { name: 'Del kommentar' }).click();
    await viewer.getByLabel('Notetekst').fill('Et delt spørgsmål');
    await viewer.getByRole('button', { name: 'Gem' }).click();
    await overview.getByRole('tab', { name: 'Delte kommentarer' }).click();
    const comment = overview.getByRole('article').filter({ hasText: 'Et delt spørgsmål' });
    await comment.filter({ hasText: 'Anne Birgitte Jensen' }).waitFor();
    expect(await overview.getByText('Anne B. Jensen', { exact: false }).count()).toBe(0);
  });
});
