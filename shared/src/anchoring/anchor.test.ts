import { describe, expect, it } from 'vitest';
import { type PageIdentity, type Target, withPlace } from '../model/annotation.ts';
import { buildPacketText, buildPageText } from '../text/page-text.ts';
import { anchorTarget } from './anchor.ts';
import { describeRange } from './describe-selection.ts';
import { identifyPage, textPrintsOf } from './page-identity.ts';

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

describe('fuzzy anchoring', () => {
  const paragraph = (amount: string) =>
    `Med reference til prisen skal vi forvente, at der skal afsættes omkring ${amount} mandetimer til opgaven per år og en budgetramme på omkring 80.000 kroner.`;
  const v1 = packetOf('Indhold', `Punkt 4: Frivilligpris ${paragraph('180-200')}`, 'Punkt 5: Vinterhjælp Der gives gavekort til familier.');
  const quoteStart = v1.text.indexOf('der skal afsættes');
  const quoteEnd = v1.text.indexOf(' til opgaven');
  const target = describeRange(v1, quoteStart, quoteEnd) as Target;

  it('brings back a quote whose words were edited as fuzzy, on the edited words', () => {
    const v2 = packetOf(
      'Indhold',
      'Ny side',
      `Punkt 4: Frivilligpris ${paragraph('220-250')}`,
      'Punkt 5: Vinterhjælp Der gives gavekort til familier.',
    );
    const anchor = anchorTarget(v2, target);
    expect(anchor).toMatchObject({ status: 'fuzzy', page: 3 });
    expect(v2.text.slice(anchor.start ?? 0, anchor.end ?? 0)).toBe('der skal afsættes omkring 220-250 mandetimer');
  });

  it('orphans a short quote whose words changed, rather than guessing from a few letters', () => {
    const start = v1.text.indexOf('180-200');
    const short = describeRange(v1, start, start + 7) as Target;
    const v2 = packetOf(
      'Indhold',
      `Punkt 4: Frivilligpris ${paragraph('220-250')}`,
      'Punkt 5: Vinterhjælp Der gives gavekort til familier.',
    );
    expect(anchorTarget(v2, short).status).toBe('orphaned');
  });

  it('orphans a quote whose paragraph was rewritten beyond recognition', () => {
    const v2 = packetOf(
      'Indhold',
      'Punkt 4: Frivilligpris Prisen udskydes til næste år.',
      'Punkt 5: Vinterhjælp Der gives gavekort til familier.',
    );
    expect(anchorTarget(v2, target).status).toBe('orphaned');
  });

  it('does not trust the old offsets when other words now stand there', () => {
    const before = packetOf('Indhold', 'Rådmanden og direktøren mødtes.', 'Budget og regnskab for det sociale område');
    const at = before.text.indexOf('og regnskab');
    const note = describeRange(before, at, at + 2) as Target; // "og"
    const after = packetOf('Indhold', 'Rådmanden og direktøren mødtes.', 'Plan 1 og mål for det sociale område');
    expect(after.text.slice(at, at + 2)).toBe('og'); // the same offsets now hold another "og"
    expect(anchorTarget(after, note).status).toBe('orphaned');
  });

  it('keeps a fuzzy match inside the agenda item and attachment the note was made in', () => {
    // Two attachments end with the same boilerplate except a number; v2 drops the first one.
    const footer = (n: string) => `Sagsbehandler: Janne Folden Bang Antal tegn: ${n} Tlf.: 89 40 34 55 E-post: jfb@aarhus.dk`;
    const pages = [
      'Indhold',
      `Punkt 3: Rammeaftale Bilag om aftalen. ${footer('3.640')}`,
      `Punkt 4: Frivilligpris Indstilling om prisen. ${footer('7.452')}`,
    ];
    const before = packetOf(...pages);
    const outline = (pageOf: (item: number) => number, count: number) => ({
      pages: count,
      confidence: 1,
      items: [
        { number: 3, label: 'Punkt 3', title: 'Rammeaftale', firstPage: pageOf(3), lastPage: pageOf(3), attachments: [] },
        { number: 4, label: 'Punkt 4', title: 'Frivilligpris', firstPage: pageOf(4), lastPage: pageOf(4), attachments: [] },
      ],
    });
    const at = before.text.indexOf('Antal tegn: 3.640');
    const note = describeRange(before, at, at + 'Antal tegn: 3.640 Tlf.: 89 40 34 55'.length, {
      outline: outline((n) => n - 1, 3),
    }) as Target;
    const after = packetOf('Indhold', 'Punkt 3: Rammeaftale Udgår.', pages[2] as string);
    expect(anchorTarget(after, note).status).toBe('fuzzy'); // without the agenda, the twin looks like an edit
    expect(anchorTarget(after, note, { outline: outline((n) => n - 1, 3) }).status).toBe('orphaned');
  });

  it('prefers an edited passage where the note was to the same words verbatim far away', () => {
    const filler = Array.from({ length: 400 }, (_, i) => `Afsnit ${i} handler om noget helt andet end sagen.`).join(' ');
    const boilerplate = (n: string) => `Sagsbehandler: Janne Folden Bang, telefon 89 40 34 55, antal sider ${n}, sendt til udvalget.`;
    const before = packetOf('Indhold', `Punkt 1: Budget ${boilerplate('12')}`, filler, `Punkt 2: Eventuelt ${boilerplate('12')}`);
    const at = before.text.indexOf('Janne Folden Bang');
    const note = describeRange(before, at, before.text.indexOf(', sendt')) as Target;
    const after = packetOf('Indhold', `Punkt 1: Budget ${boilerplate('14')}`, filler, `Punkt 2: Eventuelt ${boilerplate('12')}`);
    const anchor = anchorTarget(after, note);
    expect(anchor).toMatchObject({ status: 'fuzzy', page: 2 });
  });
});

describe('page and region notes in a republished packet', () => {
  const words = (topic: string) =>
    Array.from(
      { length: 8 },
      (_, i) => `Afsnit ${i} om ${topic} beskriver sagens forløb, økonomi og de næste skridt for forvaltningen.`,
    ).join(' ');
  const V1 = 'urn:x-pdf:v1';
  const V2 = 'urn:x-pdf:v2';
  // v1: contents, an item page, a scan (no text), a text page; v2 inserts an attachment page before the scan.
  const v1 = packetOf('Indhold', words('budgettet'), '', words('boligerne'));
  const v2 = packetOf('Indhold', words('budgettet'), words('vinterhjælpen'), '', words('boligerne'));
  const SCAN = '0c06130b23272820';
  const imagesV1 = [null, null, SCAN, null];
  const imagesV2 = [null, null, null, SCAN, null];
  const noteOn = (page: number, images: ReadonlyArray<string | null>, region = false): Target => ({
    page,
    packetVersion: V1,
    ...(region ? { region: { page, x: 0.1, y: 0.2, w: 0.3, h: 0.1 } } : {}),
    pageIdentity: identifyPage({ text: textPrintsOf(v1), image: images }, page) as PageIdentity,
  });

  it('finds a page note on a text page where its page moved, by the page text', () => {
    expect(anchorTarget(v2, noteOn(4, imagesV1), { version: V2 })).toMatchObject({ status: 'anchored', page: 5 });
  });

  it('finds a region note on a scan where the scan moved, by its image', () => {
    const anchor = anchorTarget(v2, noteOn(3, imagesV1, true), { version: V2, images: () => imagesV2 });
    expect(anchor).toMatchObject({ status: 'anchored', page: 4 });
  });

  it('orphans a scan note where the images are not at hand, rather than keeping its old page number', () => {
    expect(anchorTarget(v2, noteOn(3, imagesV1, true), { version: V2 }).status).toBe('orphaned');
    expect(anchorTarget(v2, noteOn(3, imagesV1, true), { version: V2, images: () => undefined }).status).toBe('orphaned');
  });

  it('keeps a note on its page number in the version it was made on, and notes made before page identities everywhere', () => {
    expect(anchorTarget(v1, noteOn(3, imagesV1, true), { version: V1 })).toMatchObject({ status: 'anchored', page: 3 });
    expect(anchorTarget(v2, { page: 3, packetVersion: V1 }, { version: V2 })).toMatchObject({ status: 'anchored', page: 3 });
  });

  it('anchors a note re-attached in a version at its place there, and in every other version where it was', () => {
    const at = v1.text.indexOf('Afsnit 2 om boligerne');
    const note = describeRange(v1, at, at + 21, { packetVersion: V1 }) as Target;
    const there = v2.text.indexOf('Afsnit 5 om vinterhjælpen');
    const reattached = withPlace(note, { ...(describeRange(v2, there, there + 25) as Target), packetVersion: V2 });
    expect(anchorTarget(v2, reattached, { version: V2 })).toMatchObject({ status: 'anchored', start: there, page: 3 });
    expect(anchorTarget(v1, reattached, { version: V1 })).toMatchObject({ status: 'anchored', start: at, page: 4 });
  });
});
