/**
 * The annotator's behaviour, for any document surface: turns user actions (annotate a selection
 * or a region, card buttons, keys, clicks on highlights) into document changes, and redraws the
 * Overblik and the highlights from the documents after every change.
 */

import { type AgendaOutline, placeOfPage } from '@randnoter/shared/agenda/outline';
import { createAnchorer } from '@randnoter/shared/anchoring/anchor';
import { describeRange } from '@randnoter/shared/anchoring/describe-selection';
import type { Hash64 } from '@randnoter/shared/anchoring/page-fingerprint';
import { identifyPage, textPrintsOf } from '@randnoter/shared/anchoring/page-identity';
import { QUESTION_TAG } from '@randnoter/shared/export/meeting-brief';
import {
  type Annotation,
  AnnotationKind,
  AnnotationLimits,
  type PageIdentity,
  placeIn,
  quoteOf,
  type Region,
  type Target,
  withPlace,
} from '@randnoter/shared/model/annotation';
import { annotationsOf, insertAnnotation, liveAnnotations, patchAnnotation } from '@randnoter/shared/model/annotation-doc';
import { openEditor } from '../components/note-editor.ts';
import { createOverview, type Overview, type Tab } from '../components/overview.ts';
import { createUndoOffers } from '../components/undo-offer.ts';
import type { Messages } from '../i18n/messages.ts';
import { problemOfStatus } from '../i18n/problems.ts';
import type { Settings } from '../settings/settings.ts';
import type { DocumentSurface, WriteKind } from '../surface/document-surface.ts';
import type { PrivateNotes } from '../sync/private-notes.ts';
import type { SharedComments } from '../sync/shared-comments.ts';
import { h } from '../utils/dom.ts';
import type { Session } from './session.ts';
import { buildViewModel, type ViewModel } from './view-model.ts';

export interface ControllerDeps {
  t: Messages;
  settings: Settings;
  /** The element that becomes the "Overblik" pane. */
  overviewRoot: HTMLElement;
  surface: DocumentSurface;
  outline: AgendaOutline | undefined;
  /** The version shown, e.g. `urn:x-pdf:<fingerprint>`. */
  version: string;
  session: Session;
  notes: PrivateNotes;
  shared: SharedComments | null;
  /** Whether the document has pages worth naming on cards (a PDF) or not (an HTML page). */
  showPages?: boolean;
  /** Called after every redraw, e.g. to update note counts in "Indhold". */
  onModel?: (model: ViewModel) => void;
  /** How long "Fortryd" is offered before a note's or shared comment's deletion is done (default 8 s). */
  undoMs?: number;
  /** A card was focused: the user reads that comment (its notifications are read). */
  onFocus?: (id: string) => void;
  /** The Overblik has a third tab "Til mig" (signed in). */
  inbox?: boolean;
}

/** Long enough to read the line and reach the button; short enough that colleagues soon see it gone. */
const UNDO_MS = 8000;

export interface Controller {
  readonly overview: Overview;
  readonly model: ViewModel | null;
  /** A note (or comment) on a whole page. */
  writePageNote(kind: WriteKind): Promise<void>;
  /** Moves to the next (+1) or previous (-1) card. */
  step(direction: 1 | -1): void;
  /** Annotates the current selection (keyboard shortcut). */
  writeSelection(kind: WriteKind): Promise<void>;
  focus(id: string, revealDocument: boolean): void;
  /** Shows the notes under another agenda (a correction arrived or was removed): regroups at once. */
  setOutline(outline: AgendaOutline | undefined): void;
  destroy(): void;
}

const now = () => new Date().toISOString();

export function createController(deps: ControllerDeps): Controller {
  const { t, surface, notes, shared, session } = deps;
  const text = surface.text;
  /** The surface's image prints once rendered; undefined until then (or for good, where there are none). */
  let images: ReadonlyArray<Hash64 | null> | undefined;
  let imagesLoading: Promise<ReadonlyArray<Hash64 | null>> | null = null;
  let textPrints: Array<Hash64 | null> | null = null;
  // The agenda may change while the packet is open (an agenda correction): read it from here.
  let outline = deps.outline;
  const anchorerFor = (o: typeof outline) =>
    createAnchorer(text, { ...(o ? { outline: o } : {}), version: deps.version, images: () => images });
  let anchorer = anchorerFor(outline);
  let focusedId: string | null = null;
  /** Whether the next redraw should bring the focused card into view (only after a focus action). */
  let reveal = false;
  /** The Overblik's notice says "Markér tekst først". */
  let askedToSelect = false;
  let model: ViewModel | null = null;
  const cleanups: Array<() => void> = [];

  const groupNames = new Map(session.groups.map((g) => [g.id, g.name]));
  const sharedAnnotation = (id: string) => shared?.annotations().find((a) => a.id === id);
  const noteAnnotation = (id: string) => liveAnnotations(notes.doc).find((a) => a.id === id);
  const describe = (start: number, end: number) =>
    describeRange(text, start, end, { packetVersion: deps.version, ...(outline ? { outline } : {}) });

  const overview = createOverview(
    deps.overviewRoot,
    t,
    {
      select: (id) => focus(id, true),
      edit: (id) => void edit(id),
      remove: (id) => void remove(id),
      reply: (id) => void reply(id),
      resolve: (id, resolved) => {
        const a = sharedAnnotation(id);
        if (a) void shared?.edit(a.groupId, id, { resolved });
      },
      reattach: (id) => void reattach(id),
      keep: (id) => void keep(id),
      colour: (id, hex) => {
        if (noteAnnotation(id)) patchAnnotation(notes.doc, id, { color: hex }, now());
      },
      question: (id, marked) => {
        const note = noteAnnotation(id);
        if (!note) return;
        const tags = note.tags.filter((tag) => tag !== QUESTION_TAG);
        patchAnnotation(notes.doc, id, { tags: marked ? [...tags, QUESTION_TAG] : tags }, now());
      },
    },
    {
      language: deps.settings.language,
      pageLabel: (page) => (deps.showPages === false ? null : t.page(page)),
      myId: session.myId,
      inbox: deps.inbox ?? false,
    },
  );
  /** Notes and shared comments the user deleted, while "Fortryd" is on offer. */
  const deleting = new Set<string>();
  const undoOffers = createUndoOffers(overview.undoHost, t, deps.undoMs ?? UNDO_MS);

  /** Renders the image prints once; a failure leaves none, so scans' notes from other versions are listed to check. */
  function loadImages(): Promise<ReadonlyArray<Hash64 | null>> {
    imagesLoading ??= (surface.pageImages?.() ?? Promise.resolve([]))
      .catch(() => [])
      .then((rendered) => {
        images = rendered;
        scheduleRedraw();
        return rendered;
      });
    return imagesLoading;
  }

  /**
   * A scan's note from another version is found by the image of its page, which takes a moment to
   * render: until then it is left out rather than shown on its old page number or listed to check.
   */
  const waitsForImages = (annotation: Annotation): boolean => {
    if (images !== undefined || !surface.pageImages) return false;
    const place = placeIn(annotation.target, deps.version);
    return !quoteOf(place) && place.pageIdentity?.image !== undefined && place.packetVersion !== deps.version;
  };

  /** What the page is, for a page or region note put on it now. */
  async function identify(page: number): Promise<PageIdentity | undefined> {
    textPrints ??= textPrintsOf(text);
    const image = textPrints[page - 1] === null && surface.pageImages ? await loadImages() : undefined;
    return identifyPage({ text: textPrints, ...(image ? { image } : {}) }, page);
  }

  /** A page or region note's place on a page of this version. */
  async function pageTarget(page: number, region: Region | undefined): Promise<Target> {
    const identity = await identify(page);
    return {
      page,
      packetVersion: deps.version,
      ...placeOfPage(outline, page),
      ...(region ? { region: { ...region, page } } : {}),
      ...(identity ? { pageIdentity: identity } : {}),
    };
  }

  function redraw(): void {
    // Timed with the User Timing API: visible in the browser's performance panel and read by bench/.
    const started = performance.now();
    // A note or comment whose deletion is still on offer to undo is gone for the user.
    const notesNow = liveAnnotations(notes.doc).filter((a) => !deleting.has(a.id));
    // A shared one is not yet gone for colleagues.
    const sharedNow = (shared?.annotations() ?? []).filter((a) => !deleting.has(a.id));
    if (notesNow.some(waitsForImages) || sharedNow.some(waitsForImages)) void loadImages();
    model = buildViewModel({
      anchor: anchorer,
      outline,
      notes: notesNow.filter((a) => !waitsForImages(a)),
      shared: sharedNow.filter((a) => !waitsForImages(a)),
      groupNames,
      ...(shared ? { people: shared.people() } : {}),
      myId: session.myId,
      version: deps.version,
      focusedId,
    });
    overview.render({ notes: model.notes, shared: model.shared }, model.moved);
    surface.showMarks(model.marks);
    // A card just written may appear only in a later redraw (a comment the server has yet to
    // answer): the request to move focus to it waits for it.
    if (!focusedId || overview.focusCard(focusedId, reveal)) reveal = false;
    deps.onModel?.(model);
    performance.measure('randnoter:redraw', { start: started, end: performance.now() });
  }

  let queued = false;
  const scheduleRedraw = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      redraw();
    });
  };
  const observer = () => scheduleRedraw();
  annotationsOf(notes.doc).observeDeep(observer);
  cleanups.push(() => annotationsOf(notes.doc).unobserveDeep(observer));
  if (shared) cleanups.push(shared.onChange(scheduleRedraw));
  const onRendered = surface.events.on('rendered', () => model && surface.showMarks(model.marks));
  cleanups.push(() => surface.events.off('rendered', onRendered));

  function focus(id: string, revealDocument: boolean): void {
    focusedId = id;
    reveal = true;
    const anchor = model?.anchors.get(id);
    if (revealDocument && anchor?.page) surface.reveal({ page: anchor.page, start: anchor.start });
    redraw();
    deps.onFocus?.(id);
  }
  const onMarkClicked = surface.events.on('markClicked', (id) => focus(id, false));
  cleanups.push(() => surface.events.off('markClicked', onMarkClicked));

  // --- Writing -------------------------------------------------------------------------------

  async function selectionTarget(): Promise<Target | null> {
    const offsets = await surface.selection();
    return offsets ? describe(offsets.start, offsets.end) : null;
  }

  function groupChooser(): { element: HTMLElement; value: () => string } | null {
    if (session.groups.length === 0) return null;
    const select = h('select', { id: 'rn-editor-group' }, ...session.groups.map((g) => h('option', { value: g.id }, g.name)));
    const preferred = deps.settings.defaultGroup;
    if (session.groups.some((g) => g.id === preferred)) select.value = preferred;
    return {
      element: h('p', { class: 'rn-editor-group' }, h('label', { for: 'rn-editor-group' }, t.group), select),
      value: () => select.value,
    };
  }

  async function write(kind: WriteKind, given: Target): Promise<void> {
    // Regions and page notes arrive without their agenda place; selections have it already.
    let target = given.agendaItem === undefined ? { ...given, ...placeOfPage(outline, given.page) } : given;
    // A page or region note also records what its page is (rendering a scan's image meanwhile), to find it in later versions.
    const identity = quoteOf(target) ? null : identify(target.page);
    const tab: Tab = kind === 'note' ? 'notes' : 'shared';

    overview.showTab(tab);
    const chooser = kind === 'comment' ? groupChooser() : null;
    if (kind === 'comment' && !chooser) {
      overview.notice(t.noGroups);
      return;
    }
    const quote = quoteOf(target)?.exact ?? null;
    const mentions = shared && chooser ? { audience: () => shared.audience(chooser.value(), target, null) } : undefined;
    const written = await openEditor(overview.editorHost(tab), t, {
      quote,
      initial: '',
      ...(chooser ? { extra: chooser.element } : {}),
      ...(mentions ? { mentions } : {}),
    });
    if (written === null) return;
    const body = written.body;
    const pageIdentity = await identity;
    if (pageIdentity) target = { ...target, pageIdentity };
    const draft = {
      id: crypto.randomUUID(),
      kind: kind === 'note' ? AnnotationKind.note : AnnotationKind.comment,
      body,
      replyTo: null,
      target,
      color: null,
      tags: [],
      ...(written.mentions?.length ? { mentions: written.mentions } : {}),
    };
    // Keyboard focus goes to the saved card, so a screen-reader user keeps their place.
    focusedId = draft.id;
    reveal = true;
    if (kind === 'note') insertAnnotation(notes.doc, draft, session.me, now());
    else {
      try {
        await shared?.create(chooser?.value() ?? '', draft);
      } catch {
        // A closed item the user may not read: nothing was sent; the text is shown so it is not lost.
        overview.notice(`${t.closedLocked} ${body}`);
      }
    }
    scheduleRedraw();
  }

  /** Annotates the surface's selection, or a place the surface chose (a drawn region). */
  async function writeFrom(kind: WriteKind, given: Target | null): Promise<void> {
    const target = given ?? (await selectionTarget());
    surface.clearSelection();
    // A shortcut with nothing selected (nor a search hit) says what to do instead of nothing;
    // the advice goes once it was followed (other notices stay: one may hold unsent text).
    if (!target) overview.notice(t.selectTextFirst);
    else if (askedToSelect) overview.notice(null);
    askedToSelect = !target;
    if (target) await write(kind, target);
  }
  const onWrite = surface.events.on('write', (kind, given) => void writeFrom(kind, given));
  cleanups.push(() => surface.events.off('write', onWrite));
  surface.setCanShare(shared !== null);

  async function writePageNote(kind: WriteKind): Promise<void> {
    await write(kind, { page: surface.currentPage(), packetVersion: deps.version });
  }

  /** Whom a comment mentions now, by the names known (an edit keeps them while their @Name stays). */
  const mentionedBy = (comment: Annotation) =>
    (comment.mentions ?? []).flatMap((mentioned) => {
      const name = shared?.people().get(mentioned);
      return name ? [{ id: mentioned, name }] : [];
    });
  const sameIds = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

  async function edit(id: string): Promise<void> {
    const note = noteAnnotation(id);
    const comment = note ? undefined : sharedAnnotation(id);
    const current = note ?? comment;
    if (!current) return;
    const tab: Tab = note ? 'notes' : 'shared';
    overview.showTab(tab);
    const before = comment && shared ? mentionedBy(comment) : [];
    const written = await openEditor(overview.editorHost(tab), t, {
      quote: null,
      initial: current.body,
      ...(comment && shared
        ? { mentions: { audience: () => shared.audience(comment.groupId, comment.target, comment.replyTo), initial: before } }
        : {}),
    });
    if (written === null) return;
    focusedId = id;
    reveal = true;
    scheduleRedraw();
    const { body } = written;
    // A mentioned person whose name is not known here cannot be seen in the text: they stay mentioned.
    const unknown = (comment?.mentions ?? []).filter((m) => !before.some((p) => p.id === m));
    const mentions = [...(written.mentions ?? []), ...unknown].slice(0, AnnotationLimits.mentionsMax);
    const mentionsChanged = comment !== undefined && !sameIds(mentions, comment.mentions ?? []);
    if (body === current.body && !mentionsChanged) return;
    if (note) patchAnnotation(notes.doc, id, { body }, now());
    else if (comment) await shared?.edit(comment.groupId, id, { body, ...(mentionsChanged ? { mentions } : {}) });
  }

  async function remove(id: string): Promise<void> {
    if (noteAnnotation(id)) {
      // As a shared comment: "Fortryd" for a few seconds, then the tombstone, its words, tags and
      // quote cleared, so they leave the server's storage at the room's next compaction.
      deleting.add(id);
      undoOffers.offer(
        t.noteDeleted,
        () => {
          deleting.delete(id);
          const note = noteAnnotation(id);
          if (note) patchAnnotation(notes.doc, id, { deleted: true, body: '', tags: [], target: { page: note.target.page } }, now());
          scheduleRedraw();
        },
        () => {
          deleting.delete(id);
          focusedId = id;
          reveal = true;
          scheduleRedraw();
        },
      );
      scheduleRedraw();
    } else {
      const comment = sharedAnnotation(id);
      // Colleagues would lose it at once: it goes only when "Fortryd" has not been pressed in time.
      if (comment && shared) {
        deleting.add(id);
        undoOffers.offer(
          t.commentDeleted,
          () => {
            void shared.remove(comment.groupId, id).finally(() => {
              deleting.delete(id);
              scheduleRedraw();
            });
          },
          () => {
            deleting.delete(id);
            focusedId = id;
            reveal = true;
            scheduleRedraw();
          },
        );
        scheduleRedraw();
      }
    }
    if (focusedId === id) focusedId = null;
  }

  async function reply(id: string): Promise<void> {
    const parent = sharedAnnotation(id);
    if (!parent || !shared) return;
    overview.showTab('shared');
    const written = await openEditor(overview.editorHost('shared'), t, {
      quote: parent.body,
      initial: '',
      mentions: { audience: () => shared.audience(parent.groupId, parent.target, parent.id) },
    });
    if (written === null) return;
    const replyId = crypto.randomUUID();
    focusedId = replyId;
    reveal = true;
    await shared.create(parent.groupId, {
      id: replyId,
      kind: AnnotationKind.reply,
      body: written.body,
      replyTo: parent.id,
      target: parent.target,
      color: null,
      tags: [],
      ...(written.mentions?.length ? { mentions: written.mentions } : {}),
    });
  }

  /** Moves a note (made on another version) to the text now selected; a page or region note to the page in view. */
  async function reattach(id: string): Promise<void> {
    const annotation = noteAnnotation(id) ?? sharedAnnotation(id);
    const place = annotation && placeIn(annotation.target, deps.version);
    if (place && !quoteOf(place)) {
      overview.notice(null);
      retarget(id, await pageTarget(surface.currentPage(), place.region));
      return;
    }
    const target = await selectionTarget();
    if (!target) {
      overview.notice(t.reattachHint);
      return;
    }
    overview.notice(null);
    surface.clearSelection();
    retarget(id, target);
  }

  /** Accepts a note's place in this version: a fuzzy match becomes its exact place, an orphan stays on its page. */
  async function keep(id: string): Promise<void> {
    const annotation: Annotation | undefined = noteAnnotation(id) ?? sharedAnnotation(id);
    const anchor = model?.anchors.get(id);
    if (!annotation || !anchor) return;
    const place = placeIn(annotation.target, deps.version);
    if (!quoteOf(place)) {
      retarget(id, await pageTarget(anchor.page ?? place.page, place.region));
      return;
    }
    const target =
      anchor.start !== null && anchor.end > anchor.start ? describe(anchor.start, anchor.end) : { ...place, packetVersion: deps.version };
    if (target) retarget(id, target);
  }

  /**
   * Puts a note at `target` in this version only: re-attaching in a republished packet never
   * changes where the versions before it show the note (withPlace).
   */
  function retarget(id: string, target: Target): void {
    // Shared comments are the server's to change; only private notes can be moved here.
    const note = noteAnnotation(id);
    if (note) patchAnnotation(notes.doc, id, { target: withPlace(note.target, { ...target, packetVersion: deps.version }) }, now());
  }

  function step(direction: 1 | -1): void {
    const order = overview.order();
    if (order.length === 0) return;
    const at = focusedId ? order.indexOf(focusedId) : -1;
    const next = order[(at + direction + order.length) % order.length];
    if (next) focus(next, true);
  }

  // Deletions still on offer are done when the annotator goes (restart, page closed): the user asked.
  cleanups.push(() => undoOffers.settle());
  if (shared) {
    cleanups.push(
      shared.onRefused((intent, status) =>
        overview.notice(t.refused(t.problem[problemOfStatus(status)], intent.op === 'create' ? intent.draft.body : '')),
      ),
    );
  }
  scheduleRedraw();

  return {
    overview,
    get model() {
      return model;
    },
    writePageNote,
    step,
    writeSelection: (kind) => writeFrom(kind, null),

    focus,
    setOutline(next) {
      outline = next;
      anchorer = anchorerFor(outline);
      scheduleRedraw();
    },
    destroy() {
      for (const cleanup of cleanups.splice(0)) cleanup();
    },
  };
}
