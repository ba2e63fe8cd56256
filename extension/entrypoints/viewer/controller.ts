/**
 * The viewer's behaviour: turns user actions (select text, buttons, keys, clicks on highlights)
 * into document changes, and redraws sidebar and highlights from the documents.
 */

import { type AgendaOutline, placeOfPage } from '@randnoter/shared/agenda/outline';
import { describeRange } from '@randnoter/shared/anchoring/describe-selection';
import type { PacketText } from '@randnoter/shared/anchoring/page-text';
import { type Annotation, AnnotationKind, quoteOf, type Target } from '@randnoter/shared/model/annotation';
import { insertAnnotation, liveAnnotations, patchAnnotation } from '@randnoter/shared/model/annotation-doc';
import { openEditor } from '../../components/note-editor.ts';
import { createOverview, type Tab } from '../../components/overview.ts';
import { createSelectionActions } from '../../components/selection-actions.ts';
import type { Messages } from '../../i18n/messages.ts';
import { drawPageHighlights, highlightAt, type Mark } from '../../pdf/highlights.ts';
import type { PdfView } from '../../pdf/pdf-view.ts';
import { createRegionDraw } from '../../pdf/region-draw.ts';
import { rangeToOffsets } from '../../pdf/selection.ts';
import type { Settings } from '../../settings/settings.ts';
import type { PrivateNotes } from '../../sync/private-notes.ts';
import type { SharedComments } from '../../sync/shared-comments.ts';
import { h } from '../../utils/dom.ts';
import type { Layout } from './layout.ts';
import type { Session } from './session.ts';
import { buildViewModel, type ViewModel } from './view-model.ts';

export interface ControllerDeps {
  t: Messages;
  settings: Settings;
  layout: Layout;
  view: PdfView;
  text: PacketText;
  outline: AgendaOutline | undefined;
  version: string;
  session: Session;
  notes: PrivateNotes;
  shared: SharedComments | null;
}

export interface Controller {
  scheduleRedraw(): void;
  readonly model: ViewModel | null;
  destroy(): void;
}

const now = () => new Date().toISOString();

export function createController(deps: ControllerDeps): Controller {
  const { t, layout, view, text, notes, shared, session } = deps;
  let focusedId: string | null = null;
  /** Whether the next redraw should bring the focused card into view (only after a focus action). */
  let reveal = false;
  let model: ViewModel | null = null;
  const cleanups: Array<() => void> = [];

  const groupNames = new Map(session.groups.map((g) => [g.id, g.name]));
  const sharedAnnotation = (id: string) => shared?.annotations().find((a) => a.id === id);
  const noteAnnotation = (id: string) => liveAnnotations(notes.doc).find((a) => a.id === id);

  const overview = createOverview(
    layout.overview,
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
      reattach: (id) => reattach(id),
      keep: (id) => keep(id),
    },
    deps.settings.language,
  );

  function redraw(): void {
    model = buildViewModel({
      text,
      outline: deps.outline,
      notes: liveAnnotations(notes.doc),
      shared: shared?.annotations() ?? [],
      groupNames,
      myId: session.myId,
      version: deps.version,
      focusedId,
    });
    overview.render({ notes: model.notes, shared: model.shared }, model.moved);
    drawAllHighlights(model.marks);
    if (focusedId) overview.focusCard(focusedId, reveal);
    reveal = false;
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

  function drawAllHighlights(marks: Mark[]): void {
    for (const pageElement of layout.container.querySelectorAll<HTMLElement>('.page')) {
      if (pageElement.querySelector('.textLayer span'))
        drawPageHighlights(pageElement, Number(pageElement.dataset.pageNumber), marks, text);
    }
  }
  cleanups.push(
    view.onTextLayer((n, pageElement) => {
      if (model) drawPageHighlights(pageElement, n, model.marks, text);
    }),
  );

  function focus(id: string, scrollDocument: boolean): void {
    focusedId = id;
    reveal = true;
    const anchor = model?.anchors.get(id);
    if (scrollDocument && anchor?.page) view.goToPage(anchor.page);
    redraw();
  }

  const onContainerClick = (event: MouseEvent) => {
    const pageElement = (event.target as Element).closest<HTMLElement>('.page');
    if (!pageElement || !document.getSelection()?.isCollapsed) return;
    const id = highlightAt(pageElement, event.clientX, event.clientY);
    if (id) focus(id, false);
  };
  layout.container.addEventListener('click', onContainerClick);
  cleanups.push(() => layout.container.removeEventListener('click', onContainerClick));

  // --- Writing -------------------------------------------------------------------------------

  function currentSelectionTarget(): Target | null {
    const selection = document.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    const offsets = rangeToOffsets(selection.getRangeAt(0), layout.container.querySelectorAll('.page'), text);
    if (!offsets) return null;
    return describeRange(text, offsets.start, offsets.end, {
      packetVersion: deps.version,
      ...(deps.outline ? { outline: deps.outline } : {}),
    });
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

  async function write(kind: 'note' | 'comment', target: Target): Promise<void> {
    const tab: Tab = kind === 'note' ? 'notes' : 'shared';
    overview.showTab(tab);
    const chooser = kind === 'comment' ? groupChooser() : null;
    if (kind === 'comment' && !chooser) {
      overview.notice(t.noGroups);
      return;
    }
    const quote = quoteOf(target)?.exact ?? null;
    const body = await openEditor(overview.editorHost(tab), t, { quote, initial: '', ...(chooser ? { extra: chooser.element } : {}) });
    if (body === null) return;
    const draft = {
      id: crypto.randomUUID(),
      kind: kind === 'note' ? AnnotationKind.note : AnnotationKind.comment,
      body,
      replyTo: null,
      target,
      color: null,
      tags: [],
    };
    focusedId = draft.id;
    if (kind === 'note') insertAnnotation(notes.doc, draft, session.me, now());
    else await shared?.create(chooser?.value() ?? '', draft);
    scheduleRedraw();
  }

  /** What the selection-actions toolbar will annotate: the text selection, or a drawn region. */
  let pendingTarget: () => Target | null = currentSelectionTarget;

  async function writeFromSelection(kind: 'note' | 'comment'): Promise<void> {
    const target = pendingTarget();
    pendingTarget = currentSelectionTarget;
    actions.hide();
    if (!target) return;
    document.getSelection()?.removeAllRanges();
    await write(kind, target);
  }

  const regionDraw = createRegionDraw(layout.container, (region, rect) => {
    setRegionTool(false);
    const target: Target = { page: region.page, region, packetVersion: deps.version };
    const place = placeOfPage(deps.outline, region.page);
    target.agendaItem = place.agendaItem;
    target.attachment = place.attachment;
    pendingTarget = () => target;
    actions.show(rect);
  });
  const setRegionTool = (active: boolean) => {
    regionDraw.setActive(active);
    layout.regionNote.setAttribute('aria-pressed', String(active));
  };
  layout.regionNote.addEventListener('click', () => setRegionTool(!regionDraw.active));
  layout.pageNote.addEventListener('click', () => {
    const page = view.viewer.currentPageNumber;
    const place = placeOfPage(deps.outline, page);
    void write('note', { page, packetVersion: deps.version, agendaItem: place.agendaItem, attachment: place.attachment });
  });
  cleanups.push(() => regionDraw.destroy());

  async function edit(id: string): Promise<void> {
    const note = noteAnnotation(id);
    const comment = note ? undefined : sharedAnnotation(id);
    const current = note ?? comment;
    if (!current) return;
    const tab: Tab = note ? 'notes' : 'shared';
    overview.showTab(tab);
    const body = await openEditor(overview.editorHost(tab), t, { quote: null, initial: current.body });
    if (body === null || body === current.body) return;
    if (note) patchAnnotation(notes.doc, id, { body }, now());
    else if (comment) await shared?.edit(comment.groupId, id, { body });
  }

  async function remove(id: string): Promise<void> {
    if (noteAnnotation(id)) patchAnnotation(notes.doc, id, { deleted: true, body: '' }, now());
    else {
      const comment = sharedAnnotation(id);
      if (comment) await shared?.remove(comment.groupId, id);
    }
    if (focusedId === id) focusedId = null;
  }

  async function reply(id: string): Promise<void> {
    const parent = sharedAnnotation(id);
    if (!parent || !shared) return;
    overview.showTab('shared');
    const body = await openEditor(overview.editorHost('shared'), t, { quote: parent.body, initial: '' });
    if (body === null) return;
    await shared.create(parent.groupId, {
      id: crypto.randomUUID(),
      kind: AnnotationKind.reply,
      body,
      replyTo: parent.id,
      target: parent.target,
      color: null,
      tags: [],
    });
  }

  /** Moves a note (made on another version) to the text now selected. */
  function reattach(id: string): void {
    const target = currentSelectionTarget();
    if (!target) {
      overview.notice(t.reattachHint);
      return;
    }
    overview.notice(null);
    document.getSelection()?.removeAllRanges();
    retarget(id, target);
  }

  /** Accepts a note's place in this version: a fuzzy match becomes its exact place, an orphan stays on its page. */
  function keep(id: string): void {
    const annotation: Annotation | undefined = noteAnnotation(id) ?? sharedAnnotation(id);
    const anchor = model?.anchors.get(id);
    if (!annotation || !anchor) return;
    const target =
      anchor.start !== null && anchor.end > anchor.start
        ? describeRange(text, anchor.start, anchor.end, { packetVersion: deps.version, ...(deps.outline ? { outline: deps.outline } : {}) })
        : { ...annotation.target, packetVersion: deps.version };
    if (target) retarget(id, target);
  }

  function retarget(id: string, target: Target): void {
    // Shared comments are the server's to change; only private notes can be moved here.
    if (noteAnnotation(id)) patchAnnotation(notes.doc, id, { target }, now());
  }

  const actions = createSelectionActions(
    t,
    { addNote: () => void writeFromSelection('note'), shareComment: () => void writeFromSelection('comment') },
    () => shared !== null,
  );
  document.body.append(actions.element);
  let selectionTimer = 0;
  const onSelectionChange = () => {
    clearTimeout(selectionTimer);
    selectionTimer = window.setTimeout(() => {
      const selection = document.getSelection();
      if (!selection || selection.isCollapsed || selection.rangeCount === 0 || !layout.container.contains(selection.anchorNode)) {
        if (pendingTarget === currentSelectionTarget) actions.hide();
        return;
      }
      pendingTarget = currentSelectionTarget;
      actions.show(selection.getRangeAt(0).getBoundingClientRect());
    }, 120);
  };
  document.addEventListener('selectionchange', onSelectionChange);
  cleanups.push(() => document.removeEventListener('selectionchange', onSelectionChange));

  // --- Keyboard: annotate, toggle the sidebar, next/previous note -------------------------------

  const onKey = (event: KeyboardEvent) => {
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    const key = event.key.toLowerCase();
    if (key === 'n') void writeFromSelection('note');
    else if (key === 'c' && shared) void writeFromSelection('comment');
    else if (key === 's') layout.overview.hidden = !layout.overview.hidden;
    else if (key === 'j' || key === 'k') {
      const order = overview.order();
      if (order.length === 0) return;
      const at = focusedId ? order.indexOf(focusedId) : -1;
      const next = order[(at + (key === 'j' ? 1 : -1) + order.length) % order.length];
      if (next) focus(next, true);
    } else return;
    event.preventDefault();
  };
  document.addEventListener('keydown', onKey);
  cleanups.push(() => document.removeEventListener('keydown', onKey));

  if (shared) {
    cleanups.push(shared.onRefused((intent, error) => overview.notice(t.refused(error, intent.op === 'create' ? intent.draft.body : ''))));
  }

  return {
    scheduleRedraw,
    get model() {
      return model;
    },
    destroy() {
      for (const cleanup of cleanups) cleanup();
      actions.element.remove();
    },
  };
}
