/**
 * "Til mødet": a member marks notes as questions, and prints or saves, per agenda item, their
 * questions, the open comments and the replies colleagues gave them; nothing else.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { selectText } from '../support/browser.ts';
import { demoServerAndBrowser, openDemoViewer } from '../support/demo-viewer.ts';
import { needs } from '../support/needs.ts';

needs('chromium')('Til mødet', () => {
  const setup = demoServerAndBrowser();

  it('saves the questions, open comments and replies to me, per agenda item, and leaves the rest out', async () => {
    const { server, browser } = setup;
    const anne = await server.addUser('Anne Jensen', 'socialudvalget');
    const bo = await server.addUser('Bo Hansen', 'socialudvalget');
    const viewer = await openDemoViewer(browser, server, anne);
    const overview = viewer.getByRole('complementary', { name: 'Overblik' });
    await viewer.locator('.page[data-page-number="2"]').scrollIntoViewIfNeeded();

    const note = async (quote: string, text: string) => {
      await selectText(viewer, 2, quote);
      await viewer.getByRole('button', { name: 'Tilføj note' }).click();
      await viewer.getByLabel('Notetekst').fill(text);
      await viewer.getByRole('button', { name: 'Gem' }).click();
      return overview.getByRole('article').filter({ hasText: text });
    };
    const asked = await note('Dagsordenen blev godkendt', 'Hvorfor blev den godkendt uden debat?');
    await note('Louise Rohde', 'Blot en påmindelse til mig selv');
    const mark = asked.getByRole('button', { name: 'Spørgsmål til mødet' });
    await mark.click();
    await expect.poll(() => mark.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => asked.textContent()).toContain('Spørgsmål');

    await selectText(viewer, 2, 'Louise Rohde');
    await viewer.getByRole('button', { name: 'Del kommentar' }).click();
    await viewer.getByLabel('Notetekst').fill('Hvem er stedfortræder?');
    await viewer.getByRole('button', { name: 'Gem' }).click();
    await overview.getByRole('tab', { name: 'Delte kommentarer' }).click();
    const comment = overview.getByRole('article').filter({ hasText: 'Hvem er stedfortræder?' });
    await comment.waitFor();
    await expect.poll(() => comment.textContent()).not.toContain('Venter');
    const commentId = (await comment.getAttribute('data-annotation-id')) as string;
    const packets = await api<{ packets: Array<{ packetId: string }> }>(server.url, anne.token, 'GET', '/api/packets');
    const packetId = packets.body.packets[0]?.packetId as string;
    const answered = await api(server.url, bo.token, 'POST', `/api/groups/socialudvalget/packets/${packetId}/annotations`, {
      id: 'svar-fra-bo',
      kind: 'reply',
      replyTo: commentId,
      body: 'Det er Mette Frederiksen.',
      target: { page: 2 },
    });
    expect(answered.status).toBe(201);
    await overview.locator('[data-annotation-id="svar-fra-bo"]').waitFor();

    await overview.getByRole('button', { name: 'Til mødet' }).click();
    const form = overview.getByRole('form', { name: 'Til mødet' });
    // The view: per item the question, the open comment and Bo's reply, each a way to its card.
    const view = form.locator('.rn-brief-view');
    await expect(view.getByRole('heading', { name: 'Mine spørgsmål' }).count()).resolves.toBe(1);
    await expect(view.getByRole('heading', { name: 'Svar til mig' }).count()).resolves.toBe(1);
    await expect(view.getByRole('button', { name: /Blot en påmindelse/ }).count()).resolves.toBe(0);
    await view.getByRole('button', { name: /Det er Mette Frederiksen/ }).waitFor();
    await view.getByRole('button', { name: 'Hvorfor blev den godkendt uden debat?' }).click();
    await expect
      .poll(() => viewer.evaluate(() => document.activeElement?.textContent ?? ''))
      .toContain('Hvorfor blev den godkendt uden debat?');
    await form.getByLabel('Én side pr. punkt').check();
    const [download] = await Promise.all([viewer.waitForEvent('download'), form.getByRole('button', { name: 'Gem som fil' }).click()]);
    const file = join(mkdtempSync(join(tmpdir(), 'randnoter-brief-')), download.suggestedFilename());
    await download.saveAs(file);
    expect(download.suggestedFilename()).toMatch(/^Til mødet - 2023-01-23 - socialudvalget - .*\.html$/);
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('<body class="page-per-item">');
    expect(html).toContain('Til mødet');
    expect(html).toContain('Hvorfor blev den godkendt uden debat?');
    expect(html).not.toContain('Blot en påmindelse til mig selv');
    const order = ['Mine spørgsmål', 'Åbne kommentarer', 'Hvem er stedfortræder?', 'Svar til mig'];
    const at = order.map((text) => html.indexOf(text));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((x, y) => x - y)).toEqual(at);
    // Bo's reply: under the open comment, and again under "Svar til mig".
    expect(html.indexOf('Det er Mette Frederiksen.', html.indexOf('Svar til mig'))).toBeGreaterThan(0);
    await expect(form.locator('output').textContent()).resolves.toContain(download.suggestedFilename());
  });
});
