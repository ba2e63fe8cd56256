/**
 * Draws a rectangle on a page (for scanned pages and figures, which have no text to select).
 * Active only while the user has switched the region tool on; reports the rectangle in
 * fractions of the page, so it stays put at any zoom.
 */
import type { Region } from '@randnoter/shared/model/annotation';
import { pageBox } from './page-box.ts';

export interface RegionDraw {
  setActive(active: boolean): void;
  readonly active: boolean;
  destroy(): void;
}

const clamp = (v: number) => Math.min(1, Math.max(0, v));

export function createRegionDraw(container: HTMLElement, onRegion: (region: Region, screenRect: DOMRect) => void): RegionDraw {
  let active = false;
  let drag: { pageElement: HTMLElement; x: number; y: number; box: HTMLElement } | null = null;

  const onDown = (event: MouseEvent) => {
    if (!active || event.button !== 0) return;
    const pageElement = (event.target as Element).closest<HTMLElement>('.page');
    if (!pageElement) return;
    event.preventDefault(); // no text selection while drawing
    const box = document.createElement('div');
    box.className = 'rn-region';
    pageElement.append(box);
    drag = { pageElement, x: event.clientX, y: event.clientY, box };
  };
  const rectOf = (event: MouseEvent) => {
    if (!drag) return null;
    const page = pageBox(drag.pageElement);
    const x1 = clamp((Math.min(drag.x, event.clientX) - page.left) / page.width);
    const y1 = clamp((Math.min(drag.y, event.clientY) - page.top) / page.height);
    const x2 = clamp((Math.max(drag.x, event.clientX) - page.left) / page.width);
    const y2 = clamp((Math.max(drag.y, event.clientY) - page.top) / page.height);
    return { x: x1, y: y1, w: x2 - x1, h: y2 - y1 };
  };
  const onMove = (event: MouseEvent) => {
    const r = rectOf(event);
    if (!drag || !r) return;
    Object.assign(drag.box.style, { left: `${r.x * 100}%`, top: `${r.y * 100}%`, width: `${r.w * 100}%`, height: `${r.h * 100}%` });
  };
  const onUp = (event: MouseEvent) => {
    const r = rectOf(event);
    if (!drag || !r) return;
    const { pageElement, box } = drag;
    drag = null;
    const screen = box.getBoundingClientRect();
    box.remove();
    if (r.w < 0.01 || r.h < 0.005) return; // a click, not a rectangle
    onRegion({ page: Number(pageElement.dataset.pageNumber), ...r }, screen);
  };
  container.addEventListener('mousedown', onDown);
  window.addEventListener('mousemove', onMove);
  window.addEventListener('mouseup', onUp);
  return {
    setActive(value) {
      active = value;
      container.classList.toggle('rn-drawing', value);
    },
    get active() {
      return active;
    },
    destroy() {
      container.removeEventListener('mousedown', onDown);
      window.removeEventListener('mousemove', onMove);
      window.removeEventListener('mouseup', onUp);
    },
  };
}
