/**
 * A tiny reader for test pages: headings and links of an HTML string in document order, as the
 * extension's content script hands them to detectHtmlAgenda. Enough for well-formed pages such
 * as the fixture's agenda.html; not a general HTML parser.
 */
import type { AgendaBlock } from '@randnoter/shared/agenda/detect-html-agenda';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function textOf(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x?[0-9a-f]+|\w+);/gi, (whole, name: string) => {
      if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
      if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

export function htmlBlocks(html: string): AgendaBlock[] {
  const blocks: AgendaBlock[] = [];
  const body = html.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, '');
  const pattern = /<h([1-6])\b[^>]*>([\s\S]*?)<\/h\1>|<a\b[^>]*\bhref="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi;
  for (const m of body.matchAll(pattern)) {
    if (m[1]) blocks.push({ kind: 'heading', level: Number(m[1]), text: textOf(m[2] ?? '') });
    else blocks.push({ kind: 'link', href: textOf(m[3] ?? ''), text: textOf(m[4] ?? '') });
  }
  return blocks;
}
