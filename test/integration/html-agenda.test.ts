import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectHtmlAgenda } from '@randnoter/shared/agenda/detect-html-agenda';
import { describe, expect, it } from 'vitest';
import { htmlBlocks } from '../support/html-blocks.ts';
import { FIXTURE_DIR, truth } from '../support/packet-fixture.ts';

describe('agenda detection on the fixture agenda.html', () => {
  const html = readFileSync(join(FIXTURE_DIR, 'agenda.html'), 'utf8');

  it('finds the same items and attachments as truth.json, with links into the packet', () => {
    const items = detectHtmlAgenda(htmlBlocks(html));
    expect(items.map((i) => ({ number: i.number, title: i.title, attachments: i.attachments.map((a) => [a.number, a.title]) }))).toEqual(
      truth.agenda_items.map((i) => ({
        number: i.number,
        title: i.title,
        attachments: i.attachments.filter((a) => a.packet).map((a) => [a.number, a.title]),
      })),
    );
    expect(items[1]?.attachments[0]?.href).toBe('packet.pdf#page=4');
  });

  it('finds them too when the page sets its items one heading level deeper', () => {
    const deeper = html.replace(/<(\/?)h([1-5])\b/g, (_m, slash: string, level: string) => `<${slash}h${Number(level) + 1}`);
    expect(detectHtmlAgenda(htmlBlocks(deeper)).map((i) => i.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});
