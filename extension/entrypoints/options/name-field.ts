/**
 * "Visningsnavn": the name the server has for the user, so the name in Options is the one on
 * their comments, presence and pending items (one name per person). Signed in, saving a new name
 * renames the user on the server; a name that comes from the organisation's sign-in is shown but
 * cannot be changed here (the next sign-in would set it again). Not signed in, it names the
 * user's notes in this browser only.
 */
import { pageAccessDeps } from '../../auth/browser-auth.ts';
import { openAccess, withRenewal } from '../../auth/page-access.ts';
import type { Messages } from '../../i18n/messages.ts';
import { problemOf } from '../../i18n/problems.ts';
import type { Settings } from '../../settings/settings.ts';
import { fetchMe, type Me, renameMe } from '../../sync/server-api.ts';
import { h } from '../../utils/dom.ts';
import { describeBy } from './policy-notes.ts';

export interface NameField {
  readonly element: HTMLElement;
  /** The name as typed (what the browser keeps for when the user is not signed in). */
  value(): string;
  /** After the settings are saved: renames the user on the server if the name changed; what to tell the user, or null. */
  save(settings: Settings): Promise<string | null>;
}

/** GET /api/me or PUT /api/me/name with the access these settings give; null when there is none. */
async function withAccount(settings: Settings, ask: (identity: { serverUrl: string; token: string }) => Promise<Me>): Promise<Me | null> {
  const access = await openAccess(settings, pageAccessDeps);
  if (!access) return null;
  try {
    return await withRenewal(access, () => ask(access.identity));
  } finally {
    access.destroy();
  }
}

export function createNameField(t: Messages, settings: Settings): NameField {
  const input = h('input', { type: 'text', autocomplete: 'name', id: 'displayName' });
  const hint = h('span', { id: 'displayName-hint', class: 'hint' }, t.nameHint);
  describeBy(input, hint.id);
  input.value = settings.displayName;
  const element = h('p', { class: 'field' }, h('label', { for: input.id }, t.displayName), input, hint);
  const show = (me: Me) => {
    input.value = me.name;
    input.readOnly = me.nameFromSignIn;
    hint.textContent = me.nameFromSignIn ? t.nameFromOrganisation : t.nameHint;
  };
  // Only a name the user typed renames them: an untouched field (the browser's name, shown while
  // the server's was not known yet) is no request to change anything.
  let typed = false;
  input.addEventListener('input', () => {
    typed = true;
  });
  // The server's name replaces the browser's as soon as it is known (unless the user is typing);
  // offline the browser's stays.
  void withAccount(settings, fetchMe).then(
    (me) => me && !typed && show(me),
    () => {},
  );

  return {
    element,
    value: () => input.value.trim(),
    async save(saved) {
      const name = input.value.trim();
      if (!typed || name === '') return null;
      try {
        // Asked again: the save may have changed the server or the token.
        const current = await withAccount(saved, fetchMe);
        if (!current) return null;
        typed = false;
        if (current.nameFromSignIn || current.name === name) {
          show(current);
          return current.name === name ? null : t.nameFromOrganisation;
        }
        const me = await withAccount(saved, (identity) => renameMe(identity, name));
        if (me) show(me);
        return me && t.nameChanged(me.name);
      } catch (error) {
        return t.nameNotChanged(t.problem[problemOf(error)]);
      }
    },
  };
}
