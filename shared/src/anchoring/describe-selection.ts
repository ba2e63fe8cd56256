/** Turns a selected range of the packet text into a durable target (quote, position, page, agenda place). */

import { type AgendaOutline, placeOfPage } from '../agenda/outline.ts';
import { AnnotationLimits, type Target } from '../model/annotation.ts';
import { type PacketText, pageAtOffset } from '../text/page-text.ts';

export interface DescribeOptions {
  outline?: AgendaOutline;
  /** `urn:x-pdf:<fingerprint>` of the document the selection was made in. */
  packetVersion?: string;
}

/** Trims whitespace off a range so a sloppy selection and a tight one describe the same words. */
function trimRange(text: string, start: number, end: number): [number, number] {
  let s = Math.max(0, Math.min(start, end));
  let e = Math.min(text.length, Math.max(start, end));
  while (s < e && text[s] === ' ') s++;
  while (e > s && text[e - 1] === ' ') e--;
  return [s, e];
}

/** Null when the range holds no text. */
export function describeRange(packet: PacketText, start: number, end: number, options: DescribeOptions = {}): Target | null {
  const [s, e] = trimRange(packet.text, start, end);
  if (s >= e) return null;
  const context = AnnotationLimits.contextChars;
  const page = pageAtOffset(packet, s);
  const place = placeOfPage(options.outline, page);
  const target: Target = {
    page,
    agendaItem: place.agendaItem,
    attachment: place.attachment,
    selectors: [
      {
        type: 'TextQuoteSelector',
        exact: packet.text.slice(s, e),
        prefix: packet.text.slice(Math.max(0, s - context), s),
        suffix: packet.text.slice(e, e + context),
      },
      { type: 'TextPositionSelector', start: s, end: e },
    ],
  };
  if (options.packetVersion) target.packetVersion = options.packetVersion;
  return target;
}
