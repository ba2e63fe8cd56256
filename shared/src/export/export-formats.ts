/**
 * The export formats and what each needs: a catalogue without the renderers, so code that only
 * names or validates a format (an HTTP route, a menu) does not load pdf-lib and the rest.
 */

export const ExportFormat = {
  md: 'md',
  html: 'html',
  docx: 'docx',
  csv: 'csv',
  jsonld: 'jsonld',
  /** The annotated packet: original pages with highlight annotations, overview pages appended. */
  pdf: 'pdf',
  overviewPdf: 'overview-pdf',
} as const;
export type ExportFormat = (typeof ExportFormat)[keyof typeof ExportFormat];

export interface FormatInfo {
  /** File name ending, without the dot. */
  extension: string;
  mediaType: string;
  /** Needs the original PDF (and its text). */
  needsPdf: boolean;
  /** Needs TrueType fonts. */
  needsFonts: boolean;
}

export const FORMATS: Record<ExportFormat, FormatInfo> = {
  md: { extension: 'md', mediaType: 'text/markdown; charset=utf-8', needsPdf: false, needsFonts: false },
  html: { extension: 'html', mediaType: 'text/html; charset=utf-8', needsPdf: false, needsFonts: false },
  docx: {
    extension: 'docx',
    mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    needsPdf: false,
    needsFonts: false,
  },
  csv: { extension: 'csv', mediaType: 'text/csv; charset=utf-8', needsPdf: false, needsFonts: false },
  jsonld: {
    extension: 'jsonld',
    mediaType: 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
    needsPdf: false,
    needsFonts: false,
  },
  pdf: { extension: 'pdf', mediaType: 'application/pdf', needsPdf: true, needsFonts: true },
  'overview-pdf': { extension: 'pdf', mediaType: 'application/pdf', needsPdf: false, needsFonts: true },
};

export function parseExportFormat(v: unknown): ExportFormat | null {
  return typeof v === 'string' && Object.hasOwn(FORMATS, v) ? (v as ExportFormat) : null;
}

/** Something the export needs is missing or unusable; the message is one line for the user. */
export class ExportError extends Error {}
