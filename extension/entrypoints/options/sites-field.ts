/**
 * "Mødeportaler": the user's own sites where Randnoter is active, one per line, besides those the
 * organisation lists (shown, not editable). Below it, the sites Randnoter has no access to yet,
 * with a button that asks the browser for them.
 */
import { type PermissionsLike, patternsWithoutAccess, requestHostAccess } from '../../activation/host-access.ts';
import { EVERY_SITE, parseHostEntry, patternOf, siteAccessOf } from '../../activation/site-patterns.ts';
import type { Messages } from '../../i18n/messages.ts';
import type { ManagedPolicy } from '../../settings/managed-policy.ts';
import { h } from '../../utils/dom.ts';
import { describeBy } from './policy-notes.ts';

export interface SitesField {
  element: HTMLElement;
  /** The user's sites as typed, each once; or the first line that names no site. */
  read(): { hosts: string[] } | { bad: string };
  /** Asks the browser for the user's sites (call it in the click, before anything is awaited). */
  requestAccess(hosts: string[]): Promise<boolean>;
  /** Shows which of the sites in use still lack access. */
  refresh(hosts: string[]): Promise<void>;
}

/** A pattern as the user knows it: the host, or "alle websteder". */
const shown = (pattern: string, t: Messages) =>
  pattern === EVERY_SITE ? t.everySite : pattern.replace(/^\*:\/\//, '').replace(/\/\*$/, '');

export function createSitesField(t: Messages, userHosts: string[], policy: ManagedPolicy, permissions: PermissionsLike): SitesField {
  const input = h('textarea', { id: 'meetingHosts', rows: 4, spellcheck: 'false', autocomplete: 'off' });
  input.value = userHosts.join('\n');
  const hint = h('span', { id: 'meetingHosts-hint', class: 'hint' }, t.meetingHostsHint);
  describeBy(input, hint.id);
  const organisationHosts = siteAccessOf({ meetingHosts: [], autoOpenPdfs: false }, policy).hosts;
  const organisation =
    organisationHosts.length > 0
      ? h('span', { id: 'meetingHosts-organisation', class: 'hint' }, t.organisationHosts(organisationHosts.join(', ')))
      : null;
  if (organisation) describeBy(input, organisation.id);
  const access = h('p', { class: 'access', hidden: true });
  const element = h('div', { class: 'field' }, h('label', { for: input.id }, t.meetingHosts), input, hint, organisation, access);

  /** Every pattern in use: the organisation's sites, the user's, and every site if the policy takes all PDFs over. */
  const patternsOf = (hosts: string[]) => {
    const patterns = siteAccessOf({ meetingHosts: hosts, autoOpenPdfs: false }, policy).hosts.map(patternOf);
    return policy.pdfTakeover === 'all' ? [...patterns, EVERY_SITE] : patterns;
  };

  const refresh = async (hosts: string[]): Promise<void> => {
    const missing = await patternsWithoutAccess(permissions, patternsOf(hosts));
    access.hidden = missing.length === 0;
    if (missing.length === 0) {
      access.replaceChildren();
      return;
    }
    const grant = h('button', { type: 'button' }, t.grantAccess);
    grant.addEventListener('click', () => {
      void requestHostAccess(permissions, missing).then(() => refresh(hosts));
    });
    access.replaceChildren(t.missingAccess(missing.map((p) => shown(p, t)).join(', ')), ' ', grant);
  };

  return {
    element,
    read() {
      const hosts: string[] = [];
      for (const line of input.value.split('\n')) {
        if (line.trim() === '') continue;
        const host = parseHostEntry(line);
        if (host === null) return { bad: line.trim() };
        if (!hosts.includes(host)) hosts.push(host);
      }
      return { hosts };
    },
    requestAccess: (hosts) => requestHostAccess(permissions, hosts.map(patternOf)),
    refresh,
  };
}
