/**
 * `randnoter export` on the fixture packet, every format read back by other programs: poppler for
 * PDFs, Debian's LibreOffice for DOCX (converted to PDF, then read with pdftotext), pdf.js for
 * the annotated packet's highlight annotations, and a W3C model checker plus `randnoter anchor`
 * for the JSON-LD round trip.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { collectionViolations } from '@randnoter/shared/export/testing/w3c-constraints';
import { PDFDocument, type PDFRawStream, type PDFRef } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { libreofficeToPdf, pdfAnnotations, pdffonts, pdfinfo, pdftotext, textUnderQuad } from '../support/export-files.ts';
import { needs, needsTest } from '../support/needs.ts';
import { PACKET_V1, truth } from '../support/packet-fixture.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const ENCRYPTED = join(ROOT, 'test/fixtures/pdf/encrypted.pdf');
const dir = mkdtempSync(join(tmpdir(), 'randnoter-export-'));
const PAGES = truth.packet.page_count;

function randnoter(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['server/src/main.ts', ...args], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const write = (name: string, value: unknown) => {
  const file = join(dir, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
};

const SCRIPT = '<script>window.__pwned=1</script>';
const XML_BREAKER = '</w:t></w:r></w:p><w:p><w:r><w:t>INJECTED';
const FORMULA = "=cmd|' /C calc'!A0";

const selector = (q: (typeof truth.quotes)[number]) => [
  { type: 'TextQuoteSelector', exact: q.text, prefix: q.prefix, suffix: q.suffix },
  { type: 'FragmentSelector', conformsTo: 'http://tools.ietf.org/rfc/rfc3778', value: `page=${q.page}` },
];

/** The fixture quotes as private notes (Danish letters in each), two as shared comments, one with a reply; hostile text in some. */
const notes = truth.quotes.map((q, i) => ({
  '@context': 'http://www.w3.org/ns/anno.jsonld',
  id: `urn:randnoter:annotation:${q.id}`,
  type: 'Annotation',
  created: `2023-01-2${i % 10}T08:00:00Z`,
  creator: { type: 'Person', name: i === 3 ? SCRIPT : 'Anne Jensen' },
  body: { type: 'TextualBody', value: i === 1 ? XML_BREAKER : i === 2 ? FORMULA : i === 3 ? SCRIPT : `Note ${q.id}: æøå ÆØÅ` },
  target: { source: 'urn:x-pdf:0107072ea1c8978fd782eb8c0fbdcc1e', selector: selector(q) },
  'randnoter:kind': 'note',
}));
const [c1, c2] = [truth.quotes[4], truth.quotes[12]] as [(typeof truth.quotes)[number], (typeof truth.quotes)[number]];
const shared = [
  {
    ...notes[4],
    id: 'urn:randnoter:annotation:c1',
    body: { type: 'TextualBody', value: 'Delt: hvad koster det?' },
    creator: { name: 'Bo Hansen' },
    'randnoter:kind': 'comment',
    'randnoter:resolved': true,
    target: { source: 'urn:x', selector: selector(c1) },
  },
  {
    ...notes[12],
    id: 'urn:randnoter:annotation:c2',
    body: { type: 'TextualBody', value: 'Delt nummer to' },
    creator: { name: 'Bo Hansen' },
    'randnoter:kind': 'comment',
    target: { source: 'urn:x', selector: selector(c2) },
  },
  {
    '@context': 'http://www.w3.org/ns/anno.jsonld',
    id: 'urn:randnoter:annotation:r1',
    type: 'Annotation',
    motivation: 'replying',
    created: '2023-01-22T09:00:00Z',
    creator: { name: 'Anne Jensen' },
    body: { type: 'TextualBody', value: 'Svar på c1' },
    target: 'urn:randnoter:annotation:c1',
    'randnoter:kind': 'reply',
  },
];
const input = write('annotations.json', [...notes, ...shared]);

async function exportTo(format: string, ...extra: string[]): Promise<string> {
  const file = join(dir, `export-${format}-${extra.join('')}.${format === 'overview-pdf' ? 'pdf' : format}`);
  const { code, stdout, stderr } = await randnoter('export', PACKET_V1, '--annotations', input, '--format', format, '-o', file, ...extra);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(stdout).toContain(`Wrote ${file}`);
  return file;
}

/** Agenda headings in the order a text shows them (quoted packet text, which may itself name a Bilag, left out). */
const headingsIn = (text: string) =>
  [...text.replace(/“[^”]*”/g, '').matchAll(/(Overblik: (?:Noter|Delte kommentarer)|Punkt \d+:|Bilag \d+:)/g)].map((m) => m[1]);

/** What every format must show, in this order. */
const expectedOrder = () => {
  const sections = (entries: Array<{ item: number; attachment: number | null }>) => {
    const out: string[] = [];
    const items = [...new Set(entries.map((e) => e.item))].sort((a, b) => a - b);
    for (const item of items) {
      out.push(`Punkt ${item}:`);
      const attachments = [
        ...new Set(entries.filter((e) => e.item === item && e.attachment !== null).map((e) => e.attachment as number)),
      ].sort((a, b) => a - b);
      out.push(...attachments.map((a) => `Bilag ${a}:`));
    }
    return out;
  };
  const place = (q: (typeof truth.quotes)[number]) => ({ item: q.agenda_item, attachment: q.attachment });
  return ['Overblik: Noter', ...sections(truth.quotes.map(place)), 'Overblik: Delte kommentarer', ...sections([place(c1), place(c2)])];
};

describe('randnoter export', () => {
  it('writes Markdown with the Overblik layout: sections, then items in packet order, item pages before attachments', async () => {
    const md = readFileSync(await exportTo('md'), 'utf8');
    expect(
      headingsIn(
        md
          .split('\n')
          .filter((l) => l.startsWith('#'))
          .join('\n'),
      ),
    ).toEqual(expectedOrder());
    expect(md).toContain(`> ${truth.quotes[0]?.text}`);
    expect(md).toContain(`Note ${truth.quotes[0]?.id}: æøå ÆØÅ`);
    expect(md).toContain('- **Svar** (Anne Jensen · ');
  });

  needsTest('libreoffice', 'poppler')(
    'writes a DOCX that LibreOffice opens, with the layout, Danish letters and hostile text kept as text',
    async () => {
      const text = await pdftotext(await libreofficeToPdf(await exportTo('docx')));
      expect(headingsIn(text)).toEqual(expectedOrder());
      expect(text).toContain(`Note ${truth.quotes[5]?.id}: æøå ÆØÅ`);
      expect(text).toContain(XML_BREAKER);
      expect(text).toContain(SCRIPT);
      expect(text).toContain(`“${truth.quotes[0]?.text}”`);
      expect(text).toMatch(/Svar: Svar på c1/);
      expect(text).toMatch(/Bo Hansen · \d{4}-\d{2}-\d{2} \d{2}:\d{2} · Løst/);
    },
  );

  needsTest('poppler')(
    'writes a stand-alone overview PDF with embedded fonts whose text, Danish letters included, poppler extracts',
    async () => {
      const file = await exportTo('overview-pdf');
      const text = await pdftotext(file);
      expect(headingsIn(text)).toEqual(expectedOrder());
      expect(text).toContain(`Note ${truth.quotes[7]?.id}: æøå ÆØÅ`);
      expect(text).toContain(SCRIPT);
      const fonts = await pdffonts(file);
      expect(fonts.length).toBeGreaterThan(0);
      expect(fonts.every((f) => f.embedded && f.unicode)).toBe(true);
      expect((await pdfinfo(file)).stderr).toBe('');
    },
  );

  needs('poppler')('the annotated packet', () => {
    let file: string;
    beforeAll(async () => {
      file = await exportTo('pdf');
    });

    it('keeps the original pages untouched and appends the overview pages', async () => {
      const info = await pdfinfo(file);
      expect(info.stderr).toBe('');
      expect(info.pages).toBeGreaterThan(PAGES);
      expect(await pdftotext(file, { first: 1, last: PAGES })).toBe(await pdftotext(PACKET_V1, { first: 1, last: PAGES }));
      const overview = await pdftotext(file, { first: PAGES + 1, last: info.pages });
      expect(headingsIn(overview)).toEqual(expectedOrder());
      expect(overview).toContain(`Note ${truth.quotes[9]?.id}: æøå ÆØÅ`);
      // Byte for byte: every original page's content streams are the ones it had.
      const [before, after] = await Promise.all([PDFDocument.load(readFileSync(PACKET_V1)), PDFDocument.load(readFileSync(file))]);
      const streams = (doc: PDFDocument, i: number) => {
        const page = doc.getPage(i);
        const contents = page.node.Contents();
        const refs =
          contents && 'asArray' in contents
            ? (contents.asArray() as PDFRef[])
            : [page.node.get(page.node.context.obj('Contents')) as PDFRef];
        return refs.map((ref) => Buffer.from((doc.context.lookup(ref) as PDFRawStream).contents).toString('base64'));
      };
      for (let i = 0; i < PAGES; i++) expect(streams(after, i), `page ${i + 1}`).toEqual(streams(before, i));
    });

    it('has a real Highlight annotation over each quote, with the note as its text and replies threaded', async () => {
      const { annotations } = await pdfAnnotations(file);
      const highlights = annotations.filter((a) => a.subtype === 'Highlight' && a.inReplyTo === null);
      expect(highlights).toHaveLength(truth.quotes.length + 2);
      // pdf.js does not expose /NM, so each highlight is found by its note's text (unique per quote).
      for (const [i, q] of truth.quotes.entries()) {
        const body = (notes[i]?.body as { value: string } | undefined)?.value;
        const h = highlights.find((a) => a.contents === body);
        expect(h, q.id).toBeDefined();
        if (!h) continue;
        expect(h.page, q.id).toBe(q.page);
        expect(h.quadPoints?.length ?? 0, q.id).toBeGreaterThanOrEqual(8);
        // The first quad lies over the first words of the quote.
        const under = await textUnderQuad(file, h.page, h.quadPoints?.slice(0, 8) ?? []);
        expect(under.replace(/\s+/g, ' '), q.id).toContain(q.text.split(' ').slice(0, 2).join(' '));
      }
      expect(highlights.find((h) => h.contents === SCRIPT)?.author).toBe(SCRIPT);
      const reply = annotations.find((a) => a.contents === 'Svar på c1');
      expect(reply).toMatchObject({ subtype: 'Text', contents: 'Svar på c1', author: 'Anne Jensen', page: c1.page });
      expect(reply?.inReplyTo).toBeTruthy();
      expect(annotations.filter((a) => a.subtype === 'Popup').length).toBe(highlights.length);
    });
  });

  it('writes CSV with one row per note and reply, formulas neutralised, semicolon-separated for Danish Excel', async () => {
    const csv = readFileSync(await exportTo('csv'), 'utf8');
    expect(csv.startsWith('\uFEFFAfsnit;Punkt;Bilag;Side;Citat;Note;Forfatter;Tid;Type;Status')).toBe(true);
    expect(
      csv
        .trimEnd()
        .split('\r\n')
        .filter((l) => /;(q\d+|c\d|r\d)$/.test(l)),
    ).toHaveLength(truth.quotes.length + 3);
    expect(csv).toContain(`'${FORMULA}`);
    expect(csv).not.toMatch(/(^|;)[=+\-@]/m);
    const english = readFileSync(await exportTo('csv', '--lang', 'en'), 'utf8');
    expect(english.startsWith('\uFEFFSection,Item,Attachment,Page,Quote,Note,Author,Time,Kind,Status')).toBe(true);
  });

  it("writes HTML and English when asked, the items under the packet's own labels", async () => {
    const html = readFileSync(await exportTo('html', '--lang', 'en'), 'utf8');
    expect(html).toContain('<h2>Overview: Notes</h2>');
    expect(html).toContain('<h3>Punkt 3: Godkendelse af Byrådsindstilling om Godkendelse af Rammeaftale 23-24</h3>');
    expect(html).not.toContain(SCRIPT);
    expect(html).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
  });

  it('lists items without notes with --all-items, and leaves them out without it', async () => {
    const all = readFileSync(await exportTo('md', '--all-items'), 'utf8');
    const some = readFileSync(await exportTo('md'), 'utf8');
    const items = truth.agenda_items.filter((i) => i.packet).length;
    expect(all.match(/^### Punkt \d+:/gm)?.length).toBe(items * 2);
    expect(some.match(/^### Punkt \d+:/gm)?.length).toBeLessThan(items * 2);
  });

  it('writes valid W3C JSON-LD that `randnoter anchor` and `randnoter export` read back to the same notes at the same places', async () => {
    const exported = JSON.parse(readFileSync(await exportTo('jsonld'), 'utf8'));
    expect(collectionViolations(exported)).toEqual([]);
    expect(exported.total).toBe(truth.quotes.length + 3);

    const anchored = await randnoter('anchor', PACKET_V1, '--annotations', write('exported.jsonld', exported), '--json');
    expect(anchored.code).toBe(0);
    const results = JSON.parse(anchored.stdout) as Array<{ id: string; status: string; page: number; start: number; end: number }>;
    for (const [i, item] of (exported.first.items as Array<Record<string, unknown>>).entries()) {
      const target = (Array.isArray(item.target) ? item.target[1] : item.target) as { selector: Array<Record<string, unknown>> };
      const position = target.selector.find((s) => s.type === 'TextPositionSelector');
      const page = target.selector.find((s) => s.type === 'FragmentSelector')?.value;
      expect(results[i], item.id as string).toMatchObject({ id: item.id, status: 'anchored', start: position?.start, end: position?.end });
      expect(`page=${results[i]?.page}`).toBe(page);
    }

    const again = join(dir, 'again.jsonld');
    const second = await randnoter('export', PACKET_V1, '--annotations', join(dir, 'exported.jsonld'), '--format', 'jsonld', '-o', again);
    expect(second.code).toBe(0);
    expect(JSON.parse(readFileSync(again, 'utf8')).first.items).toEqual(exported.first.items);
  });
});

describe('bad input to randnoter export', () => {
  const good = write('good.json', notes.slice(0, 2));
  it.each([
    [
      'no --format',
      ['export', PACKET_V1, '--annotations', good, '-o', join(dir, 'x')],
      /needs --format md\|html\|docx\|csv\|jsonld\|pdf\|overview-pdf/,
    ],
    ['an unknown format', ['export', PACKET_V1, '--annotations', good, '--format', 'rtf', '-o', join(dir, 'x')], /unknown format "rtf"/],
    ['no -o', ['export', PACKET_V1, '--annotations', good, '--format', 'md'], /needs -o FILE/],
    ['no --annotations', ['export', PACKET_V1, '--format', 'md', '-o', join(dir, 'x')], /needs --annotations/],
    [
      'an unknown language',
      ['export', PACKET_V1, '--annotations', good, '--format', 'md', '-o', join(dir, 'x'), '--lang', 'de'],
      /--lang must be da or en/,
    ],
    [
      'a folder to write to that does not exist',
      ['export', PACKET_V1, '--annotations', good, '--format', 'md', '-o', join(dir, 'no/such/dir.md')],
      /cannot be written \(ENOENT\)/,
    ],
    ['an encrypted packet', ['export', ENCRYPTED, '--annotations', good, '--format', 'pdf', '-o', join(dir, 'x.pdf')], /encrypted/],
    [
      'annotations that are not W3C',
      ['export', PACKET_V1, '--annotations', write('wrong.json', { a: 1 }), '--format', 'md', '-o', join(dir, 'x')],
      /expected a W3C annotation/,
    ],
  ])('refuses %s with one line and exit code 2', async (_what, args, message) => {
    const { code, stdout, stderr } = await randnoter(...args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
