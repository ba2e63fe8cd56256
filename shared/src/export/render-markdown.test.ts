import { describe, expect, it } from 'vitest';
import { markdownBody, markdownText, renderMarkdown } from './render-markdown.ts';
import { hostileModel, sampleModel } from './testing/render-sample.ts';

describe('Markdown export', () => {
  it('lays out sections, items, attachments and notes with quote, page, author, time, replies and state', () => {
    const md = renderMarkdown(sampleModel());
    const headings = md.split('\n').filter((l) => l.startsWith('#'));
    expect(headings).toEqual([
      '# Overblik – Byrådet 23. januar',
      '## Overblik: Noter',
      '### Punkt 1: Budget 2027',
      '#### Bilag 1: Notat om takster',
      '### Punkt 2: Eventuelt',
      '### Ikke fundet i pakken',
      '## Overblik: Delte kommentarer',
      '### Punkt 1: Budget 2027',
      '#### Bilag 1: Notat om takster',
    ]);
    expect(md).toContain('> stiger fra 2027\n\nHvem betaler? Ærligt talt: øget pris på å.\n\n*side 3 · Anne Jensen · 2023-01-20 10:30*');
    // The body's light Markdown stays; its line break is kept.
    expect(md).toContain('Spørg om **beløbet**  \nAnden linje');
    expect(md).toContain('*side 3 · Socialudvalget · Bo Hansen · 2023-01-21 13:00 · Løst*');
    expect(md).toContain('- **Svar** (Anne Jensen · 2023-01-21 14:00): Ja, se side 3.');
  });

  it('lets no user text become HTML, a link or an image', () => {
    const md = renderMarkdown(hostileModel());
    expect(md).not.toMatch(/(?<!\\)<(script|img|a|!\[CDATA|!--)/i);
    expect(md).not.toMatch(/(?<!\\)\]\(javascript:/);
    expect(markdownText('<b>[x](y)</b>')).toBe('\\<b\\>\\[x\\]\\(y\\)\\</b\\>');
    expect(markdownBody('![a](javascript:x) <i>')).toBe('\\!\\[a\\](javascript:x) \\<i>');
    expect(markdownText('# 1. - heading')).toBe('\\# 1. - heading');
    expect(markdownText('1. item')).toBe('1\\. item');
  });
});
