/**
 * One export, any format: the entry point the extension, the server and the command line share.
 * Anchors the notes in the packet's text (when given), builds the overview model, and hands it
 * to the format's renderer. What a format needs beyond the notes is passed in, never read here:
 * the original PDF and its text positions (annotated packet), TrueType fonts (both PDFs).
 */
import type { AgendaOutline } from '../agenda/outline.ts';
import { type Anchor, createAnchorer } from '../anchoring/anchor.ts';
import type { Hash64 } from '../anchoring/page-fingerprint.ts';
import { placeIn, type Target } from '../model/annotation.ts';
import type { PacketText } from '../text/page-text.ts';
import { ExportError, type ExportFormat, FORMATS } from './export-formats.ts';
import type { ExportLanguage } from './export-labels.ts';
import type { ExportProgress } from './export-progress.ts';
import { buildOverview, type ExportAnnotation, notesInOrder, type OverviewModel } from './overview-model.ts';
import { renderAnnotatedPdf } from './render-annotated-pdf.ts';
import { renderCsv } from './render-csv.ts';
import { renderDocx } from './render-docx.ts';
import { renderHtml } from './render-html.ts';
import { renderJsonLd } from './render-jsonld.ts';
import { renderMarkdown } from './render-markdown.ts';
import { type ExportFonts, renderOverviewPdf } from './render-overview-pdf.ts';
import { type PacketBoxes, pagesOfRange } from './text-boxes.ts';

export { ExportError, ExportFormat, FORMATS, parseExportFormat } from './export-formats.ts';

export interface ExportRequest {
  format: ExportFormat;
  /** The packet's title, for headings and file metadata. */
  title: string;
  /** Private notes ("Noter") and shared comments with replies ("Delte kommentarer"). */
  notes: readonly ExportAnnotation[];
  shared: readonly ExportAnnotation[];
  /** Comments on closed agenda items the reader may see: their own section, on pages marked "Lukket punkt – fortroligt". */
  closed?: readonly ExportAnnotation[];
  outline?: AgendaOutline;
  /** The packet's text: notes are anchored in it. Without it they stay where they were stored. */
  text?: PacketText;
  /** The original packet (for `pdf`). */
  pdf?: Uint8Array;
  /** Text item positions of the given pages (for `pdf`'s highlights). */
  boxes?: (pages: readonly number[]) => Promise<PacketBoxes>;
  fonts?: ExportFonts;
  /** What W3C targets name when a note does not say its version, and the collection's IRI. */
  source: string;
  collectionId: string;
  /** `urn:x-pdf:<fingerprint>` of the packet exported, when known: notes re-attached in it are shown where they were put. */
  packetVersion?: string;
  /** Image prints of the packet's pages without text (anchor.ts), where pages can be rendered. */
  images?: ReadonlyArray<Hash64 | null>;
  language?: ExportLanguage;
  includeEmptyItems?: boolean;
  timeZone?: string;
  now?: Date;
  progress?: ExportProgress;
}

export interface ExportResult {
  bytes: Uint8Array;
  mediaType: string;
  extension: string;
}

/** Anchors every target once, reporting progress; the overview then reads the answers. */
async function anchorAll(request: ExportRequest, text: PacketText): Promise<(target: Target) => Anchor> {
  const { outline, packetVersion: version, images } = request;
  const anchor = createAnchorer(text, {
    ...(outline ? { outline } : {}),
    ...(version ? { version } : {}),
    ...(images ? { images: () => images } : {}),
  });
  const found = new Map<Target, Anchor>();
  const targets = [...request.notes, ...request.shared, ...(request.closed ?? [])]
    .filter((a) => !a.deleted && a.replyTo === null)
    .map((a) => a.target);
  for (const [i, target] of targets.entries()) {
    found.set(target, anchor(target));
    if (request.progress && (i + 1) % 100 === 0) await request.progress('anchoring', i + 1, targets.length);
  }
  return (target) => found.get(target) ?? anchor(target);
}

/** The pages that get a highlight in the annotated packet. */
function highlightedPages(model: OverviewModel, text: PacketText): number[] {
  const pages = new Set<number>();
  for (const { note, parent } of notesInOrder(model)) {
    if (parent || note.start === null || note.end === null || note.end <= note.start) continue;
    for (const p of pagesOfRange(text, note.start, note.end)) pages.add(p);
  }
  return [...pages].sort((a, b) => a - b);
}

const utf8 = (s: string) => new TextEncoder().encode(s);

/** The notes as this version shows them: where they were re-attached in it, if they were. */
function inVersion(annotations: readonly ExportAnnotation[], version: string | undefined): ExportAnnotation[] {
  return annotations.map((a) => {
    const target = placeIn(a.target, version);
    return target === a.target ? a : { ...a, target };
  });
}

export async function exportPacket(given: ExportRequest): Promise<ExportResult> {
  const request = {
    ...given,
    notes: inVersion(given.notes, given.packetVersion),
    shared: inVersion(given.shared, given.packetVersion),
    closed: inVersion(given.closed ?? [], given.packetVersion),
  };
  const info = FORMATS[request.format];
  if (info.needsPdf && (!request.pdf || !request.text)) throw new ExportError('the annotated packet needs the original PDF');
  if (info.needsFonts && !request.fonts) throw new ExportError('PDF export needs a TrueType font with Danish letters');
  const anchor = request.text ? await anchorAll(request, request.text) : undefined;
  const model = buildOverview({
    title: request.title,
    outline: request.outline,
    notes: request.notes,
    shared: request.shared,
    closed: request.closed,
    ...(anchor ? { anchor } : {}),
    ...(request.language ? { language: request.language } : {}),
    ...(request.includeEmptyItems !== undefined ? { includeEmptyItems: request.includeEmptyItems } : {}),
    ...(request.timeZone ? { timeZone: request.timeZone } : {}),
    now: request.now ?? new Date(),
  });
  const done = (bytes: Uint8Array): ExportResult => ({ bytes, mediaType: info.mediaType, extension: info.extension });
  switch (request.format) {
    case 'md':
      return done(utf8(renderMarkdown(model)));
    case 'html':
      return done(utf8(renderHtml(model)));
    case 'csv':
      return done(utf8(renderCsv(model)));
    case 'docx':
      return done(renderDocx(model));
    case 'jsonld':
      return done(
        utf8(
          renderJsonLd(model, {
            source: request.source,
            id: request.collectionId,
            ...(request.packetVersion ? { packetVersion: request.packetVersion } : {}),
          }),
        ),
      );
    case 'overview-pdf':
      return done(await renderOverviewPdf(model, request.fonts as ExportFonts, request.progress));
    case 'pdf': {
      const text = request.text as PacketText;
      const boxes = request.boxes ? await request.boxes(highlightedPages(model, text)) : new Map();
      return done(
        await renderAnnotatedPdf({
          pdf: request.pdf as Uint8Array,
          model,
          text,
          boxes,
          fonts: request.fonts as ExportFonts,
          ...(request.progress ? { progress: request.progress } : {}),
        }),
      );
    }
  }
}
