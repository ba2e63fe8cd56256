// @vitest-environment happy-dom
/**
 * The controller against a fake document surface (as hypothesis/client tests its PDF
 * integration against a FakePDFViewerApplication): the surface is the one thing faked; the
 * notes document, the Overblik and the editor are the real ones, in a DOM.
 */
import type { AgendaOutline } from '@randnoter/shared/agenda/outline';
import { insertAnnotation, liveAnnotations, readAnnotations } from '@randnoter/shared/model/annotation-doc';
import { buildPacketText, buildPageText, type PacketText } from '@randnoter/shared/text/page-text';
import { ObservableV2 } from 'lib0/observable';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { messages } from '../i18n/messages.ts';
import { DEFAULT_SETTINGS } from '../settings/settings.ts';
import type { DocumentSurface, Mark, SurfaceEvents } from '../surface/document-surface.ts';
import { openPrivateNotes, type PrivateNotes } from '../sync/private-notes.ts';
import { type Controller, createController } from './controller.ts';
import type { Session } from './session.ts';

const VERSION = 'urn:x-pdf:0123456789abcdef0123456789abcdef';
const PAGES = [
  'Punkt 1: Budget 2024. Byrådet godkender budgettet uden bemærkninger.',
  'Bilag 1: Notat om budgettet og de økonomiske rammer.',
  'Punkt 2: Skolestruktur. Forvaltningen foreslår at samle to skoler.',
  'Bilag 1: Høringssvar fra forældrebestyrelsen på Vestskolen.',
];

function packetText(): PacketText {
  return buildPacketText(PAGES.map((line, i) => buildPageText(i + 1, [{ str: line, hasEOL: true }])));
}

const outline = (items: Array<{ number: number; title: string; firstPage: number; lastPage: number }>): AgendaOutline => ({
  pages: PAGES.length,
  confidence: 1,
  items: items.map((item) => ({ ...item, label: `Punkt ${item.number}`, attachments: [] })),
});
const DETECTED = outline([
  { number: 1, title: 'Budget 2024', firstPage: 1, lastPage: 2 },
  { number: 2, title: 'Skolestruktur', firstPage: 3, lastPage: 4 },
]);

/** A document surface whose user actions the test performs and whose drawing it records. */
class FakeSurface implements DocumentSurface {
  readonly events = new ObservableV2<SurfaceEvents>();
  readonly marksShown: Array<readonly Mark[]> = [];
  readonly revealed: Array<{ page: number; start: number | null }> = [];
  selected: { start: number; end: number } | null = null;
  /** How often the annotator asked for the selection. */
  selectionReads = 0;
  canShare: boolean | null = null;
  page = 1;
  readonly text: PacketText;
  constructor(text: PacketText) {
    this.text = text;
  }
  /** Selects the first occurrence of `quote` in the packet's text. */
  select(quote: string): void {
    const start = this.text.text.indexOf(quote);
    if (start < 0) throw new Error(`no "${quote}" in the packet`);
    this.selected = { start, end: start + quote.length };
  }
  async selection() {
    this.selectionReads++;
    return this.selected;
  }
  clearSelection() {
    this.selected = null;
  }
  showMarks(marks: readonly Mark[]) {
    this.marksShown.push(marks);
  }
  get marks(): readonly Mark[] {
    return this.marksShown.at(-1) ?? [];
  }
  reveal(place: { page: number; start: number | null }) {
    this.revealed.push(place);
  }
  currentPage() {
    return this.page;
  }
  setCanShare(canShare: boolean) {
    this.canShare = canShare;
  }
  destroy() {
    this.events.destroy();
  }
}

const offlineSession: Session = {
  signedIn: false,
  identity: { serverUrl: '', token: '' },
  access: null,
  namespace: 'local',
  me: { id: 'local', name: 'Anne Jensen' },
  myId: null,
  groups: [],
  packetId: 'p-controller-test',
  provisional: true,
  problem: null,
};

describe('the annotator controller', () => {
  const t = messages('da');
  let surface: FakeSurface;
  let notes: PrivateNotes;
  let root: HTMLElement;
  let controller: Controller;

  const start = (options: { outline?: AgendaOutline; undoMs?: number } = {}) => {
    controller = createController({
      t,
      settings: DEFAULT_SETTINGS,
      overviewRoot: root,
      surface,
      outline: options.outline ?? DETECTED,
      version: VERSION,
      session: offlineSession,
      notes,
      shared: null,
      showPages: true,
      ...(options.undoMs !== undefined ? { undoMs: options.undoMs } : {}),
    });
  };
  const cards = () => [...root.querySelectorAll<HTMLElement>('#rn-panel-notes article')];
  const cardWith = (text: string) => cards().find((card) => card.textContent?.includes(text));
  const headings = () => [...root.querySelectorAll('#rn-panel-notes .rn-group h3')].map((h) => h.textContent);
  const saveEditor = (body: string) => {
    const textarea = root.querySelector<HTMLTextAreaElement>('#rn-editor-text');
    if (!textarea) throw new Error('no editor open');
    textarea.value = body;
    const save = [...root.querySelectorAll('button')].find((b) => b.textContent === t.save);
    save?.click();
  };
  /** A note stored as another device (or an earlier session) would have stored it. */
  const storedNote = (id: string, quote: string, page: number) => {
    const start = surface.text.text.indexOf(quote);
    insertAnnotation(
      notes.doc,
      {
        id,
        kind: 'note',
        body: `note ${id}`,
        replyTo: null,
        color: null,
        tags: [],
        target: {
          page,
          packetVersion: VERSION,
          selectors: [
            { type: 'TextQuoteSelector', exact: quote, prefix: '', suffix: '' },
            { type: 'TextPositionSelector', start, end: start + quote.length },
          ],
        },
      },
      offlineSession.me,
      new Date().toISOString(),
    );
  };

  beforeEach(async () => {
    fakeBrowser.reset();
    surface = new FakeSurface(packetText());
    notes = await openPrivateNotes({ ...offlineSession });
    root = document.createElement('aside');
    document.body.replaceChildren(root);
  });
  afterEach(() => {
    controller?.destroy();
    notes.destroy();
  });

  it('writes a note on the selection: the editor quotes it, Gem stores it, and its card and highlight appear', async () => {
    start();
    surface.select('uden bemærkninger');
    surface.events.emit('write', ['note', null]);

    await vi.waitFor(() => expect(root.querySelector('blockquote')?.textContent).toBe('uden bemærkninger'));
    expect(surface.selected).toBeNull();
    saveEditor('Spørg til reserverne');

    const [stored] = await vi.waitFor(() => {
      const live = liveAnnotations(notes.doc);
      expect(live).toHaveLength(1);
      return live;
    });
    expect(stored?.body).toBe('Spørg til reserverne');
    expect(stored?.target.page).toBe(1);
    expect(stored?.target.agendaItem).toMatchObject({ number: 1, title: 'Budget 2024' });
    await vi.waitFor(() => expect(cardWith('Spørg til reserverne')).toBeDefined());
    const start0 = surface.text.text.indexOf('uden bemærkninger');
    await vi.waitFor(() =>
      expect(surface.marks).toEqual([
        expect.objectContaining({ id: stored?.id, start: start0, end: start0 + 'uden bemærkninger'.length, kind: 'note' }),
      ]),
    );
  });

  it('stores nothing when the editor is cancelled', async () => {
    start();
    surface.select('samle to skoler');
    surface.events.emit('write', ['note', null]);
    await vi.waitFor(() => expect(root.querySelector('#rn-editor-text')).not.toBeNull());
    [...root.querySelectorAll('button')].find((b) => b.textContent === t.cancel)?.click();
    await vi.waitFor(() => expect(root.querySelector('#rn-editor-text')).toBeNull());
    expect(liveAnnotations(notes.doc)).toEqual([]);
  });

  it('puts a region drawn on a page under that page’s agenda item', async () => {
    start();
    const region = { page: 3, x: 0.1, y: 0.2, w: 0.3, h: 0.1 };
    surface.events.emit('write', ['note', { page: 3, packetVersion: VERSION, region }]);
    await vi.waitFor(() => expect(root.querySelector('#rn-editor-text')).not.toBeNull());
    saveEditor('Kortet mangler');
    const [stored] = await vi.waitFor(() => {
      const live = liveAnnotations(notes.doc);
      expect(live).toHaveLength(1);
      return live;
    });
    expect(stored?.target).toMatchObject({ page: 3, region, agendaItem: { number: 2, title: 'Skolestruktur' } });
    await vi.waitFor(() => expect(surface.marks).toEqual([expect.objectContaining({ id: stored?.id, region })]));
  });

  it('says a shared comment needs a group rather than opening an editor', async () => {
    start();
    expect(surface.canShare).toBe(false);
    surface.select('Notat om budgettet');
    surface.events.emit('write', ['comment', null]);
    await vi.waitFor(() => expect(root.textContent).toContain(t.noGroups));
    expect(root.querySelector('#rn-editor-text')).toBeNull();
  });

  it('focuses the card of a clicked highlight without moving the document, and steps through cards revealing their place', async () => {
    storedNote('a', 'Budget 2024', 1);
    storedNote('b', 'Høringssvar', 4);
    start();
    await vi.waitFor(() => expect(cards()).toHaveLength(2));

    surface.events.emit('markClicked', ['b']);
    expect(cardWith('note b')?.classList.contains('rn-focused')).toBe(true);
    expect(surface.revealed).toEqual([]);
    expect(surface.marks.find((m) => m.id === 'b')?.focused).toBe(true);

    controller.step(1);
    expect(cardWith('note a')?.classList.contains('rn-focused')).toBe(true);
    expect(cardWith('note b')?.classList.contains('rn-focused')).toBe(false);
    expect(surface.revealed.at(-1)).toEqual({ page: 1, start: surface.text.text.indexOf('Budget 2024') });
    controller.step(-1);
    expect(surface.revealed.at(-1)).toMatchObject({ page: 4 });
  });

  it('regroups the cards at once when the agenda changes under them', async () => {
    storedNote('a', 'samle to skoler', 3);
    start();
    await vi.waitFor(() => expect(headings()).toEqual(['Punkt 2: Skolestruktur']));

    // A correction says pages 3-4 are item 7.
    controller.setOutline(
      outline([
        { number: 1, title: 'Budget 2024', firstPage: 1, lastPage: 2 },
        { number: 7, title: 'Skolernes fremtid', firstPage: 3, lastPage: 4 },
      ]),
    );
    await vi.waitFor(() => expect(headings()).toEqual(['Punkt 7: Skolernes fremtid']));
    expect(controller.model?.counts).toEqual(new Map([[7, 1]]));
  });

  it('draws the highlights again when the surface renders a page', async () => {
    storedNote('a', 'Budget 2024', 1);
    start();
    await vi.waitFor(() => expect(surface.marks.map((m) => m.id)).toEqual(['a']));
    const drawn = surface.marksShown.length;
    surface.events.emit('rendered', []);
    expect(surface.marksShown).toHaveLength(drawn + 1);
    expect(surface.marks.map((m) => m.id)).toEqual(['a']);
  });

  it('shows a note another device adds, and stops listening to the surface once destroyed', async () => {
    start();
    storedNote('remote', 'Skolestruktur', 3);
    await vi.waitFor(() => expect(cardWith('note remote')).toBeDefined());

    controller.destroy();
    const reads = surface.selectionReads;
    surface.select('Budget 2024');
    // A listening controller would ask for the selection at once (before its first await).
    surface.events.emit('write', ['note', null]);
    expect(surface.selectionReads).toBe(reads);
  });

  it('deletes a note only once "Fortryd" has not been pressed in time, and then clears its words and quote', async () => {
    // Never up by itself here: the controller going away does what is on offer (as a page closing does).
    start({ undoMs: 60_000 });
    storedNote('n1', 'Skolestruktur', 3);
    await vi.waitFor(() => expect(cardWith('note n1')).toBeDefined());
    const stored = () => readAnnotations(notes.doc).find((a) => a.id === 'n1');
    const clickIn = (card: HTMLElement | undefined, label: string) =>
      [...(card?.querySelectorAll('button') ?? [])].find((b) => b.textContent === label)?.click();
    const undoButton = () => [...root.querySelectorAll('button')].find((b) => b.textContent === t.undo);

    clickIn(cardWith('note n1'), t.delete);
    // Gone for the user at once, kept while "Fortryd" is on offer; taken back, it is as it was.
    await vi.waitFor(() => expect(cardWith('note n1')).toBeUndefined());
    expect(stored()).toMatchObject({ deleted: false, body: 'note n1' });
    undoButton()?.click();
    await vi.waitFor(() => expect(cardWith('note n1')).toBeDefined());
    expect(stored()).toMatchObject({ deleted: false, body: 'note n1' });

    clickIn(cardWith('note n1'), t.delete);
    await vi.waitFor(() => expect(cardWith('note n1')).toBeUndefined());
    expect(stored()?.deleted).toBe(false);
    controller.destroy();
    expect(stored()).toMatchObject({ deleted: true, body: '', tags: [], target: { page: 3 } });
    expect(stored()?.target.selectors).toBeUndefined();
  });
});
