/**
 * "Ret indhold" wired to where corrections go: "Gem" into the user's notes room, "Del med
 * gruppen" also to the group (an intent the server applies), the removals. The editor stays open
 * with the reason when the server refuses or cannot be reached; what was saved for the user stays.
 */
import type { ChosenAgenda } from '@randnoter/shared/agenda/choose-outline';
import { type AgendaEditorAction, openAgendaEditor } from '../components/agenda-editor.ts';
import type { ContentsPane } from '../components/contents-pane.ts';
import type { Messages } from '../i18n/messages.ts';
import { problemOf } from '../i18n/problems.ts';
import type { AgendaCorrections } from '../sync/agenda-corrections.ts';

export interface CorrectAgendaOptions {
  t: Messages;
  contents: ContentsPane;
  corrections: AgendaCorrections;
  chosen: ChosenAgenda;
  version: string;
  pages: number;
  /** Groups to share with, the preferred first; empty when not signed in. */
  groups: ReadonlyArray<{ id: string; name: string }>;
  currentPage(): number;
}

export function correctAgenda(options: CorrectAgendaOptions): void {
  const { t, corrections, chosen } = options;
  // In the user's words, never the server's reason (i18n/problems.ts).
  const reason = (error: unknown) => t.problem[problemOf(error)];
  const act = async (action: AgendaEditorAction): Promise<string | null> => {
    switch (action.kind) {
      case 'save':
        corrections.saveOwn(action.correction);
        return null;
      case 'share':
        corrections.saveOwn(action.correction);
        try {
          await corrections.share(action.groupId, action.correction);
          return null;
        } catch (error) {
          return t.fixNotShared(reason(error));
        }
      case 'remove-own':
        corrections.removeOwn();
        return null;
      case 'remove-group':
        try {
          await corrections.removeShared(action.groupId);
          return null;
        } catch (error) {
          return t.fixFailed(reason(error));
        }
    }
  };
  openAgendaEditor(options.contents.startEditing(), t, {
    outline: chosen.outline,
    version: options.version,
    pages: options.pages,
    currentPage: options.currentPage,
    groups: options.groups,
    hasOwn: corrections.own() !== null,
    shownGroup: chosen.source.kind === 'group' ? chosen.source.groupId : null,
    act,
    closed: () => options.contents.stopEditing(),
  });
}
