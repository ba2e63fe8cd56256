/**
 * A PDF that a portal shows with the browser's own viewer, in an `<iframe>`, `<embed>` or
 * `<object>`, is replaced in place by Randnoter's viewer: the element is hidden and Randnoter's
 * viewer takes its box, in a frame inside a closed shadow root (so the page cannot read the
 * viewer's address, which in Chrome changes every session). The viewer fetches the PDF itself,
 * with the user's cookies, and names the packet by its fingerprint as always.
 */

const STYLE = `
:host { all: initial; display: block; }
iframe { display: block; width: 100%; height: 100%; border: 0; }
`;

/** The PDF address an element shows with the browser's viewer, or null. */
function pdfShownBy(element: Element, base: string): string | null {
  const type = element.getAttribute('type')?.toLowerCase();
  const src =
    element instanceof HTMLIFrameElement || element instanceof HTMLEmbedElement
      ? element.getAttribute('src')
      : element instanceof HTMLObjectElement
        ? element.getAttribute('data')
        : null;
  if (!src) return null;
  let url: URL;
  try {
    url = new URL(src, base);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const samePdfDocument =
    element instanceof HTMLIFrameElement &&
    (() => {
      try {
        return element.contentDocument?.contentType === 'application/pdf';
      } catch {
        return false;
      }
    })();
  const looksPdf = type === 'application/pdf' || /\.pdf$/i.test(url.pathname) || samePdfDocument;
  return looksPdf ? url.href : null;
}

/** Hides `element` and puts Randnoter's viewer of `viewerUrl` in its place; returns the undo. */
export function replaceWithViewer(element: HTMLElement, viewerUrl: string, title: string): () => void {
  const { width, height } = element.getBoundingClientRect();
  const host = document.createElement('randnoter-viewer');
  const root = host.attachShadow({ mode: 'closed' });
  const style = document.createElement('style');
  style.textContent = STYLE;
  const frame = document.createElement('iframe');
  frame.src = viewerUrl;
  frame.title = title;
  root.append(style, frame);
  host.style.width = `${Math.max(width, 320)}px`;
  host.style.height = `${Math.max(height, 400)}px`;
  const display = element.style.display;
  element.before(host);
  element.style.display = 'none';
  return () => {
    host.remove();
    element.style.display = display;
  };
}

/** Every element of the document that shows a PDF with the browser's viewer, not yet replaced. */
export function pdfElementsIn(doc: Document, replaced: WeakSet<Element>): Array<{ element: HTMLElement; url: string }> {
  const out: Array<{ element: HTMLElement; url: string }> = [];
  for (const element of doc.querySelectorAll<HTMLElement>('iframe[src], embed[src], object[data]')) {
    if (replaced.has(element)) continue;
    const url = pdfShownBy(element, doc.baseURI);
    if (url) out.push({ element, url });
  }
  return out;
}
