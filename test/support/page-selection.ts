/** Text selected in a page by a script, as the page itself (or a test) can. */
import type { Frame, Page } from 'playwright-core';

/** Selects `text` with a script, the way the page itself can; returns its rectangle (viewport). */
export function selectWithScript(page: Page | Frame, text: string): Promise<{ left: number; right: number; top: number; bottom: number }> {
  return page.evaluate((wanted) => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
      const at = node.data.indexOf(wanted);
      if (at < 0) continue;
      node.parentElement?.scrollIntoView({ block: 'center' });
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + wanted.length);
      const selection = document.getSelection() as Selection;
      selection.removeAllRanges();
      selection.addRange(range);
      const { left, right, top, bottom } = range.getBoundingClientRect();
      return { left, right, top, bottom };
    }
    throw new Error(`"${wanted}" not on the page`);
  }, text);
}
