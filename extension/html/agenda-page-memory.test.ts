import type { AgendaBlock } from '@randnoter/shared/agenda/detect-html-agenda';
import { detectHtmlAgenda } from '@randnoter/shared/agenda/detect-html-agenda';
import { describe, expect, it } from 'vitest';
import {
  AGENDA_PAGES_KEY,
  agendaPageOf,
  agendaPagesLinking,
  type KeyValueStore,
  MemoryLimits,
  rememberAgendaPage,
} from './agenda-page-memory.ts';

/** browser.storage.local as far as the memory uses it. */
function memoryStore(initial: Record<string, unknown> = {}): KeyValueStore & { data: Record<string, unknown> } {
  const data: Record<string, unknown> = { ...initial };
  return {
    data,
    get: async (key) => (key in data ? { [key]: structuredClone(data[key]) } : {}),
    set: async (items) => {
      Object.assign(data, structuredClone(items));
    },
  };
}

const PAGE = 'https://dagsorden.example.dk/moede/42?utm_source=mail#top';
const blocks: AgendaBlock[] = [
  { kind: 'link', text: 'Hent hele mødepakken (PDF)', href: 'packet.pdf' },
  { kind: 'heading', level: 2, text: 'Punkt 1: Budget' },
  { kind: 'heading', level: 3, text: 'Bilag' },
  { kind: 'link', text: 'Bilag 1: Notat', href: 'packet.pdf#page=3' },
  { kind: 'link', text: 'Bilag 2: Kort', href: '/filer/kort.pdf' },
  { kind: 'heading', level: 2, text: 'Punkt 2: Eventuelt' },
];

describe('remembered agenda pages', () => {
  it('keeps an agenda page’s items with absolute links, and the documents it links to without their fragments', () => {
    const page = agendaPageOf(PAGE, blocks, detectHtmlAgenda(blocks), '2026-03-10T09:00:00.000Z');
    expect(page?.url).toBe('https://dagsorden.example.dk/moede/42');
    expect(page?.documents.sort()).toEqual([
      'https://dagsorden.example.dk/filer/kort.pdf',
      'https://dagsorden.example.dk/moede/packet.pdf',
    ]);
    expect(page?.items).toEqual([
      {
        number: 1,
        label: 'Punkt 1',
        title: 'Budget',
        attachments: [
          { number: 1, label: 'Bilag 1', title: 'Notat', href: 'https://dagsorden.example.dk/moede/packet.pdf#page=3' },
          { number: 2, label: 'Bilag 2', title: 'Kort', href: 'https://dagsorden.example.dk/filer/kort.pdf' },
        ],
      },
      { number: 2, label: 'Punkt 2', title: 'Eventuelt', attachments: [] },
    ]);
  });

  it('finds the pages that link a PDF, the most recent first, and forgets the oldest past its bound', async () => {
    const store = memoryStore();
    const items = detectHtmlAgenda(blocks);
    for (let i = 0; i < MemoryLimits.pages + 5; i++) {
      const page = agendaPageOf(`https://site.example/moede/${i}`, blocks, items, `2026-03-10T09:00:${String(i).padStart(2, '0')}.000Z`);
      if (page) await rememberAgendaPage(store, page);
    }
    // Seen again: replaced, not repeated.
    const again = agendaPageOf('https://site.example/moede/24', blocks, items, '2026-03-11T09:00:00.000Z');
    if (again) await rememberAgendaPage(store, again);
    const linking = await agendaPagesLinking(store, 'https://site.example/moede/packet.pdf#page=1');
    expect(linking).toHaveLength(MemoryLimits.pages);
    expect(linking[0]?.url).toBe('https://site.example/moede/24');
    expect(linking.map((p) => p.url)).not.toContain('https://site.example/moede/0');
    expect(await agendaPagesLinking(store, 'https://site.example/moede/other.pdf')).toEqual([]);
  });

  it('leaves out what storage holds that is not a remembered page', async () => {
    const good = agendaPageOf(PAGE, blocks, detectHtmlAgenda(blocks), '2026-03-10T09:00:00.000Z');
    const store = memoryStore({
      [AGENDA_PAGES_KEY]: [
        null,
        'x',
        { url: 'u', seen: 's', documents: 'nope', items: [] },
        { ...good, items: [{ number: -1 }, ...(good?.items ?? [])] },
      ],
    });
    const [page, ...rest] = await agendaPagesLinking(store, 'https://dagsorden.example.dk/moede/packet.pdf');
    expect(rest).toEqual([]);
    expect(page?.items.map((i) => i.title)).toEqual(['Budget', 'Eventuelt']);
  });
});
