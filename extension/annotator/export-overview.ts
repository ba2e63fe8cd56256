/**
 * The extension's export: everything comes from what the browser already holds (the notes and
 * comments in the local documents, the packet's text, the PDF bytes the viewer fetched, the
 * fonts shipped with pdf.js), so it works offline. The shared renderers do the rest.
 */
import type { AgendaOutline } from '@randnoter/shared/agenda/outline';
import { createAnchorer } from '@randnoter/shared/anchoring/anchor';
import type { Hash64 } from '@randnoter/shared/anchoring/page-fingerprint';
import { exportFileName } from '@randnoter/shared/export/export-file-name';
import { type ExportFormat, FORMATS } from '@randnoter/shared/export/export-formats';
import type { ExportLanguage } from '@randnoter/shared/export/export-labels';
import type { ExportResult } from '@randnoter/shared/export/export-packet';
import { type MeetingBrief, meetingBrief } from '@randnoter/shared/export/meeting-brief';
import type { ExportAnnotation } from '@randnoter/shared/export/overview-model';
import type { ExportFonts } from '@randnoter/shared/export/render-overview-pdf';
import type { PacketBoxes } from '@randnoter/shared/export/text-boxes';
import type { PacketText } from '@randnoter/shared/text/page-text';
import { browser } from 'wxt/browser';
import type { ExportChoice, ReportProgress } from '../components/export-panel.ts';

/** The original packet, when the document is a PDF: what the annotated packet is made from. */
export interface PacketPdf {
  /** The whole file (a streamed packet's once it has all arrived). */
  bytes(): Promise<Uint8Array>;
  boxes(pages: readonly number[]): Promise<PacketBoxes>;
}

export interface ExportSource {
  title: string;
  outline: AgendaOutline;
  text: PacketText;
  /** `urn:x-pdf:<fingerprint>` (or the HTML page's version). */
  version: string;
  pdf: PacketPdf | null;
  /** Image prints of the pages without text, so scans' notes are placed as the viewer places them. */
  pageImages?: () => Promise<ReadonlyArray<Hash64 | null>>;
  language: ExportLanguage;
  /** YYYY-MM-DD when the packet states it; with the committee it names the exported files. */
  meetingDate: string | null;
  /** The names of the groups whose comments the export holds, the preferred first. */
  committees: readonly string[];
  notes(): ExportAnnotation[];
  shared(): ExportAnnotation[];
  /** Comments on closed agenda items the user may read (docs/CLOSED-ITEMS.md). */
  closed(): ExportAnnotation[];
}

/** The formats this document can be exported to: the annotated packet only when there is a PDF. */
export function exportFormatsOf(source: Pick<ExportSource, 'pdf'>): ExportFormat[] {
  return (Object.keys(FORMATS) as ExportFormat[]).filter((f) => !FORMATS[f].needsPdf || source.pdf !== null);
}

// Loosely typed: WXT only knows files in public/, and pdf.js's fonts are added by a build hook.
const assetUrl = (path: string) => (browser.runtime.getURL as (path: string) => string)(path);

async function readFont(name: string): Promise<Uint8Array> {
  const response = await fetch(assetUrl(`/pdfjs/standard_fonts/${name}`));
  if (!response.ok) throw new Error(`font ${name} missing from the extension`);
  return new Uint8Array(await response.arrayBuffer());
}

/** Liberation Sans, which pdf.js ships: Helvetica's widths and every Danish letter. */
async function exportFonts(): Promise<ExportFonts> {
  const [regular, bold] = await Promise.all([readFont('LiberationSans-Regular.ttf'), readFont('LiberationSans-Bold.ttf')]);
  return { regular, bold };
}

/** Lets the page paint the progress bar between chunks of work. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export async function exportOverview(source: ExportSource, choice: ExportChoice, progress: ReportProgress): Promise<ExportResult> {
  // Loaded when first asked for: the renderers (pdf-lib, its font code, Word) would otherwise sit
  // compiled in the heap of every open packet (docs/PERFORMANCE.md, big packets).
  const { exportPacket } = await import('@randnoter/shared/export/export-packet');
  const info = FORMATS[choice.format];
  const images = await source.pageImages?.().catch(() => undefined);
  return exportPacket({
    format: choice.format,
    title: source.title,
    notes: source.notes(),
    shared: source.shared(),
    closed: source.closed(),
    outline: source.outline,
    text: source.text,
    ...(info.needsPdf && source.pdf ? { pdf: await source.pdf.bytes(), boxes: source.pdf.boxes } : {}),
    ...(info.needsFonts ? { fonts: await exportFonts() } : {}),
    source: source.version,
    ...(source.version.startsWith('urn:x-pdf:') ? { packetVersion: source.version } : {}),
    ...(images ? { images } : {}),
    collectionId: `urn:randnoter:export:${crypto.randomUUID()}`,
    language: source.language,
    includeEmptyItems: choice.includeEmptyItems,
    progress: async (stage, done, total) => {
      progress(stage, done, total);
      await nextTask();
    },
  });
}

/** "Til mødet" for the reader `readerId`, the notes placed as the viewer places them. */
export function meetingBriefOf(source: ExportSource, readerId: string | null): MeetingBrief {
  const { outline } = source;
  const version = source.version.startsWith('urn:x-pdf:') ? source.version : undefined;
  return meetingBrief({
    title: source.title,
    outline,
    notes: source.notes(),
    shared: source.shared(),
    closed: source.closed(),
    readerId,
    anchor: createAnchorer(source.text, { outline, ...(version ? { version } : {}) }),
    language: source.language,
    now: new Date(),
  });
}

/** The file an export is saved as: meeting date, committee and title (shared/export/export-file-name.ts). */
export function exportFileNameOf(
  source: Pick<ExportSource, 'title' | 'meetingDate' | 'committees' | 'version' | 'language'>,
  format: ExportFormat,
  heading?: string,
): string {
  return exportFileName({
    ...(heading ? { heading } : {}),
    title: source.title,
    meetingDate: source.meetingDate,
    committees: source.committees,
    source: source.version,
    format,
    language: source.language,
  });
}
