/** The viewer's frame: toolbar, "Indhold" navigation, the pdf.js container, "Overblik" and the status line. */
import type { Messages } from '../../i18n/messages.ts';
import { h } from '../../utils/dom.ts';

export interface Layout {
  toolbar: HTMLElement;
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
  const pageInput = h('input', { type: 'number', min: 1, value: 1, 'aria-label': t.pageNumber, class: 'rn-page-input' });
  const pageCount = h('span', { class: 'rn-page-count' });
  const prev = h('button', { type: 'button', 'aria-label': t.previousPage, title: t.previousPage }, '‹');
  const next = h('button', { type: 'button', 'aria-label': t.nextPage, title: t.nextPage }, '›');
  const zoomOut = h('button', { type: 'button', 'aria-label': t.zoomOut, title: t.zoomOut }, '−');
  const zoomIn = h('button', { type: 'button', 'aria-label': t.zoomIn, title: t.zoomIn }, '+');
  const search = h('input', { type: 'search', 'aria-label': t.search, placeholder: t.search, class: 'rn-search' });
  const pageNote = h('button', { type: 'button', class: 'rn-tool' }, t.pageNote);
  const regionNote = h('button', { type: 'button', class: 'rn-tool', 'aria-pressed': 'false', title: t.regionHint }, t.regionNote);
  const original = h('a', { href: fileUrl, target: '_blank', rel: 'noopener noreferrer', class: 'rn-original' }, t.original);
  const toolbar = h(
    'header',
    { class: 'rn-toolbar' },
    h('strong', { class: 'rn-brand' }, t.appName),
    prev,
    pageInput,
    pageCount,
    next,
    zoomOut,
    zoomIn,
    pageNote,
    regionNote,
    search,
    original,
  );
  const contents = h('nav', { class: 'rn-contents', 'aria-label': t.contents }, h('h2', { class: 'rn-pane-title' }, t.contents));
  const viewer = h('div', { id: 'viewer', class: 'pdfViewer' });
  const container = h('div', { id: 'viewerContainer', class: 'rn-viewer-container', tabindex: 0 }, viewer);
  const overview = h('aside', { class: 'rn-overview', 'aria-label': t.overview });
  const status = h('p', { class: 'rn-status', role: 'status', 'aria-live': 'polite' });
  const message = h('p', { class: 'rn-message', role: 'alert', hidden: true });
  app.replaceChildren(
    toolbar,
    h('div', { class: 'rn-body' }, contents, h('main', { class: 'rn-main' }, message, container), overview),
    h('footer', { class: 'rn-footer' }, status),
  );
  return {
    toolbar,
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
}
