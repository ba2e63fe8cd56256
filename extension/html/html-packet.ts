/**
 * An HTML agenda page as a packet: each agenda item's section becomes a "page" of the packet
 * text, so grouping, counts and export work as for a PDF. The joined text is the same as the
 * whole page's text (sections start at headings, which already end a line), so the content
 * script's single-page offsets and these agree.
 */
import { detectHtmlAgenda, type HtmlAgendaItem } from '@randnoter/shared/agenda/detect-html-agenda';
import type { AgendaOutline } from '@randnoter/shared/agenda/outline';
import { buildPacketText, buildPageText, type PacketText, type TextItemLike } from '@randnoter/shared/text/page-text';
import type { PageBlock } from '../messaging/sidebar-messages.ts';

export interface HtmlPacket {
  text: PacketText;
  outline: AgendaOutline;
  items: HtmlAgendaItem[];
}

export function buildHtmlPacket(textItems: readonly TextItemLike[], blocks: readonly PageBlock[]): HtmlPacket {
  const items = detectHtmlAgenda(blocks);
  const starts = items.map((item) => blocks[item.block]?.itemIndex ?? -1).filter((i) => i > 0);
  const bounds = [0, ...starts, textItems.length];
  const pages = bounds.slice(0, -1).map((from, i) => buildPageText(i + 1, textItems.slice(from, bounds[i + 1])));
  const pageOfItem = (n: number) => (starts.length === items.length ? n + 2 : 1);
  return {
    text: buildPacketText(pages),
    items,
    outline: {
      pages: pages.length,
      // Headings at one level of an HTML page are its structure on purpose: sure.
      confidence: 1,
      items: items.map((item, n) => ({
        number: item.number,
        label: item.label,
        title: item.title,
        firstPage: pageOfItem(n),
        lastPage: pageOfItem(n),
        attachments: [],
      })),
    },
  };
}
