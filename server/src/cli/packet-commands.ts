/**
 * `randnoter agenda <packet.pdf>` and `randnoter anchor <packet.pdf> --annotations <w3c.json>`:
 * the packet intelligence of `shared` on a PDF file, as JSON for scripts (--json) or a table for
 * people. The JSON shapes are a contract (docs/AGENDA.md); anything wrong with the input is a
 * UsageError, so the user gets one line and exit code 2.
 */
import { readFile } from 'node:fs/promises';
import { detectAgenda } from '@randnoter/shared/agenda/detect-agenda';
import { type AgendaOutline, placeOfPage } from '@randnoter/shared/agenda/outline';
import { type AnchorStatus, createAnchorer } from '@randnoter/shared/anchoring/anchor';
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

export const agendaOf = (packet: ReadPacket): AgendaOutline => detectAgenda(packet.text.pages, { outline: packet.outline });

const pages = (first: number, last: number) => (first === last ? `page ${first}` : `pages ${first}–${last}`);

export function formatAgenda(outline: AgendaOutline): string[] {
  if (outline.items.length === 0) return [`No agenda items found (${outline.pages} pages).`];
  const lines = [`${outline.pages} pages, ${outline.items.length} agenda items`];
  for (const item of outline.items) {
    lines.push(`Punkt ${item.number}: ${item.title}  (${pages(item.firstPage, item.lastPage)})`);
    for (const a of item.attachments) lines.push(`    Bilag ${a.number}: ${a.title}  (${pages(a.firstPage, a.lastPage)})`);
  }
  return lines;
}

export async function runAgenda(positionals: string[], flags: Flags, out: Out): Promise<void> {
  if (positionals.length > 1) throw new UsageError('agenda takes one packet PDF');
  const outline = await withPacket(positionals[0], 'agenda', agendaOf);
  if (flags.json) out(JSON.stringify(outline, null, 2));
  else for (const line of formatAgenda(outline)) out(line);
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
    r.agendaItem ? `Punkt ${r.agendaItem.number}` : '–',
    r.attachment ? `Bilag ${r.attachment.number}` : '–',
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
    const anchor = createAnchorer(packet.text, { outline });
    return annotations.map((annotation, i): AnchorResult => {
      const found = anchor(annotation.target);
      const place = found.page === null ? { agendaItem: null, attachment: null } : placeOfPage(outline, found.page);
      return { id: ids[i] || annotation.id, status: found.status, page: found.page, ...place, start: found.start, end: found.end };
    });
  });
  if (flags.json) out(JSON.stringify(results, null, 2));
  else for (const line of formatAnchors(results)) out(line);
}
