/**
 * What Randnoter adds to an HTML agenda page, all inside one closed shadow root: the sidebar
 * frame (an extension page, so the host page cannot read it), the actions toolbar at a text
 * selection, and highlight boxes. Highlights carry ids only, never note text.
 */
import { offsetToItemPosition, type PageText } from '@randnoter/shared/text/page-text';
import type { ObservableV2 } from 'lib0/observable';
import type { MarkMessage } from '../messaging/sidebar-messages.ts';
import { applyColour } from '../utils/note-colours.ts';
import type { DomText } from './dom-text.ts';
import { createNoteActions } from './user-events.ts';

const WIDTH = 380;

const STYLE = `
:host { all: initial; }
.frame { position: fixed; top: 0; right: 0; width: ${WIDTH}px; height: 100vh; border: 0; border-left: 1px solid #c8ccd2; background: #f6f7f9; z-index: 2147483647; box-shadow: -2px 0 8px rgb(0 0 0 / 0.12); }
.frame[hidden] { display: none; }
.actions { position: absolute; z-index: 2147483647; display: flex; gap: 4px; background: #1f2933; padding: 4px; border-radius: 6px; box-shadow: 0 2px 8px rgb(0 0 0 / 0.3); font: 13px system-ui, sans-serif; }
.actions[hidden] { display: none; }
.actions button { background: #fff; border: 0; border-radius: 4px; padding: 4px 8px; cursor: pointer; font: inherit; }
.marks { position: absolute; top: 0; left: 0; width: 0; height: 0; pointer-events: none; }
.mark { position: absolute; mix-blend-mode: multiply; border-radius: 2px; background: color-mix(in srgb, var(--rn-mark, rgb(240 228 66)) 55%, transparent); }
.mark.comment, .mark.reply { background: color-mix(in srgb, var(--rn-mark, rgb(86 180 233)) 40%, transparent); }
.mark.focused { box-shadow: 0 0 0 2px rgb(220 40 40 / 0.55); }
`;

export interface PageOverlay {
  readonly frame: HTMLIFrameElement;
  setSidebarOpen(open: boolean): void;
  readonly sidebarOpen: boolean;
  showActions(rect: DOMRect | null, canShare: boolean): void;
  drawMarks(marks: readonly MarkMessage[]): void;
  markAt(clientX: number, clientY: number): string | null;
  /** `action`: the user pressed "Tilføj note" or "Del kommentar" at a selection. */
  readonly events: ObservableV2<{ action: (kind: 'note' | 'comment') => void }>;
  rangeOf(start: number, end: number): Range | null;
  destroy(): void;
}

export function createPageOverlay(
  frameUrl: string,
  dom: DomText,
  page: PageText,
  labels: { addNote: string; shareComment: string; sidebar: string },
): PageOverlay {
  const host = document.createElement('randnoter-sidebar');
  const root = host.attachShadow({ mode: 'closed' });
  const style = document.createElement('style');
  style.textContent = STYLE;
  const frame = document.createElement('iframe');
  frame.className = 'frame';
  frame.src = frameUrl;
  frame.title = labels.sidebar;
  frame.hidden = true;
  const { element: actions, shareButton, events } = createNoteActions(labels);
  const marksLayer = document.createElement('div');
  marksLayer.className = 'marks';
  root.append(style, marksLayer, actions, frame);
  document.documentElement.append(host);

  let marks: readonly MarkMessage[] = [];
  const originalMargin = document.documentElement.style.marginRight;

  const rangeOf = (start: number, end: number): Range | null => {
    const from = offsetToItemPosition(page, start);
    const to = offsetToItemPosition(page, end);
    const a = dom.nodes[from.itemIndex];
    const b = dom.nodes[to.itemIndex];
    if (!a || !b) return null;
    const range = document.createRange();
    range.setStart(a, Math.min(from.rawIndex, a.data.length));
    range.setEnd(b, Math.min(to.rawIndex, b.data.length));
    return range;
  };

  const draw = () => {
    marksLayer.replaceChildren();
    for (const mark of marks) {
      const range = rangeOf(mark.start, mark.end);
      if (!range) continue;
      for (const rect of range.getClientRects()) {
        if (rect.width < 0.5 || rect.height < 0.5) continue;
        const box = document.createElement('div');
        box.className = `mark ${mark.kind}${mark.focused ? ' focused' : ''}`;
        box.dataset.id = mark.id;
        applyColour(box, mark.color);
        Object.assign(box.style, {
          left: `${rect.left + window.scrollX}px`,
          top: `${rect.top + window.scrollY}px`,
          width: `${rect.width}px`,
          height: `${rect.height}px`,
        });
        marksLayer.append(box);
      }
    }
  };
  const resize = new ResizeObserver(() => draw());
  resize.observe(document.body);

  return {
    frame,
    setSidebarOpen(open) {
      frame.hidden = !open;
      document.documentElement.style.marginRight = open ? `${WIDTH}px` : originalMargin;
      draw();
    },
    get sidebarOpen() {
      return !frame.hidden;
    },
    showActions(rect, canShare) {
      if (!rect) {
        actions.hidden = true;
        return;
      }
      shareButton.hidden = !canShare;
      actions.hidden = false;
      actions.style.left = `${Math.max(8, rect.left + window.scrollX)}px`;
      actions.style.top = `${rect.bottom + window.scrollY + 6}px`;
    },
    drawMarks(next) {
      marks = next;
      draw();
    },
    markAt(x, y) {
      for (const box of marksLayer.querySelectorAll<HTMLElement>('.mark')) {
        const r = box.getBoundingClientRect();
        if (x >= r.left && x <= r.right && y >= r.top && y <= r.bottom) return box.dataset.id ?? null;
      }
      return null;
    },
    events,
    rangeOf,
    destroy() {
      events.destroy();
      resize.disconnect();
      document.documentElement.style.marginRight = originalMargin;
      host.remove();
    },
  };
}
