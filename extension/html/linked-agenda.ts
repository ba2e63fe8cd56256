/**
 * The viewer's question to the remembered agenda pages (agenda-page-memory.ts): does a page that
 * links this PDF know its structure, placed for certain on its pages? The most recently seen
 * page that places is used; none, or none that places every entry, leaves the PDF as it was.
 */

import type { AgendaOutline } from '@randnoter/shared/agenda/outline';
import { placeHtmlAgenda } from '@randnoter/shared/agenda/place-html-agenda';
import { normaliseUrl } from '@randnoter/shared/identity/normalise-url';
import type { PageText } from '@randnoter/shared/text/page-text';
import { agendaPagesLinking, type KeyValueStore } from './agenda-page-memory.ts';

export async function agendaFromLinkingPage(
  store: KeyValueStore,
  pdfUrl: string,
  pages: readonly PageText[],
): Promise<{ outline: AgendaOutline; pageUrl: string } | null> {
  const url = normaliseUrl(pdfUrl);
  if (!url) return null;
  for (const page of await agendaPagesLinking(store, pdfUrl)) {
    const outline = placeHtmlAgenda(page.items, { url, pages, normalise: normaliseUrl });
    if (outline) return { outline, pageUrl: page.url };
  }
  return null;
}
