import { describe, expect, it } from 'vitest';
import { AnnotationLimits, parseTarget, placeIn, type Target, withPlace } from './annotation.ts';

describe('target validation', () => {
  it.each([
    [undefined, 'target must be an object'],
    [[], 'target must be an object'],
    [{ page: 0 }, 'target.page must be a page number'],
    [{ page: 100_001 }, 'target.page must be a page number'],
    [{ page: 1, selectors: [{ type: 'TextQuoteSelector', exact: '' }] }, 'target.selectors[0].exact must be non-empty text'],
    [{ page: 1, selectors: [{ type: 'TextQuoteSelector', exact: 'x', suffix: 's'.repeat(33) }] }, 'target.selectors[0].suffix'],
    [
      { page: 1, selectors: [{ type: 'TextPositionSelector', start: 5, end: 2 }] },
      'target.selectors[0].end must be a whole number with start <= end',
    ],
    [{ page: 1, selectors: [{ type: 'CssSelector', value: 'x' }] }, 'target.selectors[0].type must be'],
    [{ page: 1, selectors: ['x'] }, 'target.selectors[0] must be an object'],
    [{ page: 1, region: { page: 1, x: 0, y: 0, w: 2, h: 1 } }, 'target.region.w must be between 0 and 1: x, y, w and h are fractions'],
    [{ page: 1, agendaItem: { number: 3, title: 'Budget', label: 'Sag '.repeat(20) } }, 'target.agendaItem.label must be text'],
    [{ page: 1, attachment: { number: 2, title: 'Notat', label: 32 } }, 'target.attachment.label must be text'],
    [{ page: 1, agendaItem: { number: -1, title: 'Budget' } }, 'target.agendaItem.number'],
    [{ page: 1, packetVersion: 'v'.repeat(201) }, 'target.packetVersion must be a short string'],
  ])('refuses %j, naming the field', (target, reason) => {
    const result = parseTarget(target);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(reason);
  });

  it('fills in empty context and drops fields it does not know', () => {
    const result = parseTarget({ page: 2, extra: 1, selectors: [{ type: 'TextQuoteSelector', exact: 'budget', more: 2 }] });
    expect(result).toEqual({
      ok: true,
      value: { page: 2, selectors: [{ type: 'TextQuoteSelector', exact: 'budget', prefix: '', suffix: '' }] },
    });
  });

  it('keeps agenda references that are null (a note outside any item)', () => {
    expect(parseTarget({ page: 2, agendaItem: null, attachment: null })).toEqual({
      ok: true,
      value: { page: 2, agendaItem: null, attachment: null },
    });
  });

  it('keeps every part of a full text target', () => {
    const target = {
      packetVersion: 'urn:x-pdf:0107072ea1c8978fd782eb8c0fbdcc1e',
      page: 2,
      agendaItem: { number: 1, title: 'Dagsorden', label: 'Sag 1' },
      attachment: { number: 2, title: 'Notat', label: 'Bilag 1.2' },
      selectors: [
        { type: 'TextQuoteSelector', exact: 'uden bemærkninger', prefix: 'godkendt ', suffix: '. Lotte' },
        { type: 'TextPositionSelector', start: 10, end: 27 },
      ],
      region: { page: 2, x: 0.1, y: 0.2, w: 0.3, h: 0.05 },
    };
    expect(parseTarget(target)).toEqual({ ok: true, value: target });
  });
});

describe('page identities and places per version', () => {
  const V1 = 'urn:x-pdf:aaaa';
  const V2 = 'urn:x-pdf:bbbb';
  const identity = { image: { hash: '0c06130b23272820', nearest: 14 } };

  it("keeps a page note's page identity and its places in other versions", () => {
    const target = {
      page: 39,
      packetVersion: V1,
      region: { page: 39, x: 0.1, y: 0.1, w: 0.2, h: 0.2 },
      pageIdentity: identity,
      places: [{ page: 40, packetVersion: V2, region: { page: 40, x: 0.1, y: 0.1, w: 0.2, h: 0.2 }, pageIdentity: identity }],
    };
    expect(parseTarget(target)).toEqual({ ok: true, value: target });
  });

  it.each([
    [{ page: 1, pageIdentity: { text: { hash: 'xyz', nearest: 3 } } }, 'hash must be 16 hex digits'],
    [{ page: 1, pageIdentity: { image: { hash: '0c06130b23272820', nearest: 65 } } }, 'nearest must be a whole number'],
    [{ page: 1, places: [{ page: 2 }] }, 'target.places[0].packetVersion'],
    [{ page: 1, places: [{ page: 2, packetVersion: V2, places: [] }] }, 'cannot hold places'],
    [{ page: 1, places: Array.from({ length: AnnotationLimits.placesMax + 1 }, () => ({ page: 2, packetVersion: V2 })) }, 'at most'],
  ])('refuses %j with a clear reason', (target, reason) => {
    const result = parseTarget(target);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(reason);
  });

  it('puts a note somewhere in a later version without moving it in the version it was made on', () => {
    const made: Target = { page: 39, packetVersion: V1, pageIdentity: identity };
    const moved = withPlace(made, { page: 40, packetVersion: V2 });
    expect(placeIn(moved, V1)).toMatchObject({ page: 39, packetVersion: V1 });
    expect(placeIn(moved, V2)).toEqual({ page: 40, packetVersion: V2 });
    expect(placeIn(moved, undefined)).toBe(moved);
    // Re-attaching again in v2 replaces v2's place; re-attaching in v1 moves the note's own place and keeps v2's.
    const again = withPlace(moved, { page: 41, packetVersion: V2 });
    expect(again.places).toEqual([{ page: 41, packetVersion: V2 }]);
    const home = withPlace(again, { ...again, page: 38, packetVersion: V1 });
    expect(home).toEqual({ page: 38, packetVersion: V1, pageIdentity: identity, places: [{ page: 41, packetVersion: V2 }] });
  });

  it('keeps the newest places when a note has been re-attached in more versions than it may hold', () => {
    let target: Target = { page: 1, packetVersion: V1 };
    for (let i = 0; i <= AnnotationLimits.placesMax; i++) target = withPlace(target, { page: 2, packetVersion: `urn:x-pdf:${i}` });
    expect(target.places).toHaveLength(AnnotationLimits.placesMax);
    expect(target.places?.at(-1)?.packetVersion).toBe(`urn:x-pdf:${AnnotationLimits.placesMax}`);
    expect(parseTarget(target).ok).toBe(true);
  });
});
