/**
 * What the options page shows of the organisation's policy: who set Randnoter up (with their help
 * link), and on each field the policy sets, the field locked and described as "Indstillet af din
 * organisation" (aria-describedby, so a screen reader says why it cannot be changed).
 */
import type { Messages } from '../../i18n/messages.ts';
import type { ManagedPolicy } from '../../settings/managed-policy.ts';
import { h } from '../../utils/dom.ts';

/** Adds `id` to what describes `control` (it may have a hint already). */
export function describeBy(control: HTMLElement, id: string): void {
  const ids = control.getAttribute('aria-describedby');
  control.setAttribute('aria-describedby', ids ? `${ids} ${id}` : id);
}

/** Disables `control` (which has its id) and says, next to it in `field`, that the organisation set it. */
export function lockField(field: HTMLElement, control: HTMLInputElement | HTMLSelectElement, t: Messages): void {
  control.disabled = true;
  const note = h('span', { id: `${control.id}-managed`, class: 'managed' }, t.setByOrganisation);
  describeBy(control, note.id);
  field.append(note);
}

/** "Randnoter er sat op af …" and the organisation's help link (http(s) only: managed-policy.ts), when the policy names them. */
export function organisationNote(policy: ManagedPolicy, t: Messages): HTMLElement | null {
  const { organisationName, supportUrl } = policy;
  if (!organisationName && !supportUrl) return null;
  return h(
    'p',
    { class: 'organisation' },
    organisationName ? t.setUpBy(organisationName) : null,
    organisationName && supportUrl ? ' ' : null,
    supportUrl ? h('a', { href: supportUrl, target: '_blank', rel: 'noopener noreferrer' }, t.support) : null,
  );
}
