/** "Indhold" for packets whose agenda was not recognised: the PDF bookmarks as links into the document. */
import type { PDFDocumentProxy } from 'pdfjs-dist';
import type { PdfView } from '../../pdf/pdf-view.ts';
import { h } from '../../utils/dom.ts';

interface OutlineNode {
  title: string;
  dest: string | unknown[] | null;
  items: OutlineNode[];
}

export async function renderBookmarks(host: HTMLElement, pdf: PDFDocumentProxy, view: PdfView): Promise<void> {
  const outline = (await pdf.getOutline().catch(() => null)) as OutlineNode[] | null;
  if (!outline || outline.length === 0) return;
  const list = (nodes: OutlineNode[]): HTMLElement =>
    h(
      'ul',
      {},
      ...nodes.map((node) =>
        h(
          'li',
          {},
          h(
            'button',
            { type: 'button', onclick: () => node.dest && void view.viewer.linkService.goToDestination(node.dest as string) },
            node.title,
          ),
          node.items.length > 0 ? list(node.items) : null,
        ),
      ),
    );
  host.append(list(outline));
}
