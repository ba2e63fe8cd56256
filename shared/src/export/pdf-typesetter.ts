/**
 * A small typesetter over pdf-lib for the overview pages: wraps text to a width, keeps blocks
 * together across page breaks, adds footers. Text is drawn with an embedded TrueType font, so
 * Danish letters show and extract; characters the font lacks become "?" rather than a broken glyph.
 * pdf-lib writes text as glyph ids in hex strings, so user text cannot become PDF syntax.
 */
import { type Color, PDFArray, PDFContentStream, type PDFDocument, type PDFFont, type PDFPage, PDFRef, rgb } from 'pdf-lib';

export interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;
const FOOTER_SIZE = 8;

export interface Line {
  text: string;
  font: PDFFont;
  size: number;
  color: Color;
  indent: number;
  /** Space before this line. */
  before: number;
  /** A bar left of the text (quotes). */
  bar?: boolean;
}

export type TextStyle = Omit<Line, 'text' | 'before'>;

export const GREY = rgb(0.33, 0.33, 0.33);
export const BLACK = rgb(0, 0, 0);

const charsets = new WeakMap<PDFFont, Set<number>>();

/** The text with what the font cannot draw replaced, and control characters turned into spaces. */
export function drawable(font: PDFFont, text: string): string {
  let set = charsets.get(font);
  if (!set) {
    set = new Set(font.getCharacterSet());
    charsets.set(font, set);
  }
  const known = set;
  let out = '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters have no glyph; they become spaces.
  for (const ch of text.replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029]/g, ' ')) {
    out += known.has(ch.codePointAt(0) as number) ? ch : '?';
  }
  return out;
}

/**
 * Encodes what was drawn on a finished page now. pdf-lib keeps every drawing operator as objects
 * until the document is saved, about 14 KB a note: a 10,000-note overview held 140 MB of them.
 * The page's content streams become compressed bytes (as saving would make them), and the page
 * starts a new, empty one for anything drawn later (the footer).
 */
function settle(doc: PDFDocument, page: PDFPage): void {
  const contents = page.node.Contents();
  if (!(contents instanceof PDFArray)) return;
  for (let i = 0; i < contents.size(); i++) {
    const ref = contents.get(i);
    const stream = ref instanceof PDFRef ? doc.context.lookup(ref) : undefined;
    if (ref instanceof PDFRef && stream instanceof PDFContentStream) {
      doc.context.assign(ref, doc.context.flateStream(stream.getUnencodedContents()));
    }
  }
  // pdf-lib's one public way to make a page let go of its current content stream.
  page.resetPosition();
}

/** A page's confidentiality mark, in red above the top margin, where the page's text does not go. */
export function drawMark(page: PDFPage, font: PDFFont, mark: string): void {
  const { width, height } = page.getSize();
  const text = drawable(font, mark);
  const size = 10;
  page.drawText(text, { x: (width - font.widthOfTextAtSize(text, size)) / 2, y: height - 24, font, size, color: rgb(0.7, 0.05, 0.05) });
}

export class Typesetter {
  private page: PDFPage | null = null;
  private y = 0;
  private readonly pages: PDFPage[] = [];
  /** Pages made while `mark` was set, and the mark each carries at its head. */
  private readonly marks = new Map<PDFPage, string>();
  private readonly widths = new Map<string, number>();
  /** Written at the head of every page made from now on (e.g. "Lukket punkt – fortroligt"); null for none. */
  mark: string | null = null;

  private readonly doc: PDFDocument;
  private readonly fonts: Fonts;
  private readonly footer: string;

  constructor(doc: PDFDocument, fonts: Fonts, footer: string) {
    this.doc = doc;
    this.fonts = fonts;
    this.footer = footer;
  }

  get width(): number {
    return A4[0] - 2 * MARGIN;
  }

  private measure(font: PDFFont, size: number, text: string): number {
    const key = `${font === this.fonts.bold ? 'b' : 'r'}${text}`;
    let w = this.widths.get(key);
    if (w === undefined) {
      w = font.widthOfTextAtSize(text, 1);
      if (this.widths.size < 50_000) this.widths.set(key, w);
    }
    return w * size;
  }

  /** Breaks text into lines no wider than `width`; a word longer than a line is split. */
  wrap(text: string, style: TextStyle, before = 0): Line[] {
    const width = this.width - style.indent - (style.bar ? 8 : 0);
    const lines: Line[] = [];
    const paragraphs = drawable(style.font, text.replace(/\r\n?/g, '\n'))
      .split('\n')
      .map((p) => p.replace(/\s+/g, ' ').trim());
    for (const paragraph of paragraphs) {
      let current = '';
      const push = (t: string) => lines.push({ ...style, text: t, before: lines.length === 0 ? before : 0 });
      for (const word of paragraph.split(' ')) {
        const candidate = current ? `${current} ${word}` : word;
        if (this.measure(style.font, style.size, candidate) <= width) {
          current = candidate;
          continue;
        }
        if (current) push(current);
        current = word;
        while (this.measure(style.font, style.size, current) > width) {
          let cut = current.length - 1;
          while (cut > 1 && this.measure(style.font, style.size, current.slice(0, cut)) > width) cut--;
          push(current.slice(0, cut));
          current = current.slice(cut);
        }
      }
      push(current);
    }
    return lines;
  }

  private lineHeight(line: Line): number {
    return line.before + line.size * 1.3;
  }

  height(lines: readonly Line[]): number {
    return lines.reduce((sum, l) => sum + this.lineHeight(l), 0);
  }

  private get bottom(): number {
    return MARGIN + FOOTER_SIZE * 2;
  }

  newPage(): void {
    if (this.page) settle(this.doc, this.page);
    this.page = this.doc.addPage(A4);
    this.pages.push(this.page);
    if (this.mark !== null) this.marks.set(this.page, this.mark);
    this.y = A4[1] - MARGIN;
  }

  get atPageTop(): boolean {
    return this.page !== null && this.y === A4[1] - MARGIN;
  }

  /** Starts a new page unless `height` more fits on this one. */
  ensure(height: number): void {
    if (!this.page || this.y - height < this.bottom) this.newPage();
  }

  /** Draws lines as one block: moved to a new page if it fits on one but not in what is left of this one. */
  block(lines: readonly Line[], keepWithNext = 0): void {
    const total = this.height(lines);
    if (total + keepWithNext <= A4[1] - MARGIN - this.bottom) this.ensure(total + keepWithNext);
    for (const line of lines) this.line(line);
  }

  private line(line: Line): void {
    this.ensure(this.lineHeight(line));
    const page = this.page as PDFPage;
    if (!this.atPageTop) this.y -= line.before;
    this.y -= line.size * 1.3;
    const x = MARGIN + line.indent + (line.bar ? 8 : 0);
    if (line.bar) {
      page.drawRectangle({
        x: MARGIN + line.indent,
        y: this.y - line.size * 0.3,
        width: 2,
        height: line.size * 1.3,
        color: rgb(0.85, 0.7, 0.1),
      });
    }
    if (line.text) page.drawText(line.text, { x, y: this.y, font: line.font, size: line.size, color: line.color });
  }

  rule(): void {
    const page = this.page;
    if (!page) return;
    this.y -= 4;
    page.drawLine({ start: { x: MARGIN, y: this.y }, end: { x: A4[0] - MARGIN, y: this.y }, thickness: 1, color: GREY });
    this.y -= 6;
  }

  /** Writes "title · n / total" at the foot of every page this typesetter made. */
  finish(): PDFPage[] {
    const footer = drawable(this.fonts.regular, this.footer);
    for (const [i, page] of this.pages.entries()) {
      const number = `${i + 1} / ${this.pages.length}`;
      const numberWidth = this.measure(this.fonts.regular, FOOTER_SIZE, number);
      let text = footer;
      while (text.length > 1 && this.measure(this.fonts.regular, FOOTER_SIZE, text) > this.width - numberWidth - 20)
        text = `${text.slice(0, -2)}…`;
      page.drawText(text, { x: MARGIN, y: MARGIN, font: this.fonts.regular, size: FOOTER_SIZE, color: GREY });
      page.drawText(number, { x: A4[0] - MARGIN - numberWidth, y: MARGIN, font: this.fonts.regular, size: FOOTER_SIZE, color: GREY });
      const mark = this.marks.get(page);
      if (mark !== undefined) drawMark(page, this.fonts.bold, mark);
    }
    return this.pages;
  }
}
