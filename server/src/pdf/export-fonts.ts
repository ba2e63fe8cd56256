/**
 * The TrueType fonts the PDF exports embed: Liberation Sans (metric-compatible with Arial and
 * Helvetica, with every Danish letter), which pdf.js ships in its standard_fonts folder.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ExportFonts } from '@randnoter/shared/export/render-overview-pdf';

let fonts: Promise<ExportFonts> | null = null;

export function readExportFonts(): Promise<ExportFonts> {
  fonts ??= (async () => {
    const dir = join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts');
    const [regular, bold] = await Promise.all([
      readFile(join(dir, 'LiberationSans-Regular.ttf')),
      readFile(join(dir, 'LiberationSans-Bold.ttf')),
    ]);
    return { regular: new Uint8Array(regular), bold: new Uint8Array(bold) };
  })();
  return fonts;
}
