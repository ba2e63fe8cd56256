/**
 * Everything an annotated document needs besides the document itself, started in one place for
 * the PDF viewer and the HTML sidebar: the user's notes room, the group rooms, presence, the
 * "Indhold" pane, the controller and the status line.
 */
import { preferredGroups } from '@randnoter/shared/agenda/choose-outline';
import type { AgendaOutline } from '@randnoter/shared/agenda/outline';
import { renderMeetingBrief } from '@randnoter/shared/export/render-meeting-brief';
import { liveAnnotations } from '@randnoter/shared/model/annotation-doc';
import { browser } from 'wxt/browser';
import { browserAuthPlatform } from '../auth/browser-auth.ts';
import { signInProblemText, signInWithOrganisation } from '../auth/sign-in-flow.ts';
import { createContentsPane } from '../components/contents-pane.ts';
import { downloadFile, printHtml } from '../components/deliver-file.ts';
import { createExportPanel } from '../components/export-panel.ts';
import { createMeetingBriefPanel } from '../components/meeting-brief-panel.ts';
import { renderStatus } from '../components/status-line.ts';
import type { Messages } from '../i18n/messages.ts';
import { problemOfClose, problemOfStatus } from '../i18n/problems.ts';
import type { Settings } from '../settings/settings.ts';
import type { DocumentSurface } from '../surface/document-surface.ts';
import { openAgendaCorrections } from '../sync/agenda-corrections.ts';
import { openPrivateNotes } from '../sync/private-notes.ts';
import { ApiError } from '../sync/server-api.ts';
import { openSharedComments, type SharedComments } from '../sync/shared-comments.ts';
import { sourceNote, trackAgenda } from './agenda-choice.ts';
import { type Controller, createController } from './controller.ts';
import { correctAgenda } from './correct-agenda.ts';
import { type ExportSource, exportFileNameOf, exportFormatsOf, exportOverview, meetingBriefOf, type PacketPdf } from './export-overview.ts';
import { openNotificationsPane } from './notifications-pane.ts';
import { trackPresence } from './presence.ts';
import type { Session } from './session.ts';

export interface AnnotatorPlaces {
  overview: HTMLElement;
  /** Filled with the agenda when one was recognised; hidden otherwise (the caller may show bookmarks). */
  contents: HTMLElement;
  status: HTMLElement;
}

export interface AnnotatorOptions {
  t: Messages;
  settings: Settings;
  session: Session;
  surface: DocumentSurface;
  /** What detection found in the document. */
  outline: AgendaOutline;
  /** Whether the user may correct the agenda ("Ret indhold": PDFs, whose pages it names). */
  corrections: boolean;
  /** The structure of an HTML agenda page that links this PDF, placed on its pages (used when detection is unsure). */
  fromPage?: { outline: AgendaOutline; pageUrl: string } | null;
  version: string;
  places: AnnotatorPlaces;
  showPages: boolean;
  /** The document's title, for exports. */
  title: string;
  /** The meeting date the packet states (YYYY-MM-DD), for export file names. */
  meetingDate: string | null;
  /** The original PDF, for the annotated packet; null for an HTML page. */
  pdf: PacketPdf | null;
  /** Brings a page of the document into view (from "Indhold"). */
  goToPage(page: number): void;
  /** Starts the annotator again: a group's room or the notes room was rewritten and its local copy dropped (1012). */
  restart?: () => void;
  /** The address that opens this packet again (the viewer's, or the HTML page's): the inbox opens it from other packets. */
  openUrl: string;
  /** A comment to focus once it is shown (the inbox opened this packet at it). */
  focusOnOpen?: string | null;
}

export interface Annotator {
  readonly controller: Controller;
  /** Whether "Indhold" lists an agenda when the document opens (else the caller may show bookmarks). */
  readonly hasAgenda: boolean;
  /** Tells colleagues where the user is reading. */
  readingPage(page: number): void;
  destroy(): void;
}

export async function startAnnotator(options: AnnotatorOptions): Promise<Annotator> {
  const { t, session, places } = options;
  const { access } = session;
  const rooms = {
    identity: session.identity,
    namespace: session.namespace,
    packetId: session.packetId,
    // An ended sign-in opens no socket: the server would refuse it.
    signedIn: session.signedIn && !access?.ended(),
    ...(access ? { renew: access.renew } : {}),
  };
  // "Til mig" and the badge: the notes socket also carries the user's notifications (?notify=1).
  const notifications = rooms.signedIn ? openNotificationsPane({ t, session, settings: options.settings, openUrl: options.openUrl }) : null;
  const notes = await openPrivateNotes({
    ...rooms,
    ...(options.restart ? { onRewritten: options.restart } : {}),
    ...(notifications ? { onNotification: notifications.received } : {}),
  });
  const shared =
    rooms.signedIn && session.groups.length > 0
      ? await openSharedComments({
          ...rooms,
          groups: session.groups,
          me: session.me,
          ...(options.restart ? { onRewritten: options.restart } : {}),
        })
      : null;
  const groupNames = new Map(session.groups.map((g) => [g.id, g.name]));
  const groups = preferredGroups(session.groups, options.settings.defaultGroup || null);
  const pages = options.surface.text.pages.length;

  const corrections = options.corrections
    ? openAgendaCorrections({
        notes: notes.doc,
        rooms: shared?.rooms ?? [],
        identity: session.identity,
        packetId: session.packetId,
        me: session.me,
      })
    : null;
  const agenda = trackAgenda({
    detected: options.outline,
    version: options.version,
    pages,
    corrections,
    fromPage: options.fromPage ?? null,
    groupOrder: groups.map((g) => g.id),
  });
  const outline = () => agenda.current().outline;
  const hasAgenda = outline().items.length > 0;

  const presence = trackPresence(shared, session, outline);
  const secretaryOf = session.groups.find((g) => g.role === 'secretary')?.id ?? null;
  const contents =
    hasAgenda || corrections
      ? createContentsPane(places.contents, t, options.goToPage, {
          ...(corrections ? { correct } : {}),
          ...(shared && secretaryOf ? { setClosed, exclusions: exclusionsOf(shared, secretaryOf) } : {}),
        })
      : null;
  /** A secretary closes and opens items for the first group they are a secretary of (docs/CLOSED-ITEMS.md). */
  function setClosed(itemNumber: number, close: boolean, excluded: readonly string[] = []): Promise<void> {
    if (!shared || !secretaryOf) return Promise.resolve();
    return shared.setClosed(secretaryOf, itemNumber, close, excluded).then(drawContents, (error: unknown) => {
      controller.overview.notice(t.problem[problemOfStatus(error instanceof ApiError ? error.status : 0)]);
    });
  }
  function exclusionsOf(comments: SharedComments, groupId: string) {
    return {
      self: session.me.id,
      members: () => comments.members(groupId),
      excludedFrom: (itemNumber: number) => comments.excludedFrom(groupId, itemNumber),
    };
  }
  function correct(): void {
    if (!contents || !corrections) return;
    correctAgenda({
      t,
      contents,
      corrections,
      chosen: agenda.current(),
      version: options.version,
      pages,
      // Sharing needs the server: signed in, with groups.
      groups: shared ? groups : [],
      currentPage: () => options.surface.currentPage(),
    });
  }
  const drawContents = () =>
    contents?.render(
      outline(),
      controller.model?.counts ?? new Map(),
      presence.readers(),
      presence.currentItem(),
      sourceNote(t, agenda.current().source, groupNames, options.settings.language),
      shared?.closedItems() ?? new Map(),
    );
  const controller = createController({
    t,
    settings: options.settings,
    overviewRoot: places.overview,
    surface: options.surface,
    outline: outline(),
    version: options.version,
    session,
    notes,
    shared,
    showPages: options.showPages,
    onModel: (model) => {
      drawContents();
      notifications?.modelShown(model);
    },
    inbox: notifications !== null,
    ...(notifications ? { onFocus: notifications.read } : {}),
  });
  notifications?.attach(controller, shared, options.focusOnOpen ?? null);
  if (notifications && notes.connection) {
    const connection = notes.connection;
    const live = () => notifications.setLive(connection.status().connection === 'connected');
    connection.onStatus(live);
    live();
  }
  presence.events.on('change', drawContents);
  presence.moveTo(1);
  // A correction here, on another device or by a colleague: the Overblik and Indhold regroup at once.
  agenda.events.on('change', (chosen) => {
    controller.setOutline(chosen.outline);
    presence.refresh();
    drawContents();
  });

  const sharedForExport = () =>
    (shared?.annotations() ?? []).map((a) => ({ ...a, group: { id: a.groupId, name: groupNames.get(a.groupId) ?? a.groupId } }));
  const source: ExportSource = {
    title: options.title,
    // Exports group by what the viewer shows (the same precedence).
    get outline() {
      return outline();
    },
    text: options.surface.text,
    version: options.version,
    pdf: options.pdf,
    ...(options.surface.pageImages ? { pageImages: options.surface.pageImages } : {}),
    language: options.settings.language,
    meetingDate: options.meetingDate,
    committees: groups.map((g) => g.name),
    notes: () => liveAnnotations(notes.doc),
    // Comments from a closed item's room (only there for those who may read it) go in their own
    // section, on pages marked "Lukket punkt – fortroligt", as the server's export does.
    shared: () => sharedForExport().filter((a) => a.itemNumber === null),
    closed: () => sharedForExport().filter((a) => a.itemNumber !== null),
  };
  const exporter = createExportPanel(t, exportFormatsOf(source), async (choice, progress) => {
    const result = await exportOverview(source, choice, progress);
    if (choice.format === 'html') {
      await printHtml(new TextDecoder().decode(result.bytes), options.title);
      return t.exportPrinting;
    }
    const name = exportFileNameOf(source, choice.format);
    await downloadFile(result.bytes, result.mediaType, name, browser.downloads ?? null);
    return t.exportSaved(name);
  });
  const brief = createMeetingBriefPanel(
    t,
    {
      brief: () => meetingBriefOf(source, session.myId),
      show: (id) => controller.focus(id, true),
    },
    async (choice, made) => {
      const html = renderMeetingBrief(made, { pagePerItem: choice.pagePerItem });
      if (choice.action === 'print') {
        await printHtml(html, options.title);
        return t.exportPrinting;
      }
      const name = exportFileNameOf(source, 'html', t.meetingBrief);
      await downloadFile(new TextEncoder().encode(html), 'text/html; charset=utf-8', name, browser.downloads ?? null);
      return t.exportSaved(name);
    },
  );
  controller.overview.actionsHost.append(exporter.element, brief.element);

  let signInProblem: string | null = null;
  // After a successful sign-in the background tells every page, and the page restarts its annotator.
  const signInAgain = () => {
    void signInWithOrganisation(session.identity.serverUrl, browserAuthPlatform).then((outcome) => {
      signInProblem = outcome.ok ? null : signInProblemText(t, outcome);
      showStatus();
    });
  };
  const showStatus = () => {
    const connection = notes.connection?.status();
    renderStatus(
      places.status,
      t,
      {
        connection: !session.signedIn ? 'signed-out' : access?.ended() ? 'sign-in-ended' : (connection?.connection ?? 'offline'),
        unsaved: (connection?.unsaved ?? 0) + (shared?.pendingCount() ?? 0),
        problem: connection?.refused != null ? problemOfClose(connection.refused) : session.problem,
        signInProblem,
      },
      { signInAgain },
    );
  };
  notes.connection?.onStatus(showStatus);
  shared?.onChange(showStatus);
  shared?.onChange(drawContents);
  const stopWatchingSignIn = access?.onEnded(showStatus);
  showStatus();

  return {
    controller,
    hasAgenda,
    readingPage(page) {
      presence.moveTo(page);
      drawContents();
    },
    destroy() {
      exporter.destroy();
      brief.destroy();
      agenda.destroy();
      corrections?.destroy();
      notifications?.destroy();
      controller.destroy();
      presence.destroy();
      shared?.destroy();
      notes.destroy();
      stopWatchingSignIn?.();
      access?.destroy();
    },
  };
}
