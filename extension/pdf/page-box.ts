/**
 * The rectangle a page's layers are laid out in: its padding box. pdf.js draws a border around
 * each page, so the border box (getBoundingClientRect) is off by the border width.
 */
export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export function pageBox(pageElement: HTMLElement): Box {
  const rect = pageElement.getBoundingClientRect();
  return {
    left: rect.left + pageElement.clientLeft,
    top: rect.top + pageElement.clientTop,
    width: pageElement.clientWidth,
    height: pageElement.clientHeight,
  };
}
