import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { renderDocx, xmlText } from './render-docx.ts';
import { hostileModel, sampleModel } from './testing/render-sample.ts';
import { HOSTILE } from './testing/sample-packet.ts';

const documentXml = (bytes: Uint8Array) => strFromU8(unzipSync(bytes)['word/document.xml'] as Uint8Array);

/** The paragraphs of document.xml as [style, text] pairs. */
function paragraphs(xml: string): Array<[string, string]> {
  return [...xml.matchAll(/<w:p><w:pPr><w:pStyle w:val="(\w+)"\/><\/w:pPr>(.*?)<\/w:p>/g)].map((m) => [
    m[1] as string,
    [...(m[2] as string).matchAll(/<w:t xml:space="preserve">([^<]*)<\/w:t>|<w:br\/>/g)]
      .map((t) => (t[1] === undefined ? '\n' : t[1]))
      .join(''),
  ]);
}

describe('DOCX export', () => {
  it('is a Word package whose headings follow sections, items and attachments, each note with its details', () => {
    const files = unzipSync(renderDocx(sampleModel()));
    expect(Object.keys(files).sort()).toEqual([
      '[Content_Types].xml',
      '_rels/.rels',
      'docProps/core.xml',
      'word/_rels/document.xml.rels',
      'word/document.xml',
      'word/styles.xml',
    ]);
    const paras = paragraphs(strFromU8(files['word/document.xml'] as Uint8Array));
    expect(paras.filter(([style]) => style.startsWith('Heading'))).toEqual([
      ['Heading1', 'Overblik: Noter'],
      ['Heading2', 'Punkt 1: Budget 2027'],
      ['Heading3', 'Bilag 1: Notat om takster'],
      ['Heading2', 'Punkt 2: Eventuelt'],
      ['Heading2', 'Ikke fundet i pakken'],
      ['Heading1', 'Overblik: Delte kommentarer'],
      ['Heading2', 'Punkt 1: Budget 2027'],
      ['Heading3', 'Bilag 1: Notat om takster'],
    ]);
    expect(paras).toContainEqual(['Body', 'Spørg om **beløbet**\nAnden linje']);
    expect(paras).toContainEqual(['Quote', '“alle borgere”']);
    expect(paras).toContainEqual(['Meta', 'side 3 · Socialudvalget · Bo Hansen · 2023-01-21 13:00 · Løst']);
    expect(paras).toContainEqual(['Reply', 'Svar: Ja, se side 3.']);
  });

  it('keeps hostile text inside its runs: escaped, nothing injected, no characters XML forbids', () => {
    const xml = documentXml(renderDocx(hostileModel()));
    expect(xml).not.toContain('<w:t>INJECTED');
    expect(xml.match(/<w:p>/g)?.length).toBe(xml.match(/<\/w:p>/g)?.length);
    expect(xml.match(/<w:t /g)?.length).toBe(xml.match(/<\/w:t>/g)?.length);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for exactly these.
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    const bodies = paragraphs(xml)
      .filter(([style]) => style === 'Body')
      .map(([, text]) => text);
    expect(bodies).toContain('&lt;/w:t&gt;&lt;/w:r&gt;&lt;/w:p&gt;&lt;w:p&gt;&lt;w:r&gt;&lt;w:t&gt;INJECTED');
    expect(bodies).toContain(xmlText(HOSTILE[1]));
    expect(xmlText('a\u0000b\uD800c & <d>')).toBe('abc &amp; &lt;d&gt;');
  });
});
