/**
 * What Randnoter adds to a portal's pdf.js viewer, in the viewer's frame, all inside one closed
 * shadow root: the highlight boxes over the portal's own pages, the "Tilføj note" / "Del
 * kommentar" buttons at a selection, and the layer a region note is drawn on. The page's script can see the host element, not what is in
 * it; boxes carry annotation ids only, never note text. The boxes sit in a fixed layer clipped to
 * the viewer's scrolling box, so they never cover the portal's toolbars.
 */
import type { ObservableV2 } from 'lib0/observable';
import { createNoteActions } from '../html/user-events.ts';

const STYLE = `
:host { all: initial; }
.marks { position: fixed; overflow: hidden; pointer-events: none; z-index: 2147483646; }
.mark { position: absolute; mix-blend-mode: multiply; border-radius: 2px; background: rgb(255 214 0 / 0.45); }
.mark.comment, .mark.reply { background: rgb(0 160 255 / 0.35); }
.mark.region { background: rgb(255 214 0 / 0.2); outline: 2px solid rgb(230 170 0 / 0.8); }
.mark.focused { box-shadow: 0 0 0 2px rgb(220 40 40 / 0.55); }
.draw { position: fixed; z-index: 2147483646; cursor: crosshair; }
.draw[hidden] { display: none; }
.band { position: fixed; pointer-events: none; background: rgb(255 200 0 / 0.15); border: 2px dashed rgb(192 112 0); box-sizing: border-box; }
.band[hidden] { display: none; }
.actions { position: fixed; z-index: 2147483647; display: flex; gap: 4px; background: #1f2933; padding: 4px; border-radius: 6px; box-shadow: 0 2px 8px rgb(0 0 0 / 0.3); font: 13px system-ui, sans-serif; }
.actions[hidden], .actions button[hidden] { display: none; }
.actions button { background: #fff; border: 0; border-radius: 4px; padding: 4px 8px; cursor: pointer; font: inherit; }
`;

/** A highlight box in viewport coordinates. */
export interface MarkBox {
  id: string;
  kind: string;
  region: boolean;
  focused: boolean;
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface ViewerOverlay {
  /** Draws these boxes, clipped to `clip` (the viewer's scrolling box, viewport coordinates). */
  drawMarks(boxes: readonly MarkBox[], clip: DOMRect): void;
  /** The id of the box under a viewport point, if any. */
  markAt(clientX: number, clientY: number): string | null;
  showActions(rect: DOMRect | null, canShare: boolean): void;
  /** The layer a region is drawn on, over `clip` (the viewer's scrolling box), or none (null). */
  drawing(clip: DOMRect | null): void;
  /** The rectangle being drawn (viewport coordinates), or none. */
  band(rect: DOMRect | null): void;
  /** Where the user draws: listen here for the drag (the layer is shown only while drawing). */
  readonly drawLayer: HTMLElement;
  readonly events: ObservableV2<{ action: (kind: 'note' | 'comment') => void }>;
  destroy(): void;
}

export function createViewerOverlay(labels: { addNote: string; shareComment: string }): ViewerOverlay {
  const host = document.createElement('randnoter-overlay');
  const root = host.attachShadow({ mode: 'closed' });
  const style = document.createElement('style');
  style.textContent = STYLE;
  const marksLayer = document.createElement('div');
  marksLayer.className = 'marks';
  const { element: actions, shareButton, events } = createNoteActions(labels);
  const drawLayer = document.createElement('div');
  drawLayer.className = 'draw';
  drawLayer.hidden = true;
  const bandBox = document.createElement('div');
  bandBox.className = 'band';
  bandBox.hidden = true;
  root.append(style, marksLayer, drawLayer, bandBox, actions);
  const place = (element: HTMLElement, r: DOMRect) =>
    Object.assign(element.style, { left: `${r.left}px`, top: `${r.top}px`, width: `${r.width}px`, height: `${r.height}px` });
  document.documentElement.append(host);
  let drawn: readonly MarkBox[] = [];

  return {
    drawMarks(boxes, clip) {
      drawn = boxes;
      Object.assign(marksLayer.style, {
        left: `${clip.left}px`,
        top: `${clip.top}px`,
        width: `${clip.width}px`,
        height: `${clip.height}px`,
      });
      marksLayer.replaceChildren(
        ...boxes.map((b) => {
          const box = document.createElement('div');
          box.className = `mark ${b.kind}${b.region ? ' region' : ''}${b.focused ? ' focused' : ''}`;
          Object.assign(box.style, {
            left: `${b.left - clip.left}px`,
            top: `${b.top - clip.top}px`,
            width: `${b.width}px`,
            height: `${b.height}px`,
          });
          return box;
        }),
      );
    },
    markAt(x, y) {
      const clip = marksLayer.getBoundingClientRect();
      if (x < clip.left || x > clip.right || y < clip.top || y > clip.bottom) return null;
      const hit = drawn.find((b) => x >= b.left && x <= b.left + b.width && y >= b.top && y <= b.top + b.height);
      return hit?.id ?? null;
    },
    showActions(rect, canShare) {
      if (!rect) {
        actions.hidden = true;
        return;
      }
      shareButton.hidden = !canShare;
      actions.hidden = false;
      actions.style.left = `${Math.max(8, rect.left)}px`;
      actions.style.top = `${Math.min(window.innerHeight - 40, rect.bottom + 6)}px`;
    },
    drawing(clip) {
      drawLayer.hidden = clip === null;
      if (clip) place(drawLayer, clip);
    },
    band(rect) {
      bandBox.hidden = rect === null;
      if (rect) place(bandBox, rect);
    },
    drawLayer,
    events,
    destroy() {
      events.destroy();
      host.remove();
    },
  };
}
