/**
 * Reads a PDF's bookmarks with the pages they point to. Takes the three pdf.js document methods
 * it needs, so the viewer (pdf.js in the browser) and the CLI (pdf.js in Node) share it.
 */
import type { PdfOutlineEntry } from './agenda-references.ts';

interface RawOutlineNode {
  title: string;
  dest: string | unknown[] | null;
  items?: RawOutlineNode[];
}

export interface OutlineSource {
  getOutline(): Promise<unknown>;
  getDestination(name: string): Promise<unknown[] | null>;
  getPageIndex(ref: { num: number; gen: number }): Promise<number>;
}

export interface ResolvedOutlineEntry extends PdfOutlineEntry {
  children: ResolvedOutlineEntry[];
}

/** Bookmarks whose destination cannot be resolved keep their title with page null; a broken outline reads as none. */
export async function readPdfOutline(pdf: OutlineSource): Promise<ResolvedOutlineEntry[]> {
  const raw = ((await pdf.getOutline().catch(() => null)) ?? []) as RawOutlineNode[];
  const pageOf = async (dest: RawOutlineNode['dest']): Promise<number | null> => {
    try {
      const explicit = typeof dest === 'string' ? await pdf.getDestination(dest) : dest;
      const ref = explicit?.[0];
      if (ref === undefined || ref === null) return null;
      return typeof ref === 'number' ? ref + 1 : (await pdf.getPageIndex(ref as { num: number; gen: number })) + 1;
    } catch {
      return null;
    }
  };
  const convert = async (nodes: RawOutlineNode[]): Promise<ResolvedOutlineEntry[]> =>
    Promise.all(nodes.map(async (n) => ({ title: n.title, page: await pageOf(n.dest), children: await convert(n.items ?? []) })));
  return Array.isArray(raw) ? convert(raw) : [];
}
