/**
 * `randnoter agenda <packet.pdf>` and `randnoter anchor <packet.pdf> --annotations <w3c.json>`:
 * the packet intelligence of `shared` on a PDF file, as JSON for scripts (--json) or a table for
 * people. The JSON shapes are a contract (docs/AGENDA.md); anything wrong with the input is a
 * UsageError, so the user gets one line and exit code 2.
 */
import { readFile } from 'node:fs/promises';
import { type AgendaAnalysis, analyseAgenda } from '@randnoter/shared/agenda/detect-agenda';
import {
  AGENDA_SURE,
  type AgendaOutline,
  attachmentHeading,
  defaultAttachmentLabel,
  defaultItemLabel,
  itemHeading,
  placeOfPage,
} from '@randnoter/shared/agenda/outline';
import { type AnchorStatus, createAnchorer } from '@randnoter/shared/anchoring/anchor';
import { fingerprintUrn } from '@randnoter/shared/identity/packet-identity';
import type { AgendaRef } from '@randnoter/shared/model/annotation';
import { fromWebAnnotations } from '@randnoter/shared/model/web-annotation';
import { PacketReadError, type ReadPacket, readPacketFile } from '../pdf/read-packet.ts';
import { UsageError } from './usage.ts';

type Flags = Record<string, string | boolean | undefined>;
type Out = (line: string) => void;

export interface AnchorResult {
  /** The annotation's id as the input gave it. */
  id: string;
  status: AnchorStatus;
  page: number | null;
  agendaItem: AgendaRef | null;
  attachment: AgendaRef | null;
  start: number | null;
  end: number | null;
}

async function openPacket(file: string | undefined, command: string): Promise<ReadPacket> {
  if (!file) throw new UsageError(`${command} needs a packet PDF: randnoter ${command} <packet.pdf>`);
  try {
    return await readPacketFile(file);
  } catch (error) {
    if (error instanceof PacketReadError) throw new UsageError(error.message.replace(/\s*\n\s*/g, ' '));
    throw error;
  }
}

export async function withPacket<T>(file: string | undefined, command: string, use: (packet: ReadPacket) => T | Promise<T>): Promise<T> {
  const packet = await openPacket(file, command);
  try {
    return await use(packet);
  } finally {
    await packet.pdf.loadingTask.destroy();
  }
}

export const analysisOf = (packet: ReadPacket): AgendaAnalysis => analyseAgenda(packet.text.pages, { outline: packet.outline });
export const agendaOf = (packet: ReadPacket): AgendaOutline => analysisOf(packet).outline;

const pages = (first: number, last: number) => (first === last ? `page ${first}` : `pages ${first}–${last}`);

/** The outline as people read it: the packet's own labels, and when it is only a guess, why. */
export function formatAgenda({ outline, doubts }: AgendaAnalysis): string[] {
  if (outline.items.length === 0) return [`No agenda items found (${outline.pages} pages).`];
  const sure = outline.confidence >= AGENDA_SURE;
  const lines = [
    `${outline.pages} pages, ${outline.items.length} agenda items, confidence ${outline.confidence.toFixed(2)}${sure ? '' : ' (guessed: notes are grouped by page)'}`,
  ];
  for (const item of outline.items) {
    lines.push(`${itemHeading(item)}  (${pages(item.firstPage, item.lastPage)})`);
    for (const a of item.attachments) lines.push(`    ${attachmentHeading(a)}  (${pages(a.firstPage, a.lastPage)})`);
  }
  const shown = doubts.filter((d) => d.confidence < 1).sort((a, b) => a.confidence - b.confidence);
  if (shown.length > 0) lines.push('Doubts:', ...shown.map((d) => `  ${d.confidence.toFixed(2)}  ${d.reason}`));
  return lines;
}

export async function runAgenda(positionals: string[], flags: Flags, out: Out): Promise<void> {
  if (positionals.length > 1) throw new UsageError('agenda takes one packet PDF');
  const analysis = await withPacket(positionals[0], 'agenda', analysisOf);
  if (flags.json) out(JSON.stringify(analysis.outline, null, 2));
  else for (const line of formatAgenda(analysis)) out(line);
}

/** The annotations' ids exactly as written, in the order fromWebAnnotations reads them. */
function inputIds(input: unknown): string[] {
  const asObject = (v: unknown) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});
  const root = asObject(input);
  const items = Array.isArray(input) ? input : root.type === 'Annotation' ? [input] : (asObject(root.first).items ?? root.items ?? []);
  return (Array.isArray(items) ? items : [items]).map((item) => String(asObject(item).id ?? ''));
}

export async function readAnnotations(file: string) {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new UsageError(code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot be read (${code ?? 'error'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new UsageError(`${file}: not valid JSON (${(error as Error).message.split('\n')[0]})`);
  }
  const parsed = fromWebAnnotations(json);
  if (!parsed.ok) throw new UsageError(`${file}: ${parsed.error}`);
  return { annotations: parsed.value, ids: inputIds(json) };
}

export function formatAnchors(results: readonly AnchorResult[]): string[] {
  const rows = results.map((r) => [
    r.id,
    r.status,
    r.page === null ? '–' : String(r.page),
    r.agendaItem ? (r.agendaItem.label ?? defaultItemLabel(r.agendaItem.number)) : '–',
    r.attachment ? (r.attachment.label ?? defaultAttachmentLabel(r.attachment.number)) : '–',
    r.start === null ? '–' : `${r.start}–${r.end}`,
  ]);
  const table = [['id', 'status', 'page', 'item', 'attachment', 'offsets'], ...rows];
  const widths = table[0]?.map((_, c) => Math.max(...table.map((row) => (row[c] as string).length))) ?? [];
  const counts = (['anchored', 'fuzzy', 'orphaned'] as const).map((s) => `${results.filter((r) => r.status === s).length} ${s}`);
  return [
    ...table.map((row) =>
      row
        .map((cell, c) => cell.padEnd(widths[c] as number))
        .join('  ')
        .trimEnd(),
    ),
    counts.join(', '),
  ];
}

export async function runAnchor(positionals: string[], flags: Flags, out: Out): Promise<void> {
  if (positionals.length > 1) throw new UsageError('anchor takes one packet PDF');
  if (typeof flags.annotations !== 'string') throw new UsageError('anchor needs --annotations <w3c.json>');
  const { annotations, ids } = await readAnnotations(flags.annotations);
  const results = await withPacket(positionals[0], 'anchor', (packet) => {
    const outline = agendaOf(packet);
    // No page images here: a scan's note from another version is orphaned, never put on a page by its number.
    const anchor = createAnchorer(packet.text, { outline, version: fingerprintUrn(packet.fingerprint) });
    return annotations.map((annotation, i): AnchorResult => {
      const found = anchor(annotation.target);
      const place = found.page === null ? { agendaItem: null, attachment: null } : placeOfPage(outline, found.page);
      return { id: ids[i] || annotation.id, status: found.status, page: found.page, ...place, start: found.start, end: found.end };
    });
  });
  if (flags.json) out(JSON.stringify(results, null, 2));
  else for (const line of formatAnchors(results)) out(line);
}
