/**
 * Reads a packet PDF in Node with pdf.js: the same text model the extension builds from the text
 * layer (so offsets agree), the PDF outline with page numbers, and the fingerprint.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { type ResolvedOutlineEntry, readPdfOutline } from '@randnoter/shared/agenda/pdf-outline';
import { type TextBox, textBoxesOf } from '@randnoter/shared/export/text-boxes';
import { buildPacketText, buildPageText, type PacketText, type PageText, textItemsOf } from '@randnoter/shared/text/page-text';
import { getDocument, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';

type OutlineEntry = ResolvedOutlineEntry;

export interface ReadPacket {
  pdf: PDFDocumentProxy;
  bytes: Uint8Array;
  fingerprint: string;
  sha256: string;
  pageCount: number;
  /** The PDF's own title (document information), or '' when it has none. */
  title: string;
  text: PacketText;
  /** Where each page's text items are drawn (by page number), for highlights in the annotated packet. */
  boxes: Map<number, TextBox[]>;
  outline: OutlineEntry[];
}

/** A file that cannot be read as a packet; the message is one line for the user. */
export class PacketReadError extends Error {}

export async function readPacketFile(path: string): Promise<ReadPacket> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new PacketReadError(
      code === 'ENOENT'
        ? `${path}: no such file`
        : code === 'EISDIR'
          ? `${path}: is a directory`
          : `${path}: cannot be read (${code ?? 'error'})`,
    );
  }
  return readPacketBytes(bytes, path);
}

export async function readPacketBytes(bytes: Uint8Array, name = 'document'): Promise<ReadPacket> {
  if (bytes.byteLength < 5 || new TextDecoder().decode(bytes.subarray(0, 1024)).indexOf('%PDF-') < 0) {
    throw new PacketReadError(`${name}: not a PDF file`);
  }
  let pdf: PDFDocumentProxy;
  try {
    // pdf.js takes ownership of the buffer it is given; keep ours intact.
    pdf = await getDocument({ data: bytes.slice(), verbosity: 0, useSystemFonts: false, stopAtErrors: false }).promise;
  } catch (error) {
    const kind = (error as { name?: string }).name;
    if (kind === 'PasswordException') throw new PacketReadError(`${name}: the PDF is encrypted (password protected)`);
    throw new PacketReadError(`${name}: the PDF is damaged or unreadable (${(error as Error).message})`);
  }
  try {
    const pages: PageText[] = [];
    const boxes = new Map<number, TextBox[]>();
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent({ disableNormalization: true });
      pages.push(buildPageText(n, textItemsOf(content.items)));
      boxes.set(n, textBoxesOf(content.items));
      page.cleanup();
    }
    const fingerprint = pdf.fingerprints[0] ?? createHash('md5').update(bytes).digest('hex');
    const info = (await pdf.getMetadata().catch(() => null))?.info as { Title?: unknown } | undefined;
    return {
      pdf,
      bytes,
      fingerprint,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      pageCount: pdf.numPages,
      title: typeof info?.Title === 'string' ? info.Title.trim() : '',
      text: buildPacketText(pages),
      boxes,
      outline: await readPdfOutline(pdf),
    };
  } catch (error) {
    await pdf.loadingTask.destroy();
    if (error instanceof PacketReadError) throw error;
    throw new PacketReadError(`${name}: the PDF is damaged or unreadable (${(error as Error).message})`);
  }
}
