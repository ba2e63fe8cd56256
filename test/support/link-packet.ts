/**
 * A small meeting packet full of what pdf.js puts next to the text layer: link annotations over
 * text (URLs, e-mail addresses, a contents page and a "Bilag" list that jump to pages, footnote
 * markers that jump to their footnote), URLs and addresses without a link that pdf.js links by
 * itself, other annotations (a sticky note, a highlight, a rectangle with a comment), marked
 * content (paragraphs, page furniture as artifacts, one sequence that outlives its text object)
 * and an outline with the items and their attachments. Built with pdf-lib, the same bytes every
 * time, so a failing selection can be replayed.
 */
import {
  beginMarkedContent,
  beginText,
  endMarkedContent,
  endText,
  PDFDocument,
  type PDFFont,
  PDFHexString,
  PDFName,
  PDFOperator,
  PDFOperatorNames,
  type PDFPage,
  type PDFRef,
  PDFString,
  StandardFonts,
  setFontAndSize,
  setTextMatrix,
  showText,
} from 'pdf-lib';

const WIDTH = 595;
const HEIGHT = 842;
const LEFT = 64;
const BODY = 11;
const LEADING = 16;

type Target = { uri: string } | { page: number; y?: number };

/** A run of text on a line; `link` puts a link annotation over exactly this run. */
interface Run {
  text: string;
  link?: Target;
  size?: number;
  bold?: boolean;
  /** Raised above the baseline (a footnote marker), in points. */
  rise?: number;
}

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

/** A page being written top to bottom; links are collected and added once all pages exist. */
class PageWriter {
  y = HEIGHT - 80;
  readonly links: Array<{ rect: [number, number, number, number]; target: Target }> = [];
  private readonly keys = new Map<PDFFont, PDFName>();
  private mcid = 0;
  readonly page: PDFPage;
  private readonly fonts: Fonts;

  constructor(page: PDFPage, fonts: Fonts) {
    this.page = page;
    this.fonts = fonts;
  }

  private key(font: PDFFont): PDFName {
    let key = this.keys.get(font);
    if (!key) {
      key = this.page.node.newFontDictionary(font.name, font.ref);
      this.keys.set(font, key);
    }
    return key;
  }

  private show(font: PDFFont, size: number, x: number, y: number, text: string): PDFOperator[] {
    return [beginText(), setFontAndSize(this.key(font), size), setTextMatrix(1, 0, 0, 1, x, y), showText(font.encodeText(text)), endText()];
  }

  /** One line of runs at the cursor, each its own text object; moves the cursor down. */
  line(runs: readonly Run[], options: { x?: number; size?: number; tag?: 'P' | 'Artifact' } = {}): void {
    const size = options.size ?? BODY;
    let x = options.x ?? LEFT;
    const ops: PDFOperator[] = [];
    for (const run of runs) {
      const font = run.bold ? this.fonts.bold : this.fonts.regular;
      const runSize = run.size ?? size;
      const y = this.y + (run.rise ?? 0);
      ops.push(...this.show(font, runSize, x, y, run.text));
      const width = font.widthOfTextAtSize(run.text, runSize);
      if (run.link) this.links.push({ rect: [x, y - runSize * 0.25, x + width, y + runSize * 0.9], target: run.link });
      x += width;
    }
    this.page.pushOperators(...this.tagged(options.tag, ops));
    this.y -= size > BODY ? size * 1.6 : LEADING;
  }

  /** Plain lines of body text, each line one marked-content paragraph. */
  paragraph(lines: readonly string[]): void {
    for (const text of lines) this.line([{ text }], { tag: 'P' });
    this.y -= LEADING / 2;
  }

  /** A line whose marked-content sequence opens in one text object and closes in the next. */
  splitSequence(first: string, second: string): void {
    const font = this.fonts.regular;
    const x2 = LEFT + font.widthOfTextAtSize(first, BODY);
    const [bt1, tf1, tm1, tj1, et1] = this.show(font, BODY, LEFT, this.y, first) as [
      PDFOperator,
      PDFOperator,
      PDFOperator,
      PDFOperator,
      PDFOperator,
    ];
    const [bt2, tf2, tm2, tj2, et2] = this.show(font, BODY, x2, this.y, second) as [
      PDFOperator,
      PDFOperator,
      PDFOperator,
      PDFOperator,
      PDFOperator,
    ];
    this.page.pushOperators(bt1, tf1, tm1, this.beginSequence('Span'), tj1, et1, bt2, tf2, tm2, tj2, endMarkedContent(), et2);
    this.y -= LEADING;
  }

  private beginSequence(tag: string): PDFOperator {
    const props = this.page.doc.context.obj({ MCID: this.mcid++ });
    // pdf-lib writes an inline dictionary operand fine; its operand type just leaves dictionaries out.
    return PDFOperator.of(PDFOperatorNames.BeginMarkedContentSequence, [PDFName.of(tag), props as unknown as PDFName]);
  }

  private tagged(tag: 'P' | 'Artifact' | undefined, ops: PDFOperator[]): PDFOperator[] {
    if (!tag) return ops;
    return [tag === 'P' ? this.beginSequence(tag) : beginMarkedContent(tag), ...ops, endMarkedContent()];
  }

  /** Running header and footer, as artifacts. */
  furniture(header: string, footer: string): void {
    const top = this.y;
    this.y = HEIGHT - 40;
    this.line([{ text: header }], { size: 8, tag: 'Artifact' });
    this.y = 36;
    this.line([{ text: footer }], { size: 8, x: WIDTH - 100, tag: 'Artifact' });
    this.y = top;
  }

  gap(lines = 1): void {
    this.y -= LEADING * lines;
  }
}

/** An annotation dictionary added to a page. */
function annotate(page: PDFPage, fields: Record<string, unknown>): void {
  const context = page.doc.context;
  page.node.addAnnot(context.register(context.obj({ Type: 'Annot', ...fields } as never)));
}

function addLinks(writer: PageWriter, pageRefs: readonly PDFRef[]): void {
  for (const { rect, target } of writer.links) {
    const action =
      'uri' in target
        ? { A: { Type: 'Action', S: 'URI', URI: PDFString.of(target.uri) } }
        : { Dest: [pageRefs[target.page - 1], 'XYZ', null, target.y ?? HEIGHT, null] };
    annotate(writer.page, { Subtype: 'Link', Rect: rect, Border: [0, 0, 0], ...action });
  }
}

function addOutline(
  doc: PDFDocument,
  entries: ReadonlyArray<{ title: string; page: PDFRef; children?: Array<{ title: string; page: PDFRef }> }>,
): void {
  const context = doc.context;
  const rootRef = context.nextRef();
  const build = (
    list: ReadonlyArray<{ title: string; page: PDFRef; children?: Array<{ title: string; page: PDFRef }> }>,
    parent: PDFRef,
  ) => {
    const refs = list.map(() => context.nextRef());
    for (const [i, entry] of list.entries()) {
      const ref = refs[i] as PDFRef;
      const dict = context.obj({ Title: PDFHexString.fromText(entry.title), Parent: parent, Dest: [entry.page, 'XYZ', null, null, null] });
      if (i > 0) dict.set(PDFName.of('Prev'), refs[i - 1] as PDFRef);
      if (i < list.length - 1) dict.set(PDFName.of('Next'), refs[i + 1] as PDFRef);
      if (entry.children?.length) {
        const children = build(entry.children, ref);
        dict.set(PDFName.of('First'), children[0] as PDFRef);
        dict.set(PDFName.of('Last'), children.at(-1) as PDFRef);
        dict.set(PDFName.of('Count'), context.obj(entry.children.length));
      }
      context.assign(ref, dict);
    }
    return refs;
  };
  const top = build(entries, rootRef);
  context.assign(rootRef, context.obj({ Type: 'Outlines', First: top[0], Last: top.at(-1), Count: top.length }));
  doc.catalog.set(PDFName.of('Outlines'), rootRef);
}

const LINK_PACKET_PAGES = 6;

export async function buildLinkPacket(): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle('Socialudvalget 14.03.2024 – dagsorden med bilag');
  const fonts = { regular: await doc.embedFont(StandardFonts.Helvetica), bold: await doc.embedFont(StandardFonts.HelveticaBold) };
  const pages = Array.from({ length: LINK_PACKET_PAGES }, () => doc.addPage([WIDTH, HEIGHT]));
  const refs = pages.map((p) => p.ref);
  const writers = pages.map((p) => new PageWriter(p, fonts));
  const [contents, item1, list, notat, plan, item2] = writers as [PageWriter, PageWriter, PageWriter, PageWriter, PageWriter, PageWriter];
  for (const [i, w] of writers.entries()) w.furniture('Socialudvalget · Møde 14.03.2024 · Dagsorden', `${i + 1} / ${LINK_PACKET_PAGES}`);

  // 1: contents, every entry a link to its page (as meeting systems export them).
  contents.line([{ text: 'Indhold', bold: true, size: 16 }]);
  contents.gap();
  for (const [text, page] of [
    ['Punkt 1: Orientering om digitale tilbud til borgerne', 2],
    ['Punkt 1, Bilag 1: Notat om digitale tilbud', 4],
    ['Punkt 1, Bilag 2: Tidsplan for udrulning', 5],
    ['Punkt 2: Eventuelt', 6],
  ] as const) {
    contents.line([{ text, link: { page } }, { text: ` ........ ${page}` }]);
  }
  contents.gap();
  contents.paragraph([
    'Dagsordenen er udsendt elektronisk. Bilag kan også hentes på',
    'kommunens hjemmeside, hvor referatet offentliggøres efter mødet.',
  ]);

  // 2: an item with a URL, an e-mail address, footnote markers, and a URL and address that only pdf.js links.
  item1.line([{ text: 'Punkt 1: Orientering om digitale tilbud til borgerne', bold: true, size: 15 }]);
  item1.line([{ text: 'Sagsfremstilling', bold: true }]);
  item1.paragraph([
    'Forvaltningen orienterer om de digitale tilbud, som borgerne kan benytte',
    'i forbindelse med ansøgning om hjælpemidler og boligindretning.',
  ]);
  item1.line([
    { text: 'Læs mere på ' },
    { text: 'https://www.aarhus.dk/digitale-tilbud', link: { uri: 'https://www.aarhus.dk/digitale-tilbud' } },
    { text: ', hvor alle tilbud er samlet.' },
  ]);
  item1.line([
    { text: 'Spørgsmål kan sendes til ' },
    { text: 'digital@aarhus.dk', link: { uri: 'mailto:digital@aarhus.dk' } },
    { text: ' eller stilles på mødet.' },
  ]);
  item1.line([
    { text: 'Ordningen trådte i kraft i 2022' },
    { text: '1', size: 7, rise: 4, link: { page: 2, y: 90 } },
    { text: ' og evalueres efter to år' },
    { text: '2', size: 7, rise: 4, link: { page: 2, y: 90 } },
    { text: '.' },
  ]);
  item1.gap();
  item1.paragraph([
    'Se også www.example.dk/borger og skriv til info@example.dk for at få',
    'hjælp. Tilbuddet omfatter vejledning, ansøgning og opfølgning, og',
    'borgeren kan vælge at blive ringet op af en medarbejder.',
  ]);
  item1.line([{ text: 'Indstilling', bold: true }]);
  item1.paragraph([
    'Forvaltningen indstiller, at udvalget tager orienteringen til efterretning',
    'og drøfter, hvordan tilbuddene kan gøres kendt blandt ældre borgere.',
  ]);
  item1.y = 90;
  item1.line([{ text: '1 Byrådets beslutning af 12. oktober 2022.', size: 8 }]);
  item1.line([{ text: '2 Evalueringen forelægges udvalget i foråret 2025.', size: 8 }]);

  // 3: the item's list of attachments, each entry a link, and annotations from the secretariat.
  list.line([{ text: 'Bilag til punkt 1', bold: true, size: 15 }]);
  list.line([{ text: 'Bilag 1: Notat om digitale tilbud', link: { page: 4 } }]);
  list.line([{ text: 'Bilag 2: Tidsplan for udrulning', link: { page: 5 } }]);
  list.gap();
  const highlightY = list.y;
  list.paragraph([
    'Bilagene er udarbejdet af Sociale Forhold og Beskæftigelse i samarbejde',
    'med Borgerservice. Notatet beskriver tilbuddene, og tidsplanen viser,',
    'hvornår de enkelte tilbud tages i brug i lokalcentrene.',
  ]);
  annotate(list.page, {
    Subtype: 'Highlight',
    Rect: [LEFT, highlightY - 4, LEFT + 300, highlightY + 11],
    QuadPoints: [LEFT, highlightY + 11, LEFT + 300, highlightY + 11, LEFT, highlightY - 4, LEFT + 300, highlightY - 4],
    C: [1, 0.9, 0.2],
    T: PDFHexString.fromText('Sekretariatet'),
    Contents: PDFHexString.fromText('Husk at nævne Borgerservice'),
  });
  annotate(list.page, {
    Subtype: 'Text',
    Rect: [WIDTH - 50, list.y, WIDTH - 30, list.y + 20],
    Name: 'Comment',
    T: PDFHexString.fromText('Sekretariatet'),
    Contents: PDFHexString.fromText('Tidsplanen er foreløbig'),
  });
  list.paragraph([
    'Udvalget bedes særligt se på, om tidsplanen giver lokalcentrene tid nok',
    'til at uddanne medarbejderne, før tilbuddene tages i brug.',
  ]);

  // 4: an attachment in marked content, a link before any text, several links on one line.
  notat.links.push({ rect: [20, HEIGHT - 70, 50, HEIGHT - 50], target: { page: 1 } });
  notat.line([{ text: 'Punkt 1, Bilag 1: Notat om digitale tilbud', bold: true, size: 13 }], { tag: 'P' });
  notat.paragraph([
    'Notatet giver et overblik over de digitale tilbud og deres brug i 2023.',
    'Tallene stammer fra kommunens egen opgørelse.',
  ]);
  notat.splitSequence('Tilbuddene blev brugt af 4.210 borgere, ', 'heraf 1.377 over 75 år.');
  notat.line([
    { text: 'Kontakt: ' },
    { text: 'Anne Jensen', link: { uri: 'mailto:anje@aarhus.dk' } },
    { text: ', ' },
    { text: 'Peter Holm', link: { uri: 'mailto:peho@aarhus.dk' } },
    { text: ' og ' },
    { text: 'Borgerservice', link: { uri: 'https://www.aarhus.dk/borgerservice' } },
  ]);
  notat.gap();
  notat.paragraph([
    'Erfaringerne viser, at borgere, der har fået hjælp første gang, i højere',
    'grad selv bruger tilbuddene næste gang. Forvaltningen foreslår derfor,',
    'at lokalcentrene tilbyder en introduktion til alle nye brugere.',
  ]);

  // 5: a timetable: cells on one baseline, some of them links, and a rectangle with a comment.
  plan.line([{ text: 'Punkt 1, Bilag 2: Tidsplan for udrulning', bold: true, size: 13 }]);
  const rows = [
    ['Lokalcenter', 'Start', 'Kontakt'],
    ['Gellerup', 'april 2024', 'gellerup@aarhus.dk'],
    ['Viby', 'maj 2024', 'viby@aarhus.dk'],
    ['Trøjborg', 'august 2024', 'se www.aarhus.dk/trojborg'],
  ];
  for (const [row, [place, start, contact]] of rows.entries()) {
    const y = plan.y;
    plan.line([{ text: place as string, bold: row === 0 }]);
    plan.y = y;
    plan.line([{ text: start as string, bold: row === 0 }], { x: LEFT + 150 });
    plan.y = y;
    const link = row > 0 && row < 3 ? { uri: `mailto:${contact}` } : undefined;
    plan.line([{ text: contact as string, bold: row === 0, ...(link ? { link } : {}) }], { x: LEFT + 280 });
  }
  annotate(plan.page, {
    Subtype: 'Square',
    Rect: [LEFT - 4, plan.y + 4, LEFT + 420, plan.y + LEADING * 4 + 8],
    C: [0.2, 0.4, 0.9],
    T: PDFHexString.fromText('Sekretariatet'),
    Contents: PDFHexString.fromText('Datoer ikke endelige'),
  });
  plan.gap();
  plan.paragraph([
    'Udrulningen følger lokalcentrenes egne planer. Ændringer meldes ud på',
    'intranettet og i nyhedsbrevet til medarbejderne.',
  ]);

  // 6: a short item whose last line ends in a link.
  item2.line([{ text: 'Punkt 2: Eventuelt', bold: true, size: 15 }]);
  item2.paragraph(['Intet at bemærke til dette punkt ud over det, der fremgår af']);
  item2.line([
    { text: 'referatet fra sidste møde, som findes på ' },
    { text: 'www.aarhus.dk/referater', link: { uri: 'https://www.aarhus.dk/referater' } },
  ]);

  for (const w of writers) addLinks(w, refs);
  const [r1, r2, , r4, r5, r6] = refs as [PDFRef, PDFRef, PDFRef, PDFRef, PDFRef, PDFRef];
  addOutline(doc, [
    { title: 'Indhold', page: r1 },
    {
      title: 'Punkt 1: Orientering om digitale tilbud til borgerne',
      page: r2,
      children: [
        { title: 'Bilag 1: Notat om digitale tilbud', page: r4 },
        { title: 'Bilag 2: Tidsplan for udrulning', page: r5 },
      ],
    },
    { title: 'Punkt 2: Eventuelt', page: r6 },
  ]);
  return doc.save({ useObjectStreams: false });
}
