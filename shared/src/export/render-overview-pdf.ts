/**
 * The Overblik as PDF pages: on their own (the overview PDF) or appended to the annotated packet.
 * Each section starts on a new page; headings stay with the note after them; a note with its
 * replies is not split across pages when it fits on one.
 */
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument } from 'pdf-lib';
import type { ExportProgress } from './export-progress.ts';
import { noteMeta } from './note-meta.ts';
import type { OverviewModel, OverviewNote } from './overview-model.ts';
import { BLACK, type Fonts, GREY, type Line, Typesetter } from './pdf-typesetter.ts';

/** TrueType fonts with Danish letters (LiberationSans-Regular.ttf and -Bold.ttf ship with pdf.js). */
export interface ExportFonts {
  regular: Uint8Array;
  bold: Uint8Array;
}

export async function embedFonts(doc: PDFDocument, fonts: ExportFonts): Promise<Fonts> {
  doc.registerFontkit(fontkit);
  // Subsetting keeps a 500-page packet's overview small; the ToUnicode map pdf-lib writes keeps text extractable.
  return {
    regular: await doc.embedFont(fonts.regular, { subset: true }),
    bold: await doc.embedFont(fonts.bold, { subset: true }),
  };
}

function noteLines(t: Typesetter, fonts: Fonts, note: OverviewNote, model: OverviewModel): Line[] {
  const lines: Line[] = [];
  const indent = 14;
  if (note.quote) lines.push(...t.wrap(`“${note.quote}”`, { font: fonts.regular, size: 9.5, color: GREY, indent, bar: true }, 8));
  if (note.annotation.body.trim()) {
    lines.push(...t.wrap(note.annotation.body, { font: fonts.regular, size: 10.5, color: BLACK, indent }, lines.length ? 3 : 8));
  }
  lines.push(...t.wrap(noteMeta(note, model.labels).join(' · '), { font: fonts.regular, size: 8.5, color: GREY, indent }, 2));
  for (const reply of note.replies) {
    const meta = [model.labels.reply, ...noteMeta(reply, model.labels)].join(' · ');
    lines.push(...t.wrap(meta, { font: fonts.bold, size: 8.5, color: GREY, indent: indent + 18 }, 5));
    lines.push(...t.wrap(reply.annotation.body, { font: fonts.regular, size: 10, color: BLACK, indent: indent + 18 }, 1));
  }
  return lines;
}

/**
 * Appends the overview pages to `doc`. Progress counts notes laid out; the callback may yield
 * (await) so a browser tab stays responsive.
 */
export async function appendOverviewPages(
  doc: PDFDocument,
  fonts: Fonts,
  model: OverviewModel,
  progress?: ExportProgress,
): Promise<number> {
  const t = new Typesetter(doc, fonts, model.labels.documentTitle(model.title));
  const total = model.sections.reduce(
    (n, s) =>
      n + s.orphaned.length + s.items.reduce((m, i) => m + i.notes.length + i.attachments.reduce((k, a) => k + a.notes.length, 0), 0),
    0,
  );
  let done = 0;
  const note = async (n: OverviewNote) => {
    t.block(noteLines(t, fonts, n, model));
    done++;
    if (progress && done % 50 === 0) await progress('layout', done, total);
  };
  const heading = (text: string, size: number, indent: number, before: number) =>
    t.block(t.wrap(text, { font: fonts.bold, size, color: BLACK, indent }, before), 60);

  t.newPage();
  t.block(t.wrap(model.labels.documentTitle(model.title), { font: fonts.bold, size: 17, color: BLACK, indent: 0 }));
  t.block(t.wrap(model.labels.generated(model.generated), { font: fonts.regular, size: 9, color: GREY, indent: 0 }, 2));
  for (const [i, section] of model.sections.entries()) {
    // Every page of the closed items' section says so at its head.
    t.mark = section.kind === 'closed' ? model.labels.closedMark : null;
    if (i > 0) t.newPage();
    heading(section.heading, 15, 0, i === 0 ? 18 : 0);
    t.rule();
    if (section.items.length === 0 && section.orphaned.length === 0) {
      t.block(t.wrap(section.emptyText, { font: fonts.regular, size: 10, color: GREY, indent: 0 }, 6));
    }
    for (const item of section.items) {
      heading(item.heading, 12.5, 0, 14);
      for (const n of item.notes) await note(n);
      for (const attachment of item.attachments) {
        heading(attachment.heading, 11, 8, 10);
        for (const n of attachment.notes) await note(n);
      }
    }
    if (section.orphaned.length > 0) {
      heading(model.labels.orphaned, 12.5, 0, 14);
      t.block(t.wrap(model.labels.orphanedHint, { font: fonts.regular, size: 9, color: GREY, indent: 0 }, 2));
      for (const n of section.orphaned) await note(n);
    }
  }
  return t.finish().length;
}

/** The stand-alone overview PDF. */
export async function renderOverviewPdf(model: OverviewModel, fonts: ExportFonts, progress?: ExportProgress): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const embedded = await embedFonts(doc, fonts);
  await appendOverviewPages(doc, embedded, model, progress);
  doc.setTitle(model.labels.documentTitle(model.title), { showInWindowTitleBar: true });
  doc.setLanguage(model.language === 'en' ? 'en' : 'da-DK');
  doc.setCreator('Randnoter');
  doc.setProducer('Randnoter');
  return doc.save();
}
