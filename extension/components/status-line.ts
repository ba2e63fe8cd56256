/**
 * "Forbundet" / "Offline" / "Gemt" / pending count, announced politely to screen readers. When the
 * sign-in through the organisation has ended it says so, with a "Log ind igen" button: never just
 * "Offline", which would send the user looking at their network.
 */
import type { Messages } from '../i18n/messages.ts';
import type { Problem } from '../i18n/problems.ts';
import { h } from '../utils/dom.ts';

export interface StatusInput {
  connection: 'connecting' | 'connected' | 'offline' | 'signed-out' | 'sign-in-ended';
  unsaved: number;
  /** Why the server cannot be used (refused us, or does not answer): said while not connected. */
  problem: Problem | null;
  /** Why the last "Log ind igen" did not work, shown beside the button. */
  signInProblem?: string | null;
}

function statusText(t: Messages, s: StatusInput): string {
  if (s.connection === 'signed-out') return t.notSignedIn;
  if (s.connection === 'sign-in-ended') {
    const pending = s.unsaved > 0 ? ` ${t.pending(s.unsaved)}.` : '';
    return `${s.signInProblem ?? t.signInEnded}${pending}`;
  }
  // What to do about it follows what is waiting: the count stays in view.
  const problem = s.problem && s.connection !== 'connected' ? t.problem[s.problem] : null;
  const connection = problem
    ? t.offline
    : s.connection === 'connected'
      ? t.connected
      : s.connection === 'connecting'
        ? t.connecting
        : t.offline;
  const saving = s.unsaved > 0 ? t.pending(s.unsaved) : s.connection === 'connected' ? t.saved : null;
  const state = saving ? `${connection} · ${saving}` : connection;
  return problem ? `${state}. ${problem}` : state;
}

export function renderStatus(element: HTMLElement, t: Messages, s: StatusInput, actions: { signInAgain?: () => void } = {}): void {
  const text = statusText(t, s);
  const { signInAgain } = actions;
  if (s.connection === 'sign-in-ended' && signInAgain) {
    const button = h('button', { type: 'button', class: 'rn-sign-in-again' }, t.signInAgain);
    button.addEventListener('click', () => {
      button.disabled = true;
      signInAgain();
    });
    element.replaceChildren(`${text} `, button);
  } else {
    element.textContent = text;
  }
  element.dataset.connection = s.connection;
}
