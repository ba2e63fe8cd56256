/**
 * Reading exported files the way other programs do: poppler (pdftotext, pdfinfo, pdffonts),
 * Debian's LibreOffice (DOCX → PDF), and pdf.js for PDF annotations. Never our own code.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { onPath } from './system-parts.ts';

function run(command: string, args: string[], timeout = 120_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(command, args, { timeout, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** The text poppler extracts, whitespace collapsed (as the fixtures' truth is written). */
export async function pdftotext(file: string, pages?: { first: number; last: number }): Promise<string> {
  const range = pages ? ['-f', String(pages.first), '-l', String(pages.last)] : [];
  const { code, stdout, stderr } = await run('pdftotext', ['-enc', 'UTF-8', ...range, file, '-']);
  if (code !== 0) throw new Error(`pdftotext failed: ${stderr}`);
  return stdout.replace(/\s+/g, ' ').trim();
}

export async function pdfinfo(file: string): Promise<{ pages: number; stderr: string; fields: Record<string, string> }> {
  const { stdout, stderr } = await run('pdfinfo', [file]);
  const fields: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const match = /^([^:]+):\s*(.*)$/.exec(line);
    if (match) fields[match[1] as string] = match[2] as string;
  }
  return { pages: Number(fields.Pages), stderr, fields };
}

/** `pdffonts` rows: name, type, embedded, has ToUnicode. */
export async function pdffonts(file: string): Promise<Array<{ name: string; embedded: boolean; unicode: boolean }>> {
  const { stdout } = await run('pdffonts', [file]);
  return stdout
    .split('\n')
    .slice(2)
    .filter(Boolean)
    .map((line) => {
      const cols = line.trim().split(/\s+/);
      return { name: cols[0] as string, embedded: cols.at(-5) === 'yes', unicode: cols.at(-3) === 'yes' };
    });
}

/** Converts a document with Debian's LibreOffice (headless, its own profile) and returns the PDF's path. */
export async function libreofficeToPdf(file: string): Promise<string> {
  if (!onPath('soffice')) throw new Error('LibreOffice not found (soffice): apt-get install libreoffice-writer-nogui');
  const out = mkdtempSync(join(tmpdir(), 'randnoter-lo-'));
  const profile = `file://${mkdtempSync(join(tmpdir(), 'randnoter-lo-profile-'))}`;
  const { code, stderr } = await run(
    'soffice',
    [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', out, file],
    180_000,
  );
  const pdf = join(out, basename(file).replace(/\.[^.]+$/, '.pdf'));
  if (code !== 0 || !existsSync(pdf)) throw new Error(`LibreOffice could not convert ${file}: ${stderr}`);
  return pdf;
}

export interface PdfAnnotation {
  page: number;
  subtype: string;
  contents: string;
  author: string;
  inReplyTo: string | null;
  rect: number[];
  quadPoints: number[] | null;
}

/** Every annotation pdf.js finds in a PDF, page by page. */
export async function pdfAnnotations(file: string): Promise<{ pageCount: number; annotations: PdfAnnotation[] }> {
  const pdf = await getDocument({ data: new Uint8Array(readFileSync(file)), verbosity: 0 }).promise;
  try {
    const annotations: PdfAnnotation[] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n);
      for (const a of (await page.getAnnotations()) as Array<Record<string, unknown>>) {
        annotations.push({
          page: n,
          subtype: a.subtype as string,
          contents: (a.contentsObj as { str?: string } | undefined)?.str ?? '',
          author: (a.titleObj as { str?: string } | undefined)?.str ?? '',
          inReplyTo: (a.inReplyTo as string | undefined) ?? null,
          rect: [...(a.rect as number[])],
          quadPoints: a.quadPoints ? Array.from(a.quadPoints as ArrayLike<number>) : null,
        });
      }
    }
    return { pageCount: pdf.numPages, annotations };
  } finally {
    await pdf.loadingTask.destroy();
  }
}

/** The text of the pdf.js text items on a page whose baseline lies within a quad's height and that overlap it sideways. */
export async function textUnderQuad(file: string, pageNumber: number, quad: readonly number[]): Promise<string> {
  const pdf = await getDocument({ data: new Uint8Array(readFileSync(file)), verbosity: 0 }).promise;
  try {
    const page = await pdf.getPage(pageNumber);
    const content = await page.getTextContent();
    const xs = [quad[0], quad[2], quad[4], quad[6]] as number[];
    const ys = [quad[1], quad[3], quad[5], quad[7]] as number[];
    const [left, right, bottom, top] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    return (content.items as Array<{ str?: string; transform?: number[]; width?: number }>)
      .filter((i) => {
        const x = i.transform?.[4] ?? Number.NaN;
        const y = i.transform?.[5] ?? Number.NaN;
        return y >= bottom && y <= top && x < right && x + (i.width ?? 0) > left;
      })
      .map((i) => i.str ?? '')
      .join(' ');
  } finally {
    await pdf.loadingTask.destroy();
  }
}
