import { describe, expect, it } from 'vitest';
import { escapeHtml, renderHtml } from './render-html.ts';
import { hostileModel, sampleModel } from './testing/render-sample.ts';
import { HOSTILE } from './testing/sample-packet.ts';

const OWN_TAGS = new Set([
  '!doctype',
  'html',
  'head',
  'meta',
  'title',
  'style',
  'body',
  'h1',
  'h2',
  'h3',
  'h4',
  'p',
  'section',
  'article',
  'blockquote',
  'ul',
  'li',
  'strong',
  'span',
]);

/** Every tag in the document, with its attribute names. */
function tags(html: string): Array<{ name: string; attributes: string[] }> {
  const body = html.replace(/<style>[\s\S]*?<\/style>/, '');
  return [...body.matchAll(/<\/?([a-zA-Z!][\w:-]*)([^>]*)>/g)].map((m) => ({
    name: (m[1] as string).toLowerCase(),
    attributes: [...(m[2] as string).matchAll(/([\w:-]+)=/g)].map((a) => (a[1] as string).toLowerCase()),
  }));
}

describe('HTML export', () => {
  it('is one printable document: headings per section, item and attachment, a print stylesheet, notes with their details', () => {
    const html = renderHtml(sampleModel());
    expect(html).toMatch(/^<!doctype html>\n<html lang="da">/);
    expect(html).toContain('@media print');
    expect(html).toContain('break-inside: avoid');
    expect([...html.matchAll(/<h([1-4])>([^<]*)<\/h\1>/g)].map((m) => `${m[1]} ${m[2]}`)).toEqual([
      '1 Overblik – Byrådet 23. januar',
      '2 Overblik: Noter',
      '3 Punkt 1: Budget 2027',
      '4 Bilag 1: Notat om takster',
      '3 Punkt 2: Eventuelt',
      '3 Ikke fundet i pakken',
      '2 Overblik: Delte kommentarer',
      '3 Punkt 1: Budget 2027',
      '4 Bilag 1: Notat om takster',
    ]);
    expect(html).toContain('<blockquote>alle borgere</blockquote>\n<p class="body">Gælder det også pensionister?</p>');
    expect(html).toContain('side 3 · Socialudvalget · Bo Hansen · 2023-01-21 13:00 · Løst');
    expect(html).toContain('<p class="body">Ja, se side 3.</p>');
    expect(renderHtml(sampleModel('en'))).toContain('<h2>Overview: Shared comments</h2>');
  });

  it('keeps every hostile string as text: only its own tags, no event handlers, no links, scripts forbidden by policy', () => {
    const html = renderHtml(hostileModel());
    for (const tag of tags(html)) {
      expect(OWN_TAGS, tag.name).toContain(tag.name);
      expect(tag.attributes.filter((a) => a.startsWith('on') || a === 'href' || a === 'src')).toEqual([]);
    }
    expect(html).toContain("default-src 'none'");
    const printable = HOSTILE.filter((p) => [...p].every((ch) => ch >= ' '));
    for (const payload of printable) expect(html).toContain(escapeHtml(payload));
    expect(escapeHtml(`<a href="x" title='y'>&`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;');
  });
});
