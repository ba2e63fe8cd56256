import { describe, expect, it } from 'vitest';
import { AnnotationLimits, parseAnnotationDraft, parseTarget } from './annotation.ts';

const valid = { id: 'a1', kind: 'comment', body: 'Hvad koster det?', target: { page: 3 } };

describe('annotation validation', () => {
  it('accepts a minimal comment and ignores author and times sent by the client', () => {
    const result = parseAnnotationDraft({ ...valid, author: { id: 'someone-else', name: 'Forged' }, created: '1999-01-01' });
    expect(result).toEqual({
      ok: true,
      value: { id: 'a1', kind: 'comment', body: 'Hvad koster det?', replyTo: null, target: { page: 3 }, color: null, tags: [] },
    });
  });

  it.each([
    [{ ...valid, id: '../x' }, 'id must match'],
    [{ ...valid, id: 'x'.repeat(129) }, 'id must match'],
    [{ ...valid, kind: 'admin' }, 'kind must be'],
    [{ ...valid, body: 'x'.repeat(AnnotationLimits.bodyMaxChars + 1) }, 'body exceeds'],
    [{ ...valid, body: 42 }, 'body must be text'],
    [{ ...valid, kind: 'reply' }, 'a reply needs replyTo'],
    [{ ...valid, replyTo: 'a0' }, 'only a reply'],
    [{ ...valid, target: { page: 0 } }, 'target.page'],
    [{ ...valid, target: { page: 1, selectors: [{ type: 'TextQuoteSelector', exact: '' }] } }, 'exact must be non-empty'],
    [{ ...valid, target: { page: 1, selectors: [{ type: 'TextPositionSelector', start: 5, end: 2 }] } }, 'start <= end'],
    [{ ...valid, target: { page: 1, selectors: [{ type: 'CssSelector', value: 'x' }] } }, 'type must be'],
    [{ ...valid, target: { page: 1, region: { page: 1, x: 0, y: 0, w: 2, h: 1 } } }, 'fractions'],
    [{ ...valid, color: 'red; background: url(x)' }, 'color must look like'],
    [{ ...valid, target: { page: 1, agendaItem: { number: 3, title: 'Budget', label: 'Sag '.repeat(20) } } }, 'label must be text'],
    [{ ...valid, target: { page: 1, attachment: { number: 2, title: 'Notat', label: 32 } } }, 'label must be text'],
    ['not an object', 'JSON object'],
  ])('refuses %j with a clear reason', (input, reason) => {
    const result = parseAnnotationDraft(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(reason);
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
