/**
 * `randnoter export <packet.pdf> --annotations <w3c.json> --format FORMAT -o FILE`: the Overblik of
 * W3C annotations on a packet, in any export format (docs/ARCHITECTURE.md, "Export"). Notes
 * (`randnoter:kind` note, or none) fill "Overblik: Noter"; comments and replies "Overblik: Delte
 * kommentarer". Everything wrong with the input is a UsageError: one line, exit code 2.
 */
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseExportLanguage } from '@randnoter/shared/export/export-labels';
import { ExportError, type ExportFormat, exportPacket, FORMATS, parseExportFormat } from '@randnoter/shared/export/export-packet';
import { AnnotatedPdfError } from '@randnoter/shared/export/render-annotated-pdf';
import { fingerprintUrn } from '@randnoter/shared/identity/packet-identity';
import { readExportFonts } from '../pdf/export-fonts.ts';
import { agendaOf, readAnnotations, withPacket } from './packet-commands.ts';
import { UsageError } from './usage.ts';

type Flags = Record<string, string | boolean | undefined>;
type Out = (line: string) => void;

const FORMAT_NAMES = Object.keys(FORMATS).join('|');

function formatOf(flags: Flags): ExportFormat {
  if (typeof flags.format !== 'string') throw new UsageError(`export needs --format ${FORMAT_NAMES}`);
  const format = parseExportFormat(flags.format);
  if (!format) throw new UsageError(`unknown format "${flags.format}" (use ${FORMAT_NAMES})`);
  return format;
}

export async function runExport(positionals: string[], flags: Flags, out: Out): Promise<void> {
  if (positionals.length > 1) throw new UsageError('export takes one packet PDF');
  const format = formatOf(flags);
  if (typeof flags.output !== 'string' || flags.output === '') throw new UsageError('export needs -o FILE (where to write the export)');
  if (typeof flags.annotations !== 'string') throw new UsageError('export needs --annotations <w3c.json>');
  const language = flags.lang === undefined ? 'da' : parseExportLanguage(flags.lang);
  if (!language) throw new UsageError('--lang must be da or en');
  const { annotations } = await readAnnotations(flags.annotations);
  const fonts = FORMATS[format].needsFonts ? await readExportFonts() : undefined;
  const output = flags.output;
  const result = await withPacket(positionals[0], 'export', async (packet) => {
    const version = fingerprintUrn(packet.fingerprint);
    try {
      return await exportPacket({
        format,
        title: packet.title || basename(positionals[0] as string),
        notes: annotations.filter((a) => a.kind === 'note'),
        shared: annotations.filter((a) => a.kind !== 'note'),
        outline: agendaOf(packet),
        text: packet.text,
        pdf: packet.bytes,
        boxes: async () => packet.boxes,
        ...(fonts ? { fonts } : {}),
        source: version,
        packetVersion: version,
        collectionId: `urn:randnoter:export:${packet.fingerprint}`,
        language,
        includeEmptyItems: flags['all-items'] === true,
      });
    } catch (error) {
      if (error instanceof ExportError || error instanceof AnnotatedPdfError) throw new UsageError(`${positionals[0]}: ${error.message}`);
      throw error;
    }
  });
  try {
    await writeFile(output, result.bytes);
  } catch (error) {
    throw new UsageError(`${output}: cannot be written (${(error as { code?: string }).code ?? 'error'})`);
  }
  out(`Wrote ${output} (${format}, ${annotations.length} annotations)`);
}
