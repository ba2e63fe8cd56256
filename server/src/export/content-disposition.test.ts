import { describe, expect, it } from 'vitest';
import { attachmentDisposition } from './content-disposition.ts';

/** How a browser reads `filename*` back (RFC 8187). */
const extendedName = (header: string) => decodeURIComponent(/filename\*=UTF-8''(\S+)$/.exec(header)?.[1] ?? '');

describe('attachment disposition', () => {
  it('carries a Danish file name exactly, with an ASCII stand-in for old clients', () => {
    const header = attachmentDisposition('Overblik - 2023-01-23 - Økonomiudvalget - Byrådets møde (1).csv');
    expect(header).toBe(
      'attachment; filename="Overblik - 2023-01-23 - Oekonomiudvalget - Byraadets moede (1).csv"; filename*=UTF-8\'\'Overblik%20-%202023-01-23%20-%20%C3%98konomiudvalget%20-%20Byr%C3%A5dets%20m%C3%B8de%20%281%29.csv',
    );
    expect(extendedName(header)).toBe('Overblik - 2023-01-23 - Økonomiudvalget - Byrådets møde (1).csv');
  });

  it('cannot be broken out of by a quote, a backslash or a line break in the name', () => {
    const header = attachmentDisposition('a"; filename="evil.exe\\\r\nX-Evil: 1 é');
    expect(header).not.toMatch(/[\r\n]/);
    expect(/^attachment; filename="([^"]*)"; filename\*=/.exec(header)?.[1]).toBe('a_; filename=_evil.exe___X-Evil: 1 e');
    expect(extendedName(header)).toBe('a"; filename="evil.exe\\\r\nX-Evil: 1 é');
  });
});
