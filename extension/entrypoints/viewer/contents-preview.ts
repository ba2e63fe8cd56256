/**
 * Indhold while a big packet's pages are still being read (issue 33): the agenda detected on the
 * pages read so far, redrawn as more come, under how far the reading has got ("Læser side 120 af
 * 300"). It only lists and jumps: notes, counts, corrections and everything else that needs the
 * whole text come with the annotator, which takes its place once every page is read.
 */

import type { PageText } from '@randnoter/shared/text/page-text';
import { createContentsPane } from '../../components/contents-pane.ts';
import type { Messages } from '../../i18n/messages.ts';
import { h } from '../../utils/dom.ts';
import type { AgendaDetector } from './agenda-detector.ts';

/** Detection runs over every page read so far: at most this often while reading, so reading is not held up. */
const DETECT_EVERY_MS = 500;

export interface ContentsPreview {
  /** The pages read so far, in page order. */
  update(pages: readonly PageText[]): void;
  /** Gives Indhold back to the annotator. */
  destroy(): void;
}

export function createContentsPreview(
  root: HTMLElement,
  t: Messages,
  options: { pageCount: number; detector: AgendaDetector; jump: (page: number) => void },
): ContentsPreview {
  const status = h('p', { class: 'rn-reading', role: 'status' });
  const host = h('div', { class: 'rn-contents-preview' }, status);
  root.append(host);
  const pane = createContentsPane(host, t, options.jump);
  let detectedAt = Number.NEGATIVE_INFINITY;
  let detecting = false;
  let destroyed = false;
  return {
    update(pages) {
      status.textContent = t.readingPages(pages.length, options.pageCount);
      const now = performance.now();
      // One detection at a time: the next starts once it has answered and the interval has passed.
      if (detecting || now - detectedAt < DETECT_EVERY_MS) return;
      detectedAt = now;
      detecting = true;
      options.detector
        .detect(pages)
        .then(({ outline }) => {
          if (!destroyed && outline.items.length > 0) pane.render(outline, new Map(), [], null);
        })
        .catch((error: unknown) => console.error('Randnoter: the agenda could not be detected yet', error))
        .finally(() => {
          detecting = false;
        });
    },
    destroy() {
      destroyed = true;
      host.remove();
    },
  };
}
