/**
 * "Hent mine data" on the options page: downloads everything the server stores about the user
 * (GET /api/me/export) through the same access the other pages use (their sign-in, else their
 * token), saved like an export (downloads API in Firefox, a download link elsewhere). What
 * happened is said in the status line next to the button, in the user's language.
 */
import { browser } from 'wxt/browser';
import { pageAccessDeps } from '../../auth/browser-auth.ts';
import { openAccess, withRenewal } from '../../auth/page-access.ts';
import { downloadFile } from '../../components/deliver-file.ts';
import type { Messages } from '../../i18n/messages.ts';
import { problemOf } from '../../i18n/problems.ts';
import { fetchOwnData } from '../../sync/own-data.ts';
import { h } from '../../utils/dom.ts';
import { describeBy } from './policy-notes.ts';

/** `settings`: the server and token in use now (saved settings under the policy). */
export function createOwnDataSection(t: Messages, settings: () => Promise<{ serverUrl: string; token: string }>): HTMLElement {
  const button = h('button', { type: 'button', id: 'ownData' }, t.ownDataButton);
  const hint = h('span', { id: 'ownData-hint', class: 'hint' }, t.ownDataHint);
  // Announced as it changes, but not a second role=status: the form's own status line stays the page's one.
  const status = h('p', { 'aria-live': 'polite', class: 'result', id: 'ownData-status' });
  describeBy(button, hint.id);

  button.addEventListener('click', () => {
    button.disabled = true;
    status.textContent = t.ownDataRunning;
    void download().finally(() => {
      button.disabled = false;
    });
  });

  async function download(): Promise<void> {
    const access = await openAccess(await settings(), pageAccessDeps).catch(() => null);
    if (!access) {
      status.textContent = t.ownDataNotSignedIn;
      return;
    }
    try {
      const file = await withRenewal(access, () => fetchOwnData(access.identity));
      await downloadFile(file.bytes, 'application/json', file.fileName, browser.downloads ?? null);
      status.textContent = t.ownDataSaved(file.fileName);
    } catch (error) {
      status.textContent = t.ownDataFailed(t.problem[problemOf(error)]);
    } finally {
      access.destroy();
    }
  }

  return h(
    'section',
    { class: 'own-data', 'aria-labelledby': 'ownData-title' },
    h('h2', { id: 'ownData-title' }, t.ownDataTitle),
    h('p', { class: 'field' }, button, hint),
    status,
  );
}
