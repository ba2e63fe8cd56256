/**
 * Which agenda the viewer shows, kept current: the packet's detection, the agenda page's structure
 * and the corrections (own, the groups'), weighed by shared/agenda/choose-outline.ts whenever a
 * correction changes, here or on another device or by a colleague.
 */
import { type AgendaSource, type ChosenAgenda, chooseAgenda } from '@randnoter/shared/agenda/choose-outline';
import type { AgendaOutline } from '@randnoter/shared/agenda/outline';
import { ObservableV2 } from 'lib0/observable';
import type { Messages } from '../i18n/messages.ts';
import type { AgendaCorrections } from '../sync/agenda-corrections.ts';

export interface AgendaChoice {
  current(): ChosenAgenda;
  /** `change`: what is shown changed (not on every update of a room). */
  readonly events: ObservableV2<{ change: (chosen: ChosenAgenda) => void }>;
  destroy(): void;
}

export interface AgendaChoiceOptions {
  detected: AgendaOutline;
  version: string;
  pages: number;
  /** Null where corrections do not apply (an HTML page). */
  corrections: AgendaCorrections | null;
  fromPage: { outline: AgendaOutline; pageUrl: string } | null;
  /** Group ids, the preferred (default) group first. */
  groupOrder: readonly string[];
}

export function trackAgenda(options: AgendaChoiceOptions): AgendaChoice {
  const { corrections } = options;
  const choose = (): ChosenAgenda => {
    const groups = corrections?.groups() ?? [];
    const rank = (id: string) => {
      const at = options.groupOrder.indexOf(id);
      return at < 0 ? options.groupOrder.length : at;
    };
    return chooseAgenda({
      version: options.version,
      pages: options.pages,
      detected: options.detected,
      own: corrections?.own() ?? null,
      groups: [...groups].sort((a, b) => rank(a.groupId) - rank(b.groupId)),
      fromPage: options.fromPage,
    });
  };
  let chosen = choose();
  let signature = JSON.stringify(chosen);
  const events = new ObservableV2<{ change: (chosen: ChosenAgenda) => void }>();
  const rechoose = () => {
    const next = choose();
    const nextSignature = JSON.stringify(next);
    if (nextSignature === signature) return;
    chosen = next;
    signature = nextSignature;
    events.emit('change', [chosen]);
  };
  corrections?.events.on('change', rechoose);
  return {
    current: () => chosen,
    events,
    destroy() {
      corrections?.events.off('change', rechoose);
      events.destroy();
    },
  };
}

/** What "Indhold" says about where its agenda comes from (null: the packet's own detection). */
export function sourceNote(t: Messages, source: AgendaSource, groupNames: ReadonlyMap<string, string>, language: string): string | null {
  switch (source.kind) {
    case 'own':
      return t.agendaOwn;
    case 'group': {
      const when = source.at
        ? new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'da-DK', { dateStyle: 'short', timeStyle: 'short' }).format(
            new Date(source.at),
          )
        : '';
      return t.agendaCorrectedBy(source.by?.name ?? '?', groupNames.get(source.groupId) ?? source.groupId, when);
    }
    case 'page':
      return t.agendaFromPage;
    case 'detected':
      return null;
  }
}
