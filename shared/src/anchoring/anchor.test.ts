import { describe, expect, it } from 'vitest';
import type { Target } from '../model/annotation.ts';
import { anchorTarget } from './anchor.ts';
import { describeRange } from './describe-selection.ts';
import { buildPacketText, buildPageText } from './page-text.ts';

const packetOf = (...pages: string[]) => buildPacketText(pages.map((text, i) => buildPageText(i + 1, [{ str: text }])));

describe('describe and anchor', () => {
  const packet = packetOf(
    'Indhold Punkt 1 side 2',
    'Beslutning: Indstillingen blev godkendt. Rådmanden orienterede.',
    'Beslutning: Indstillingen blev godkendt. Sagen afsluttes.',
  );

  it('describes a selection with quote, context, position and page, trimming stray spaces', () => {
    const start = packet.text.indexOf('Indstillingen blev godkendt. Rådmanden');
    const end = start + 'Indstillingen blev godkendt'.length;
    const target = describeRange(packet, start - 1, end) as Target; // the selection began on the space before
    expect(target.page).toBe(2);
    expect(target.selectors).toEqual([
      {
        type: 'TextQuoteSelector',
        exact: 'Indstillingen blev godkendt',
        prefix: 'hold Punkt 1 side 2 Beslutning: ',
        suffix: '. Rådmanden orienterede. Beslutn',
      },
      { type: 'TextPositionSelector', start, end },
    ]);
  });

  it('describes a selection across a page break', () => {
    const start = packet.text.indexOf('side 2');
    const target = describeRange(packet, start, packet.text.indexOf(':') + 1) as Target;
    expect(target.page).toBe(1);
    expect(target.selectors?.[0]).toMatchObject({ exact: 'side 2 Beslutning:' });
    expect(anchorTarget(packet, target)).toMatchObject({ status: 'anchored', page: 1 });
  });

  it('uses the stored position when the quote is still there', () => {
    const start = packet.text.lastIndexOf('Indstillingen blev godkendt');
    const target = describeRange(packet, start, start + 27) as Target;
    expect(anchorTarget(packet, target)).toEqual({ status: 'anchored', start, end: start + 27, page: 3 });
  });

  it('finds a repeated quote by its context when the text has moved', () => {
    const start = packet.text.lastIndexOf('Indstillingen blev godkendt');
    const target = describeRange(packet, start, start + 27) as Target;
    const moved = packetOf(
      'Ny forside',
      'Indhold Punkt 1 side 2',
      'Beslutning: Indstillingen blev godkendt. Rådmanden orienterede.',
      'Beslutning: Indstillingen blev godkendt. Sagen afsluttes.',
    );
    expect(anchorTarget(moved, target)).toMatchObject({ status: 'anchored', page: 4 });
  });

  it('orphans a note whose words are gone rather than guessing', () => {
    const target: Target = { page: 2, selectors: [{ type: 'TextQuoteSelector', exact: 'helt andre ord', prefix: '', suffix: '' }] };
    expect(anchorTarget(packet, target)).toEqual({ status: 'orphaned', start: null, end: null, page: null });
  });

  it('keeps a page note on its page, and orphans it when the page is gone', () => {
    expect(anchorTarget(packet, { page: 3 })).toMatchObject({ status: 'anchored', page: 3 });
    expect(anchorTarget(packet, { page: 9 }).status).toBe('orphaned');
  });
});
