/**
 * A packet on a host the extension has no access to cannot be fetched (with the user's cookies, as
 * meeting systems need): the viewer says so and offers the browser's question for that one host.
 */
import { browser } from 'wxt/browser';
import { requestHostAccess } from '../../activation/host-access.ts';
import { hostOfUrl, patternOf } from '../../activation/site-patterns.ts';
import type { Messages } from '../../i18n/messages.ts';
import { h } from '../../utils/dom.ts';

/** Replaces the load error by the offer when missing access is the reason; reloads once it is given. */
export async function offerHostAccess(message: HTMLElement, fileUrl: string, t: Messages): Promise<void> {
  const host = hostOfUrl(fileUrl);
  if (!host) return;
  const pattern = patternOf(host);
  if (await browser.permissions.contains({ origins: [pattern] }).catch(() => true)) return;
  const grant = h('button', { type: 'button' }, t.grantAccessTo(host));
  grant.addEventListener('click', () => {
    void requestHostAccess(browser.permissions, [pattern]).then((granted) => {
      if (granted) location.reload();
    });
  });
  message.replaceChildren(t.noAccess(host), ' ', grant);
}
