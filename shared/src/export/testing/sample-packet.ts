/**
 * A small packet for the export tests: five pages, three agenda items (one attachment, one item
 * without notes), private notes (one orphaned, one page note), a resolved shared comment with a
 * reply, and a corpus of hostile strings that no export may turn into markup, formulas or PDF syntax.
 */
import type { AgendaOutline } from '../../agenda/outline.ts';
import { buildPacketText, buildPageText, type PacketText } from '../../text/page-text.ts';
import type { ExportAnnotation } from '../overview-model.ts';

const PAGES = [
  ['Indhold', 'Punkt 1: Budget 2027 side 2', 'Punkt 2: Eventuelt side 4'],
  ['Punkt 1: Budget 2027', 'Vi foreslår at hæve taksterne med 5 procent fra næste år.'],
  ['Punkt 1, Bilag 1: Notat om takster', 'Taksterne stiger fra 2027 for alle borgere i kommunen.'],
  ['Punkt 2: Eventuelt', 'Intet at bemærke.'],
  ['Punkt 3: Skolestruktur', 'Sagen udsættes til næste møde.'],
];

/** Each line one pdf.js text item ending its line, as a simple PDF would give them. */
export const samplePacket: PacketText = buildPacketText(
  PAGES.map((lines, i) =>
    buildPageText(
      i + 1,
      lines.map((str) => ({ str, hasEOL: true })),
    ),
  ),
);

export const sampleOutline: AgendaOutline = {
  pages: 5,
  confidence: 1,
  items: [
    {
      number: 1,
      label: 'Punkt 1',
      title: 'Budget 2027',
      firstPage: 2,
      lastPage: 3,
      attachments: [{ number: 1, label: 'Bilag 1', title: 'Notat om takster', firstPage: 3, lastPage: 3 }],
    },
    { number: 2, label: 'Punkt 2', title: 'Eventuelt', firstPage: 4, lastPage: 4, attachments: [] },
    { number: 3, label: 'Punkt 3', title: 'Skolestruktur', firstPage: 5, lastPage: 5, attachments: [] },
  ],
};

/** Strings an attacker might write in a note, a name or a title. */
export const HOSTILE = [
  '<script>window.__pwned=1</script>',
  '<img src=x onerror="window.__pwned=2">',
  '</w:t></w:r></w:p><w:p><w:r><w:t>INJECTED',
  '<![CDATA[ x ]]> <!-- c -->',
  '[klik her](javascript:alert(1)) ![](javascript:alert(2))',
  '<a href="javascript:alert(3)">link</a>',
  "=cmd|' /C calc'!A0",
  '+SUM(1,2)',
  '-2+3+cmd|x',
  '@SUM(A1:A2)',
  ') Tj ET /S /JavaScript /JS (app.alert(1)) >> endobj',
  'nul\u0000 bell\u0007 esc\u001b',
  '"; DROP TABLE notes; --',
] as const;

const quote = (exact: string, prefix = '', suffix = '') => ({ type: 'TextQuoteSelector' as const, exact, prefix, suffix });
const at = (exact: string) => {
  const start = samplePacket.text.indexOf(exact);
  if (start < 0) throw new Error(`not in the sample packet: ${exact}`);
  return { type: 'TextPositionSelector' as const, start, end: start + exact.length };
};

const base = {
  replyTo: null,
  color: null,
  tags: [],
  resolved: false,
  deleted: false,
};

export const sampleNotes: ExportAnnotation[] = [
  {
    ...base,
    id: 'n-bilag',
    kind: 'note',
    author: { id: 'anne', name: 'Anne Jensen' },
    created: '2023-01-20T09:00:00.000Z',
    modified: '2023-01-20T09:30:00.000Z',
    body: 'Hvem betaler? Ærligt talt: øget pris på å.',
    target: { page: 3, selectors: [quote('stiger fra 2027'), at('stiger fra 2027')] },
  },
  {
    ...base,
    id: 'n-punkt',
    kind: 'note',
    author: { id: 'anne', name: 'Anne Jensen' },
    created: '2023-01-20T08:00:00.000Z',
    modified: '2023-01-20T08:00:00.000Z',
    body: 'Spørg om **beløbet**\nAnden linje',
    target: { page: 2, selectors: [quote('hæve taksterne'), at('hæve taksterne')] },
  },
  {
    ...base,
    id: 'n-side',
    kind: 'note',
    author: { id: 'anne', name: 'Anne Jensen' },
    created: '2023-01-20T10:00:00.000Z',
    modified: '2023-01-20T10:00:00.000Z',
    body: 'Hele siden',
    target: { page: 4 },
  },
  {
    ...base,
    id: 'n-vaek',
    kind: 'note',
    author: { id: 'anne', name: 'Anne Jensen' },
    created: '2023-01-20T11:00:00.000Z',
    modified: '2023-01-20T11:00:00.000Z',
    body: 'Stod der før',
    target: { page: 4, selectors: [quote('denne sætning findes ikke længere i pakken')] },
  },
];

export const sampleShared: ExportAnnotation[] = [
  {
    ...base,
    id: 'c-1',
    kind: 'comment',
    resolved: true,
    author: { id: 'bo', name: 'Bo Hansen' },
    created: '2023-01-21T12:00:00.000Z',
    modified: '2023-01-21T12:00:00.000Z',
    body: 'Gælder det også pensionister?',
    group: { id: 'social', name: 'Socialudvalget' },
    target: { page: 3, selectors: [quote('alle borgere'), at('alle borgere')] },
  },
  {
    ...base,
    id: 'r-1',
    kind: 'reply',
    replyTo: 'c-1',
    author: { id: 'anne', name: 'Anne Jensen' },
    created: '2023-01-21T13:00:00.000Z',
    modified: '2023-01-21T13:00:00.000Z',
    body: 'Ja, se side 3.',
    group: { id: 'social', name: 'Socialudvalget' },
    target: { page: 3 },
  },
];

/** Notes whose every user-written field is hostile: body, author name and the quoted text's neighbours. */
export function hostileNotes(): ExportAnnotation[] {
  return HOSTILE.map((payload, i) => ({
    ...base,
    id: `h${i}`,
    kind: 'note',
    author: { id: `u${i}`, name: payload },
    created: '2023-01-20T09:00:00.000Z',
    modified: '2023-01-20T09:00:00.000Z',
    body: payload,
    group: { id: 'g', name: payload },
    target: { page: 2, selectors: [quote('hæve taksterne'), at('hæve taksterne')] },
  }));
}

/** The sample outline with hostile agenda titles and labels (both come from the PDF, which anyone can write). */
export const hostileOutline: AgendaOutline = {
  ...sampleOutline,
  items: sampleOutline.items.map((item, i) => ({
    ...item,
    label: HOSTILE[i + 2] as string,
    title: HOSTILE[i] as string,
    attachments: item.attachments.map((a) => ({ ...a, label: HOSTILE[i + 5] as string, title: HOSTILE[i + 4] as string })),
  })),
};
