/**
 * The Overblik as a W3C Web Annotation AnnotationCollection (JSON-LD), in the order of the other
 * formats. Each annotation says where it is in THIS packet: its TextPositionSelector, RFC 3778
 * page fragment and agenda place are the anchored ones (its quote stays as written), and
 * `randnoter:status` tells how it was found. Fed back to `randnoter anchor` or `randnoter export`
 * with the same packet, every note lands where it is here.
 */
import { type Annotation, quoteOf, type Selector, type Target } from '../model/annotation.ts';
import { type AnnotationCollection, toCollection, toWebAnnotation } from '../model/web-annotation.ts';
import { notesInOrder, type OverviewModel, type OverviewNote } from './overview-model.ts';

export interface JsonLdOptions {
  /** The document the annotations target when a note does not name its version (`urn:x-pdf:…` or a URL). */
  source: string;
  /** The collection's IRI. */
  id: string;
  /** The version exported, `urn:x-pdf:<fingerprint>`, when known: anchored notes now target it. */
  packetVersion?: string;
}

/** The note's target as found in this packet; an orphan keeps what it was stored with. */
function currentTarget(note: OverviewNote, version: string | undefined): Target {
  const stored = note.annotation.target;
  if (note.page === null || note.placement === 'stored') return stored;
  const quote = quoteOf(stored);
  const selectors: Selector[] = [];
  if (quote) selectors.push(quote);
  if (note.start !== null && note.end !== null && note.end > note.start)
    selectors.push({ type: 'TextPositionSelector', start: note.start, end: note.end });
  const target: Target = { page: note.page, agendaItem: note.item, attachment: note.attachment };
  if (selectors.length > 0) target.selectors = selectors;
  if (stored.region) target.region = { ...stored.region, page: note.page };
  // The page it was found by is the page it was made on, give or take an edit: a later version finds it the same way.
  if (stored.pageIdentity) target.pageIdentity = stored.pageIdentity;
  const packetVersion = version ?? stored.packetVersion;
  if (packetVersion) target.packetVersion = packetVersion;
  return target;
}

export function buildJsonLd(model: OverviewModel, options: JsonLdOptions): AnnotationCollection {
  const items = [];
  for (const { note, parent } of notesInOrder(model)) {
    const where = parent ?? note;
    const annotation: Annotation = { ...note.annotation, target: currentTarget(where, options.packetVersion) };
    items.push(toWebAnnotation(annotation, options.source, { status: where.placement }));
  }
  return toCollection(items, options.id, model.labels.documentTitle(model.title));
}

export function renderJsonLd(model: OverviewModel, options: JsonLdOptions): string {
  return `${JSON.stringify(buildJsonLd(model, options), null, 2)}\n`;
}
