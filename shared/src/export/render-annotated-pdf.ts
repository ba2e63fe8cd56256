/**
 * The annotated packet: the original PDF, its pages untouched (only their /Annots lists grow),
 * each note added as a real PDF annotation that other readers show, and the overview pages
 * appended with a bookmark to them.
 *
 * - A note on text is a Highlight over its quote (QuadPoints from the text positions), with the
 *   note as its /Contents and a Popup; a quote across a page break gets a highlight on each page,
 *   the later ones grouped with the first (/IRT, /RT /Group), as Acrobat does.
 * - A region note is a Highlight over the region; a page note (or a note whose text positions are
 *   unknown) is a Text annotation (a "sticky note") in the page's corner.
 * - Replies are Text annotations in reply to their comment (/IRT), resolved comments get a
 *   review state "Completed", so readers with threads show the discussion as it was.
 * All strings go in as PDF text strings (UTF-16 hex), so a note cannot inject PDF syntax.
 */
import {
  closePath,
  fill,
  lineTo,
  moveTo,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  type PDFNumber,
  type PDFPage,
  type PDFRef,
  PDFString,
  popGraphicsState,
  pushGraphicsState,
  setFillingRgbColor,
  setGraphicsState,
} from 'pdf-lib';
import type { Region } from '../model/annotation.ts';
import type { PacketText } from '../text/page-text.ts';
import type { ExportProgress } from './export-progress.ts';
import { notesInOrder, type OverviewModel, type OverviewNote } from './overview-model.ts';
import { addBookmark } from './pdf-bookmark.ts';
import { drawable, drawMark } from './pdf-typesetter.ts';
import { appendOverviewPages, type ExportFonts, embedFonts } from './render-overview-pdf.ts';
import { boundsOf, type Measure, type PacketBoxes, pagesOfRange, type Quad, quadsForRange } from './text-boxes.ts';

export interface AnnotatedPacketInput {
  /** The original packet. */
  pdf: Uint8Array;
  model: OverviewModel;
  /** The text the model's notes were anchored in. */
  text: PacketText;
  /** Text item positions of the pages that have notes. */
  boxes: PacketBoxes;
  fonts: ExportFonts;
  progress?: ExportProgress;
}

interface Context {
  doc: PDFDocument;
  input: AnnotatedPacketInput;
  measure: Measure;
}

/** The packet cannot be rewritten (encrypted, damaged); the message is one line for the user. */
export class AnnotatedPdfError extends Error {}

type Rgb = [number, number, number];
const NOTE_COLOR: Rgb = [1, 0.86, 0.2];
const COMMENT_COLOR: Rgb = [0.55, 0.78, 1];

/** PDF text strings use ESC (U+001B) to mark a language code, so a note's ESC could hide text: it becomes U+FFFD. */
const pdfText = (value: string) => PDFHexString.fromText(value.replaceAll('\u001b', '\ufffd'));

function pdfDate(iso: string): PDFString | undefined {
  const date = new Date(iso);
  return iso && !Number.isNaN(date.getTime()) ? PDFString.fromDate(date) : undefined;
}

/** A rectangle in fractions of the page as shown (top-left origin, after /Rotate) as a quad in user space. */
function regionQuad(page: PDFPage, region: Pick<Region, 'x' | 'y' | 'w' | 'h'>): Quad {
  const box = page.getCropBox();
  const rotation = ((page.getRotation().angle % 360) + 360) % 360;
  const toUser = (fx: number, fy: number): [number, number] => {
    if (rotation === 90) return [box.x + fy * box.width, box.y + fx * box.height];
    if (rotation === 180) return [box.x + box.width - fx * box.width, box.y + fy * box.height];
    if (rotation === 270) return [box.x + box.width - fy * box.width, box.y + box.height - fx * box.height];
    return [box.x + fx * box.width, box.y + box.height - fy * box.height];
  };
  const [ulx, uly] = toUser(region.x, region.y);
  const [urx, ury] = toUser(region.x + region.w, region.y);
  const [llx, lly] = toUser(region.x, region.y + region.h);
  const [lrx, lry] = toUser(region.x + region.w, region.y + region.h);
  return [ulx, uly, urx, ury, llx, lly, lrx, lry];
}

/**
 * Appends to the page's /Annots without pdf-lib's `addAnnot`, which "normalizes" the page first:
 * wraps its content streams in q/Q and copies inherited resources, so the page would not be untouched.
 */
function appendAnnot(page: PDFPage, ref: PDFRef): void {
  const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
  if (annots) annots.push(ref);
  else page.node.set(PDFName.of('Annots'), page.node.context.obj([ref]));
}

class Annotator {
  private readonly doc: PDFDocument;
  private readonly input: AnnotatedPacketInput;
  private readonly measure: Measure;

  constructor(context: Context) {
    this.doc = context.doc;
    this.input = context.input;
    this.measure = context.measure;
  }

  private common(note: OverviewNote, page: PDFPage): Record<string, unknown> {
    const a = note.annotation;
    const modified = pdfDate(a.modified || a.created);
    const created = pdfDate(a.created);
    return {
      Type: 'Annot',
      F: 4, // print
      P: page.ref,
      NM: pdfText(a.id),
      Contents: pdfText(a.body),
      C: a.kind === 'note' ? NOTE_COLOR : COMMENT_COLOR,
      ...(note.author ? { T: pdfText(note.author) } : {}),
      ...(note.groupName ? { Subj: pdfText(note.groupName) } : {}),
      ...(modified ? { M: modified } : {}),
      ...(created ? { CreationDate: created } : {}),
    };
  }

  /** The highlight's look, so readers that do not draw highlights themselves still show it. */
  private appearance(quads: readonly Quad[], rect: number[], color: Rgb): PDFRef {
    const ops = [pushGraphicsState(), setGraphicsState('GS0'), setFillingRgbColor(...color)];
    for (const q of quads) ops.push(moveTo(q[0], q[1]), lineTo(q[2], q[3]), lineTo(q[6], q[7]), lineTo(q[4], q[5]), closePath());
    ops.push(fill(), popGraphicsState());
    const stream = this.doc.context.formXObject(ops, {
      BBox: rect,
      Resources: { ExtGState: { GS0: { Type: 'ExtGState', BM: 'Multiply' } } },
    });
    return this.doc.context.register(stream);
  }

  /** Adds an annotation to the page; with `popup`, also the Popup that shows its text (beside the page's right edge). */
  private add(page: PDFPage, dict: Record<string, unknown>, rect: number[], popup = false): PDFRef {
    const context = this.doc.context;
    const ref = context.nextRef();
    if (popup) {
      const box = page.getCropBox();
      const width = Math.min(220, box.width / 2);
      const top = Math.min(box.y + box.height, Math.max(box.y + 140, (rect[3] ?? 0) + 20));
      const popupRef = context.nextRef();
      const popupRect = [box.x + box.width - width, top - 140, box.x + box.width, top];
      context.assign(popupRef, context.obj({ Type: 'Annot', Subtype: 'Popup', Rect: popupRect, Parent: ref, Open: false }));
      dict.Popup = popupRef;
      appendAnnot(page, ref);
      appendAnnot(page, popupRef);
    } else {
      appendAnnot(page, ref);
    }
    context.assign(ref, context.obj({ ...dict, Rect: rect } as never));
    return ref;
  }

  private highlight(note: OverviewNote, page: PDFPage, quads: readonly Quad[], extra: Record<string, unknown> = {}): PDFRef {
    const rect = boundsOf(quads).map((v, i) => (i < 2 ? v - 1 : v + 1));
    const color = note.annotation.kind === 'note' ? NOTE_COLOR : COMMENT_COLOR;
    const dict = {
      ...this.common(note, page),
      Subtype: 'Highlight',
      QuadPoints: quads.flat(),
      AP: { N: this.appearance(quads, rect, color) },
      ...extra,
    };
    // The later parts of a quote across pages are grouped with the first, which has the popup.
    return this.add(page, dict, rect, extra.IRT === undefined);
  }

  /** A sticky note in the page's upper left corner (as shown); `slot` stacks several on one page. */
  private sticky(note: OverviewNote, page: PDFPage, slot: number): PDFRef {
    const rect = boundsOf([regionQuad(page, { x: 0.015, y: 0.015 + (slot % 20) * 0.03, w: 0.03, h: 0.022 })]);
    return this.add(page, { ...this.common(note, page), Subtype: 'Text', Name: 'Comment', Open: false }, rect, true);
  }

  /** A reply (or review state) to `parent`: a Text annotation in the page's left margin, level with the parent. */
  private answer(note: OverviewNote, page: PDFPage, parent: PDFRef, extra: Record<string, unknown> = {}): PDFRef {
    const parentRect = (this.doc.context.lookup(parent, PDFDict).lookup(PDFName.of('Rect'), PDFArray) as PDFArray)
      .asArray()
      .map((n) => (n as PDFNumber).asNumber());
    const y2 = parentRect[3] ?? 0;
    const box = page.getCropBox();
    const rect = [box.x + 6, y2 - 18, box.x + 24, y2];
    const dict = { ...this.common(note, page), Subtype: 'Text', Name: 'Comment', Open: false, IRT: parent, RT: 'R', ...extra };
    return this.add(page, dict, rect);
  }

  /** Adds a note with its replies; returns false when it has no place in this packet. */
  note(note: OverviewNote, pageSlots: Map<number, number>): boolean {
    if (note.page === null) return false;
    const pages = this.doc.getPages();
    const { text, boxes } = this.input;
    const region = note.annotation.target.region;
    let main: { ref: PDFRef; page: PDFPage } | null = null;
    if (region && note.page <= pages.length) {
      const page = pages[note.page - 1] as PDFPage;
      main = { ref: this.highlight(note, page, [regionQuad(page, region)]), page };
    } else if (note.start !== null && note.end !== null && note.end > note.start) {
      for (const p of pagesOfRange(text, note.start, note.end)) {
        const page = pages[p - 1];
        const quads = quadsForRange(text, boxes.get(p) ?? [], p, note.start, note.end, this.measure);
        if (!page || quads.length === 0) continue;
        if (!main) main = { ref: this.highlight(note, page, quads), page };
        else this.highlight(note, page, quads, { IRT: main.ref, RT: 'Group' });
      }
    }
    if (!main) {
      const page = pages[note.page - 1];
      if (!page) return false;
      const slot = pageSlots.get(note.page) ?? 0;
      pageSlots.set(note.page, slot + 1);
      main = { ref: this.sticky(note, page, slot), page };
    }
    for (const reply of note.replies) this.answer(reply, main.page, main.ref);
    if (note.annotation.resolved) {
      // Acrobat's review state: a hidden reply saying the comment is done.
      const state = {
        F: 30,
        State: pdfText('Completed'),
        StateModel: pdfText('Review'),
        Contents: pdfText(''),
        NM: pdfText(`${note.annotation.id}-state`),
      };
      this.answer(note, main.page, main.ref, state);
    }
    return true;
  }
}

export async function renderAnnotatedPdf(input: AnnotatedPacketInput): Promise<Uint8Array> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(input.pdf, { updateMetadata: false });
  } catch (error) {
    const name = (error as Error).name === 'EncryptedPDFError' || /encrypted/i.test((error as Error).message);
    throw new AnnotatedPdfError(
      name ? 'the PDF is encrypted, so it cannot be annotated' : `the PDF cannot be rewritten (${(error as Error).message})`,
    );
  }
  const fonts = await embedFonts(doc, input.fonts);
  // Liberation Sans has Helvetica's and Arial's widths, the fonts most packets are set in.
  const measure = (s: string) => fonts.regular.widthOfTextAtSize(drawable(fonts.regular, s), 1);
  const annotator = new Annotator({ doc, input, measure });
  const notes = [...notesInOrder(input.model)].filter((n) => n.parent === null);
  const slots = new Map<number, number>();
  for (const [i, { note }] of notes.entries()) {
    annotator.note(note, slots);
    if (input.progress && (i + 1) % 50 === 0) await input.progress('highlights', i + 1, notes.length);
  }
  // A packet page with a closed item's comment on it says so at its head, as the overview's pages do.
  const closedPages = new Set(notes.filter((n) => n.section.kind === 'closed' && n.note.page !== null).map((n) => n.note.page as number));
  for (const p of closedPages) {
    const page = doc.getPages()[p - 1];
    if (page) drawMark(page, fonts.bold, input.model.labels.closedMark);
  }
  const firstOverviewPage = doc.getPageCount();
  await appendOverviewPages(doc, fonts, input.model, input.progress);
  const overview = doc.getPage(firstOverviewPage);
  addBookmark(doc, input.model.labels.documentTitle(input.model.title), overview.ref);
  await input.progress?.('saving', 0, 1);
  return doc.save();
}
