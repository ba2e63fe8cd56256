/**
 * No user text becomes PDF syntax: notes, names, group names, agenda titles and the packet title
 * from the hostile corpus go into the overview PDF and the annotated packet (the fixture packet),
 * and other readers (poppler, pdf.js) find them as text, find exactly the annotations we added,
 * and find no script, action or launch anywhere in the file. (HTML and DOCX have the same corpus
 * in their unit tests; the DOCX also passes through LibreOffice in export-cli.test.ts.)
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readExportFonts } from '@randnoter/server/pdf/export-fonts';
import { type ReadPacket, readPacketFile } from '@randnoter/server/pdf/read-packet';
import { detectAgenda } from '@randnoter/shared/agenda/detect-agenda';
import { exportPacket } from '@randnoter/shared/export/export-packet';
import type { ExportAnnotation } from '@randnoter/shared/export/overview-model';
import { HOSTILE } from '@randnoter/shared/export/testing/sample-packet';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFStream } from 'pdf-lib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pdfAnnotations, pdfinfo, pdftotext } from '../support/export-files.ts';
import { needs } from '../support/needs.ts';
import { PACKET_V1, truth } from '../support/packet-fixture.ts';

const dir = mkdtempSync(join(tmpdir(), 'randnoter-export-safety-'));
/** What survives in a PDF's drawn text: control characters become spaces, whitespace collapses. */
const drawn = (s: string) =>
  s
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
/** As PDF text strings keep them: ESC would start a language code, so it is written as U+FFFD. */
const asPdfString = (s: string) => s.replaceAll('\u001b', '\ufffd');
/** Keys and action types that make a PDF do something: none may come from user text. */
const ACTIVE_KEYS = new Set(['JS', 'JavaScript', 'Launch', 'OpenAction', 'AA', 'URI', 'SubmitForm', 'ImportData', 'GoToR', 'GoToE']);

/** How often each active key or action type occurs in a PDF's objects (object streams included). */
async function activeNames(bytes: Uint8Array): Promise<Record<string, number>> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const counts: Record<string, number> = {};
  const seen = new Set<unknown>();
  const visit = (value: unknown): void => {
    if (seen.has(value)) return;
    seen.add(value);
    if (value instanceof PDFDict) {
      for (const [key, entry] of value.entries()) {
        const name = key.decodeText();
        if (ACTIVE_KEYS.has(name)) counts[name] = (counts[name] ?? 0) + 1;
        if (name === 'S' && entry instanceof PDFName && ACTIVE_KEYS.has(entry.decodeText()))
          counts[`S ${entry.decodeText()}`] = (counts[`S ${entry.decodeText()}`] ?? 0) + 1;
        visit(entry);
      }
    } else if (value instanceof PDFArray) {
      for (const entry of value.asArray()) visit(entry);
    } else if (value instanceof PDFStream) {
      visit(value.dict);
    }
  };
  for (const [, object] of doc.context.enumerateIndirectObjects()) visit(object);
  return counts;
}

function hostileAnnotations(): ExportAnnotation[] {
  return HOSTILE.map((payload, i) => {
    const q = truth.quotes[i % truth.quotes.length] as (typeof truth.quotes)[number];
    return {
      id: `h${i}`,
      kind: i % 2 === 0 ? 'note' : 'comment',
      replyTo: null,
      author: { id: `u${i}`, name: payload },
      created: '2023-01-20T09:00:00.000Z',
      modified: '2023-01-20T09:00:00.000Z',
      body: payload,
      color: null,
      tags: [],
      resolved: false,
      deleted: false,
      ...(i % 2 === 1 ? { group: { id: 'g', name: payload } } : {}),
      target: { page: q.page, selectors: [{ type: 'TextQuoteSelector', exact: q.text, prefix: q.prefix, suffix: q.suffix }] },
    };
  });
}

needs('poppler')('hostile text in PDF exports', () => {
  let packet: ReadPacket;
  const annotations = hostileAnnotations();
  const files: Record<'pdf' | 'overview-pdf', string> = { pdf: '', 'overview-pdf': '' };

  beforeAll(async () => {
    packet = await readPacketFile(PACKET_V1);
    const outline = detectAgenda(packet.text.pages, { outline: packet.outline });
    // Agenda titles come from the PDF, which anyone can write: make them hostile too.
    const hostileOutline = {
      ...outline,
      items: outline.items.map((item, i) => ({
        ...item,
        label: HOSTILE[(i + 3) % HOSTILE.length] as string,
        title: HOSTILE[i % HOSTILE.length] as string,
      })),
    };
    for (const format of ['pdf', 'overview-pdf'] as const) {
      const result = await exportPacket({
        format,
        title: HOSTILE[0],
        notes: annotations.filter((a) => a.kind === 'note'),
        shared: annotations.filter((a) => a.kind !== 'note'),
        outline: hostileOutline,
        text: packet.text,
        pdf: packet.bytes,
        boxes: async () => packet.boxes,
        fonts: await readExportFonts(),
        source: 'urn:x-pdf:test',
        collectionId: 'urn:randnoter:export:test',
      });
      files[format] = join(dir, `${format}.pdf`);
      writeFileSync(files[format], result.bytes);
    }
  });
  afterAll(async () => {
    await packet?.pdf.loadingTask.destroy();
  });

  it.each(['pdf', 'overview-pdf'] as const)(
    '%s: every hostile string is drawn as text, and the file has no script or action',
    async (format) => {
      const info = await pdfinfo(files[format]);
      expect(info.stderr).toBe('');
      const text = await pdftotext(files[format]);
      for (const payload of HOSTILE) expect(text, payload).toContain(drawn(payload));
      // The packet's own links are its own (the annotated packet keeps them); nothing may be added.
      const expected = format === 'pdf' ? await activeNames(packet.bytes) : {};
      // The checker does see actions: the fixture's contents page links to its items.
      expect(Object.keys(await activeNames(packet.bytes))).toContain('URI');
      expect(await activeNames(new Uint8Array(readFileSync(files[format])))).toEqual(expected);
    },
  );

  it('pdf: exactly one highlight per note, its text and author the hostile strings verbatim', async () => {
    const found = (await pdfAnnotations(files.pdf)).annotations.filter((a) => a.subtype !== 'Link');
    const highlights = found.filter((a) => a.subtype === 'Highlight');
    expect(highlights).toHaveLength(HOSTILE.length);
    expect(found.filter((a) => a.subtype === 'Popup')).toHaveLength(HOSTILE.length);
    expect(found).toHaveLength(HOSTILE.length * 2);
    expect(highlights.map((h) => h.contents).sort()).toEqual(HOSTILE.map(asPdfString).sort());
    expect(highlights.map((h) => h.author).sort()).toEqual(HOSTILE.map(asPdfString).sort());
  });
});
