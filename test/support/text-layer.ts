/**
 * Words in a pdf.js viewer's text layer, for the tests of Randnoter on a portal's own viewer:
 * the span holding them, where they are (to compare with what the overlay paints), and selecting
 * them as a user's drag would.
 */
import type { Frame, Locator, Page } from 'playwright-core';

/** The text-layer span of page `page` holding `text` (not pdf.js's marked-content wrappers), waited for and scrolled into view. */
export async function textLayerSpan(viewer: Frame | Page, page: number, text: string): Promise<Locator> {
  await viewer.locator(`.page[data-page-number="${page}"]`).scrollIntoViewIfNeeded();
  const span = viewer.locator(`.page[data-page-number="${page}"] .textLayer span:not(.markedContent)`, { hasText: text }).first();
  await span.waitFor({ timeout: 30_000 });
  await span.scrollIntoViewIfNeeded();
  return span;
}

/** Where `text` is inside `span`, in its frame's viewport; left selected when `select`. */
export function wordsRect(
  span: Locator,
  text: string,
  select = false,
): Promise<{ left: number; top: number; right: number; bottom: number; width: number; height: number }> {
  return span.evaluate(
    (el, { wanted, select }) => {
      const node = el.firstChild as Text;
      const range = document.createRange();
      range.setStart(node, node.data.indexOf(wanted));
      range.setEnd(node, node.data.indexOf(wanted) + wanted.length);
      if (select) {
        document.getSelection()?.removeAllRanges();
        document.getSelection()?.addRange(range);
      }
      const { left, top, right, bottom, width, height } = range.getBoundingClientRect();
      return { left, top, right, bottom, width, height };
    },
    { wanted: text, select },
  );
}

/** A thin strip through the middle of a rectangle: compared as pixels, marked against unmarked. */
export function stripThrough(r: { left: number; top: number; width: number; height: number }, offset = { x: 0, y: 0 }) {
  return { x: offset.x + r.left + 2, y: offset.y + r.top + r.height / 2 - 2, width: Math.max(4, r.width - 4), height: 4 };
}
