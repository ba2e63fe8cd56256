/**
 * The sidebar's frame, the same beside an HTML agenda and beside a portal's pdf.js viewer:
 * Indhold, the Overblik and the status line, named in the user's language and emptied each time
 * the annotator starts again (the settings changed).
 */

import type { AnnotatorPlaces } from '../../annotator/start-annotator.ts';
import type { Messages } from '../../i18n/messages.ts';
import { h } from '../../utils/dom.ts';

export interface SidebarPanes extends AnnotatorPlaces {
  /** Names the panes in `t`'s language and empties them, for an annotator starting anew. */
  reset(t: Messages, language: string): void;
}

export function mountSidebarPanes(): SidebarPanes {
  const contents = h('nav', { class: 'rn-contents rn-sidebar-contents' });
  const overview = h('aside', { class: 'rn-overview' });
  const status = h('p', { class: 'rn-status', role: 'status', 'aria-live': 'polite' });
  (document.getElementById('app') as HTMLElement).replaceChildren(contents, overview, h('footer', { class: 'rn-footer' }, status));
  return {
    contents,
    overview,
    status,
    reset(t, language) {
      document.documentElement.lang = language;
      contents.setAttribute('aria-label', t.contents);
      overview.setAttribute('aria-label', t.overview);
      for (const pane of [contents, overview, status]) pane.replaceChildren();
    },
  };
}
