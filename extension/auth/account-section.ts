/**
 * The options page's sign-in section: "Log ind med din organisation", then who is signed in and
 * their groups (GET /api/me) and "Log ud". It keeps to itself: the rest of the options form (and
 * its Token field, still there for service accounts and test servers) knows only the groups it
 * is handed for "Standardgruppe".
 */
import type { Messages } from '../i18n/messages.ts';
import type { SignInStatus } from '../messaging/auth-messages.ts';
import { loadSettings, saveSettings } from '../settings/settings.ts';
import { fetchMe, type Me } from '../sync/server-api.ts';
import { h } from '../utils/dom.ts';
import { type AskBackground, openSignInAccess, withRenewal } from './page-access.ts';
import { type AuthPlatform, signInProblemText, signInWithOrganisation } from './sign-in-flow.ts';

interface AccountDeps {
  platform: AuthPlatform;
  access: {
    ask: AskBackground;
    now(): number;
    timers: { setTimeout(run: () => void, ms: number): unknown; clearTimeout(handle: unknown): void };
  };
  /** Calls back when the background says who is signed in changed; returns the way to stop. */
  watch(changed: () => void): () => void;
}

export interface AccountSection {
  readonly element: HTMLElement;
  destroy(): void;
}

export function createAccountSection(options: {
  t: Messages;
  /** The server address as typed, normalised; null when it is not usable. */
  serverUrl(): string | null;
  /** The signed-in user's groups, for the default-group list. */
  onGroups(groups: Me['groups']): void;
  /** Whether the page has a token field (not under the organisation's `ssoOnly`): then the hint says what it is for. */
  tokenField: boolean;
  deps: AccountDeps;
}): AccountSection {
  const { t, deps } = options;
  const state = h('p', { class: 'sign-in-state', 'aria-live': 'polite' });
  const groups = h('ul', { class: 'sign-in-groups', 'aria-label': t.yourGroups });
  const signIn = h('button', { type: 'button' }, t.signInWithOrganisation);
  const signOut = h('button', { type: 'button' }, t.signOut);
  const note = h('p', { class: 'hint' });
  const element = h(
    'section',
    { class: 'sign-in', 'aria-labelledby': 'sign-in-heading' },
    h('h2', { id: 'sign-in-heading' }, t.account),
    state,
    groups,
    h('p', { class: 'sign-in-actions' }, signIn, ' ', signOut),
    options.tokenField ? h('p', { class: 'hint' }, t.tokenForServiceAccounts) : null,
    note,
  );
  note.textContent = t.redirectUrlForIt(deps.platform.redirectUrl());

  /** Shows the sign-in for the saved server address; `message` replaces the state line (a problem). */
  const show = async (message: string | null = null) => {
    const status = (await deps.platform.ask({ type: 'rn:auth-status' }).catch(() => null)) as SignInStatus | null;
    const { serverUrl } = await loadSettings();
    const ours = status && status.state !== 'signed-out' && status.serverUrl === serverUrl ? status : null;
    groups.replaceChildren();
    groups.hidden = true;
    signIn.hidden = ours?.state === 'active';
    signOut.hidden = ours === null;
    if (!ours) {
      state.textContent = message ?? t.notSignedInWithOrganisation;
      return;
    }
    if (ours.state === 'ended') {
      state.textContent = message ?? t.signInEnded;
      return;
    }
    state.textContent = message ?? t.signedInAs(ours.user.name);
    const access = await openSignInAccess(serverUrl, deps.access);
    if (!access) return;
    try {
      const me = await withRenewal(access, () => fetchMe(access.identity));
      state.textContent = message ?? t.signedInAs(me.name);
      groups.replaceChildren(...(me.groups.length > 0 ? me.groups.map((g) => h('li', {}, g.name)) : [h('li', {}, t.noGroups)]));
      groups.hidden = false;
      options.onGroups(me.groups);
    } catch (error) {
      state.textContent = `${t.signedInAs(ours.user.name)} ${t.signInFailed(error instanceof Error ? error.message : String(error))}`;
    } finally {
      access.destroy();
    }
  };

  signIn.addEventListener('click', () => {
    void (async () => {
      const url = options.serverUrl();
      if (url === null) {
        state.textContent = t.badServerUrl;
        return;
      }
      // The sign-in belongs to the address typed: keep it, as "Gem" would.
      const settings = await loadSettings();
      if (settings.serverUrl !== url) await saveSettings({ ...settings, serverUrl: url });
      signIn.disabled = true;
      state.textContent = t.signingIn;
      const outcome = await signInWithOrganisation(url, deps.platform);
      signIn.disabled = false;
      await show(outcome.ok ? null : signInProblemText(t, outcome));
    })();
  });
  signOut.addEventListener('click', () => {
    void deps.platform
      .ask({ type: 'rn:auth-sign-out' })
      .catch(() => null)
      .then(() => show());
  });
  const stopWatching = deps.watch(() => void show());
  void show();

  return { element, destroy: stopWatching };
}
