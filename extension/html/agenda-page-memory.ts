/**
 * The HTML agenda pages this browser has shown the sidebar on, and the documents each links to,
 * so that a packet PDF opened from one can take the page's structure when its own is unsure
 * (shared/agenda/place-html-agenda.ts). Kept in the extension's local storage, written by the
 * sidebar frame (an extension page: content scripts cannot write storage), read by the viewer.
 * Bounded: the most recent pages only, each cut to the sizes an agenda needs.
 */
import type { AgendaBlock, HtmlAgendaItem } from '@randnoter/shared/agenda/detect-html-agenda';
import { documentLinks } from '@randnoter/shared/agenda/detect-html-agenda';
import type { LinkedItem } from '@randnoter/shared/agenda/place-html-agenda';
import { normaliseUrl } from '@randnoter/shared/identity/normalise-url';

export interface RememberedPage {
  /** The agenda page's address (normalised). */
  url: string;
  /** ISO time it was last shown. */
  seen: string;
  /** The documents it links to (normalised, no fragment). */
  documents: string[];
  items: LinkedItem[];
}

/** The part of browser.storage.local this needs (a literal in tests). */
export interface KeyValueStore {
  get(key: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

export const AGENDA_PAGES_KEY = 'agendaPages';
export const MemoryLimits = { pages: 20, items: 300, attachmentsPerItem: 100, documents: 1_000, titleChars: 1_000, urlChars: 4_096 };

const text = (v: unknown, max: number): string | null => (typeof v === 'string' && v.length <= max ? v : null);
const whole = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 1_000_000;

/** Stored entries as read back: anything malformed is left out (storage may hold an older shape). */
function readPages(v: unknown): RememberedPage[] {
  if (!Array.isArray(v)) return [];
  const pages: RememberedPage[] = [];
  for (const entry of v.slice(0, MemoryLimits.pages)) {
    if (typeof entry !== 'object' || entry === null) continue;
    const e = entry as Record<string, unknown>;
    const url = text(e.url, MemoryLimits.urlChars);
    const seen = text(e.seen, 40);
    if (!url || !seen || !Array.isArray(e.documents) || !Array.isArray(e.items)) continue;
    const items = e.items.flatMap((raw): LinkedItem[] => {
      const i = raw as Record<string, unknown>;
      const label = text(i?.label, 64);
      const title = text(i?.title, MemoryLimits.titleChars);
      if (!whole(i?.number) || label === null || title === null || !Array.isArray(i.attachments)) return [];
      const attachments = i.attachments.flatMap((rawA) => {
        const a = rawA as Record<string, unknown>;
        const aTitle = text(a?.title, MemoryLimits.titleChars);
        const href = text(a?.href, MemoryLimits.urlChars);
        const aLabel = a?.label === null ? null : text(a?.label, 64);
        return whole(a?.number) && aTitle !== null && href !== null && aLabel !== undefined
          ? [{ number: a.number as number, label: aLabel, title: aTitle, href }]
          : [];
      });
      return [{ number: i.number as number, label, title, attachments }];
    });
    const documents = e.documents.filter((d): d is string => typeof d === 'string');
    pages.push({ url, seen, documents, items });
  }
  return pages;
}

/** What to remember of an agenda page: its items with their links made absolute, and the documents it links to. */
export function agendaPageOf(
  pageUrl: string,
  blocks: readonly AgendaBlock[],
  items: readonly HtmlAgendaItem[],
  now: string,
): RememberedPage | null {
  const url = normaliseUrl(pageUrl);
  if (!url) return null;
  const absolute = (href: string) => {
    try {
      const resolved = new URL(href, pageUrl).href;
      return resolved.length <= MemoryLimits.urlChars ? resolved : null;
    } catch {
      return null;
    }
  };
  const documents = documentLinks(blocks, items)
    .map((href) => {
      const resolved = absolute(href);
      return resolved && normaliseUrl(resolved);
    })
    .filter((d): d is string => typeof d === 'string');
  return {
    url,
    seen: now,
    documents: [...new Set(documents)].slice(0, MemoryLimits.documents),
    items: items.slice(0, MemoryLimits.items).map((item) => ({
      number: item.number,
      label: item.label.slice(0, 64),
      title: item.title.slice(0, MemoryLimits.titleChars),
      attachments: item.attachments.slice(0, MemoryLimits.attachmentsPerItem).flatMap((a) => {
        const href = absolute(a.href);
        return href
          ? [{ number: a.number, label: a.label?.slice(0, 64) ?? null, title: a.title.slice(0, MemoryLimits.titleChars), href }]
          : [];
      }),
    })),
  };
}

/** Remembers a page (replacing what was known of it), the most recent first, the oldest forgotten. */
export async function rememberAgendaPage(store: KeyValueStore, page: RememberedPage): Promise<void> {
  const known = readPages((await store.get(AGENDA_PAGES_KEY))[AGENDA_PAGES_KEY]).filter((p) => p.url !== page.url);
  await store.set({ [AGENDA_PAGES_KEY]: [page, ...known].slice(0, MemoryLimits.pages) });
}

/** The remembered agenda pages that link to this document, the most recently seen first. */
export async function agendaPagesLinking(store: KeyValueStore, documentUrl: string): Promise<RememberedPage[]> {
  const url = normaliseUrl(documentUrl);
  if (!url) return [];
  const pages = readPages((await store.get(AGENDA_PAGES_KEY))[AGENDA_PAGES_KEY]);
  return pages.filter((p) => p.documents.includes(url)).sort((a, b) => b.seen.localeCompare(a.seen));
}
