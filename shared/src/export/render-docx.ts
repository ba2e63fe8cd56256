/**
 * The Overblik as a Word document (Office Open XML), written directly: a handful of XML parts
 * zipped with fflate. (The `docx` package would do it too, but its type declarations pull Node's
 * types into `shared`, which must compile without them.) Headings use the built-in heading
 * styles, so Word's and LibreOffice's navigators list the agenda items.
 *
 * User text only ever enters through `xmlText`: escaped, and stripped of the characters XML 1.0
 * forbids, so a note can neither close a `<w:t>` nor make the file unreadable.
 */
import { strToU8, zipSync } from 'fflate';
import { noteMeta } from './note-meta.ts';
import type { OverviewModel, OverviewNote, OverviewSection } from './overview-model.ts';

/** Characters XML 1.0 does not allow at all (control characters, lone surrogates, U+FFFE/U+FFFF). */
const XML_INVALID =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters XML forbids; this removes them.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function xmlText(value: string): string {
  return value.replace(XML_INVALID, '').replace(/[&<>"']/g, (ch) => XML_ESCAPES[ch] as string);
}

type Style = 'Title' | 'Heading1' | 'Heading2' | 'Heading3' | 'Quote' | 'Body' | 'Meta' | 'Reply' | 'Hint';

interface Run {
  text: string;
  bold?: boolean;
}

/** A run of text; line breaks and tabs become Word's own elements. */
function runXml(run: Run): string {
  const props = run.bold ? '<w:rPr><w:b/></w:rPr>' : '';
  const parts = run.text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) =>
      line
        .split('\t')
        .map((piece) => `<w:t xml:space="preserve">${xmlText(piece)}</w:t>`)
        .join('<w:tab/>'),
    );
  return `<w:r>${props}${parts.join('<w:br/>')}</w:r>`;
}

function paragraph(style: Style, ...runs: Array<Run | string>): string {
  const body = runs.map((r) => runXml(typeof r === 'string' ? { text: r } : r)).join('');
  return `<w:p><w:pPr><w:pStyle w:val="${style}"/></w:pPr>${body}</w:p>`;
}

function noteParagraphs(note: OverviewNote, model: OverviewModel, out: string[]): void {
  if (note.quote) out.push(paragraph('Quote', `“${note.quote}”`));
  if (note.annotation.body.trim()) out.push(paragraph('Body', note.annotation.body));
  out.push(paragraph('Meta', noteMeta(note, model.labels).join(' · ')));
  for (const reply of note.replies) {
    out.push(
      paragraph('Reply', { text: `${model.labels.reply}: `, bold: true }, reply.annotation.body),
      paragraph('Reply', { text: noteMeta(reply, model.labels).join(' · ') }),
    );
  }
}

function sectionParagraphs(section: OverviewSection, model: OverviewModel, out: string[]): void {
  out.push(paragraph('Heading1', section.heading));
  if (section.items.length === 0 && section.orphaned.length === 0) out.push(paragraph('Hint', section.emptyText));
  for (const item of section.items) {
    out.push(paragraph('Heading2', item.heading));
    for (const note of item.notes) noteParagraphs(note, model, out);
    for (const attachment of item.attachments) {
      out.push(paragraph('Heading3', attachment.heading));
      for (const note of attachment.notes) noteParagraphs(note, model, out);
    }
  }
  if (section.orphaned.length > 0) {
    out.push(paragraph('Heading2', model.labels.orphaned), paragraph('Hint', model.labels.orphanedHint));
    for (const note of section.orphaned) noteParagraphs(note, model, out);
  }
}

const NS_W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

function documentXml(model: OverviewModel): string {
  const body: string[] = [
    paragraph('Title', model.labels.documentTitle(model.title)),
    paragraph('Hint', model.labels.generated(model.generated)),
  ];
  for (const section of model.sections) sectionParagraphs(section, model, body);
  const page =
    '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr>';
  return `${XML_DECL}<w:document xmlns:w="${NS_W}"><w:body>${body.join('')}${page}</w:body></w:document>`;
}

function styleXml(
  id: Style,
  name: string,
  props: {
    size: number;
    bold?: boolean;
    italic?: boolean;
    color?: string;
    indent?: number;
    before?: number;
    after?: number;
    outline?: number;
  },
): string {
  const ppr = [
    props.outline !== undefined ? '<w:keepNext/>' : '',
    `<w:spacing w:before="${props.before ?? 0}" w:after="${props.after ?? 80}"/>`,
    props.indent ? `<w:ind w:left="${props.indent}"/>` : '',
    props.outline !== undefined ? `<w:outlineLvl w:val="${props.outline}"/>` : '',
  ].join('');
  const rpr = [
    '<w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial"/>',
    props.bold ? '<w:b/>' : '',
    props.italic ? '<w:i/>' : '',
    props.color ? `<w:color w:val="${props.color}"/>` : '',
    `<w:sz w:val="${props.size * 2}"/>`,
  ].join('');
  return `<w:style w:type="paragraph" w:styleId="${id}"><w:name w:val="${name}"/><w:qFormat/><w:pPr>${ppr}</w:pPr><w:rPr>${rpr}</w:rPr></w:style>`;
}

const STYLES = `${XML_DECL}<w:styles xmlns:w="${NS_W}">${[
  '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial"/><w:sz w:val="22"/><w:lang w:val="da-DK"/></w:rPr></w:rPrDefault></w:docDefaults>',
  styleXml('Title', 'Title', { size: 20, bold: true, after: 60 }),
  styleXml('Heading1', 'heading 1', { size: 16, bold: true, before: 360, after: 120, outline: 0 }),
  styleXml('Heading2', 'heading 2', { size: 13, bold: true, before: 240, after: 80, outline: 1 }),
  styleXml('Heading3', 'heading 3', { size: 12, bold: true, color: '333333', before: 160, after: 60, indent: 284, outline: 2 }),
  styleXml('Quote', 'Quote', { size: 11, italic: true, color: '444444', before: 120, indent: 284 }),
  styleXml('Body', 'Body Text', { size: 11, indent: 284 }),
  styleXml('Meta', 'Note Details', { size: 9, color: '555555', indent: 284, after: 120 }),
  styleXml('Reply', 'Reply', { size: 10, indent: 851, after: 40 }),
  styleXml('Hint', 'Hint', { size: 10, italic: true, color: '666666' }),
].join('')}</w:styles>`;

const CONTENT_TYPES = `${XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`;

const ROOT_RELS = `${XML_DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`;

const DOCUMENT_RELS = `${XML_DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`;

function coreXml(model: OverviewModel): string {
  return `${XML_DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>${xmlText(model.labels.documentTitle(model.title))}</dc:title><dc:creator>Randnoter</dc:creator><dc:language>${model.language}</dc:language></cp:coreProperties>`;
}

/** The parts of the package, for tests that read the XML. */
function docxParts(model: OverviewModel): Record<string, string> {
  return {
    '[Content_Types].xml': CONTENT_TYPES,
    '_rels/.rels': ROOT_RELS,
    'docProps/core.xml': coreXml(model),
    'word/document.xml': documentXml(model),
    'word/_rels/document.xml.rels': DOCUMENT_RELS,
    'word/styles.xml': STYLES,
  };
}

export function renderDocx(model: OverviewModel): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  for (const [path, xml] of Object.entries(docxParts(model))) files[path] = strToU8(xml);
  // A fixed time stamp: the same notes give the same file.
  return zipSync(files, { level: 6, mtime: new Date('2000-01-01T00:00:00Z') });
}
