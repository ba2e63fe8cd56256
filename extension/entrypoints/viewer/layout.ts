/** The viewer's frame: toolbar, "Indhold" navigation, the pdf.js container, "Overblik" and the status line. */

import { icon } from '../../components/icons.ts';
import type { Messages } from '../../i18n/messages.ts';
import { h } from '../../utils/dom.ts';

export interface Layout {
  toolbar: HTMLElement;
  brand: HTMLElement;
  pageInput: HTMLInputElement;
  pageCount: HTMLElement;
  prev: HTMLButtonElement;
  next: HTMLButtonElement;
  zoomIn: HTMLButtonElement;
  zoomOut: HTMLButtonElement;
  search: HTMLInputElement;
  original: HTMLAnchorElement;
  pageNote: HTMLButtonElement;
  regionNote: HTMLButtonElement;
  contents: HTMLElement;
  container: HTMLDivElement;
  overview: HTMLElement;
  status: HTMLElement;
  message: HTMLElement;
}

export function buildLayout(app: HTMLElement, t: Messages, fileUrl: string): Layout {
  const pageInput = h('input', { type: 'number', min: 1, value: 1, class: 'rn-page-input' });
  const pageCount = h('span', { class: 'rn-page-count' });
  const prev = h('button', { type: 'button', class: 'rn-icon-button' }, icon('previous'));
  const next = h('button', { type: 'button', class: 'rn-icon-button' }, icon('next'));
  const zoomOut = h('button', { type: 'button', class: 'rn-icon-button' }, icon('zoomOut'));
  const zoomIn = h('button', { type: 'button', class: 'rn-icon-button' }, icon('zoomIn'));
  const search = h('input', { type: 'search', class: 'rn-search' });
  const pageNote = h('button', { type: 'button', class: 'rn-tool rn-with-icon' }, icon('pageNote'), h('span', {}));
  const regionNote = h('button', { type: 'button', class: 'rn-tool rn-with-icon', 'aria-pressed': 'false' }, icon('region'), h('span', {}));
  const original = h(
    'a',
    { href: fileUrl, target: '_blank', rel: 'noopener noreferrer', class: 'rn-original rn-with-icon' },
    icon('external'),
    h('span', {}),
  );
  const brand = h('strong', { class: 'rn-brand' });
  // As pdf.js's own viewer: page buttons around the page field, zoom, the tools, search at the end.
  const group = (...children: HTMLElement[]) => h('div', { class: 'rn-toolbar-group' }, ...children);
  const toolbar = h(
    'header',
    { class: 'rn-toolbar' },
    brand,
    group(prev, pageInput, pageCount, next),
    group(zoomOut, zoomIn),
    group(pageNote, regionNote),
    search,
    original,
  );
  const contents = h('nav', { class: 'rn-contents' });
  const viewer = h('div', { id: 'viewer', class: 'pdfViewer' });
  const container = h('div', { id: 'viewerContainer', class: 'rn-viewer-container', tabindex: 0 }, viewer);
  const overview = h('aside', { class: 'rn-overview' });
  const status = h('p', { class: 'rn-status', role: 'status', 'aria-live': 'polite' });
  const message = h('p', { class: 'rn-message', role: 'alert', hidden: true });
  app.replaceChildren(
    toolbar,
    h('div', { class: 'rn-body' }, contents, h('main', { class: 'rn-main' }, message, container), overview),
    h('footer', { class: 'rn-footer' }, status),
  );
  const layout = {
    toolbar,
    brand,
    pageInput,
    pageCount,
    prev,
    next,
    zoomIn,
    zoomOut,
    search,
    original,
    pageNote,
    regionNote,
    contents,
    container,
    overview,
    status,
    message,
  };
  labelLayout(layout, t);
  return layout;
}

/**
 * Names everything in the frame in the user's language and empties the panes the annotator
 * fills: when the document opens, and again when the settings change while it is open.
 */
export function labelLayout(layout: Layout, t: Messages): void {
  const label = (element: HTMLElement, text: string) => {
    element.setAttribute('aria-label', text);
    element.title = text;
  };
  layout.brand.textContent = t.appName;
  layout.pageInput.setAttribute('aria-label', t.pageNumber);
  label(layout.prev, t.previousPage);
  label(layout.next, t.nextPage);
  label(layout.zoomOut, t.zoomOut);
  label(layout.zoomIn, t.zoomIn);
  layout.search.setAttribute('aria-label', t.search);
  layout.search.placeholder = t.search;
  const text = (element: HTMLElement, value: string) => {
    const span = element.querySelector('span');
    if (span) span.textContent = value;
  };
  text(layout.pageNote, t.pageNote);
  text(layout.regionNote, t.regionNote);
  layout.regionNote.title = t.regionHint;
  text(layout.original, t.original);
  layout.contents.setAttribute('aria-label', t.contents);
  layout.contents.replaceChildren(h('h2', { class: 'rn-pane-title' }, t.contents));
  layout.overview.setAttribute('aria-label', t.overview);
  layout.overview.replaceChildren();
  layout.status.replaceChildren();
}
