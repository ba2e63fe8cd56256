/**
 * "Besked til mig" on the options page: per group, what the user hears of (all new comments /
 * mentions and replies / nothing) and whether by e-mail too (GET/PUT /api/notification-settings,
 * docs/NOTIFICATIONS.md). A change is saved at once, for that group only.
 */
import { NotificationLevel } from '@randnoter/shared/protocol/http-api';
import { openAccess, withRenewal } from '../../auth/page-access.ts';
import type { Messages } from '../../i18n/messages.ts';
import { problemOf } from '../../i18n/problems.ts';
import { fetchNotificationSettings, type NotificationSettings, saveNotificationSettings } from '../../sync/server-api.ts';
import { h } from '../../utils/dom.ts';

type AccessDeps = Parameters<typeof openAccess>[1];

export function createNotificationSettings(
  t: Messages,
  settings: { serverUrl: string; token: string },
  deps: AccessDeps,
): { element: HTMLElement; destroy(): void } {
  const body = h('div', {});
  const result = h('p', { class: 'result', 'aria-live': 'polite' });
  const element = h(
    'section',
    { class: 'notification-settings', 'aria-labelledby': 'notifications-heading' },
    h('h2', { id: 'notifications-heading' }, t.notificationsHeading),
    h('p', { class: 'hint' }, t.notificationsIntro),
    body,
    result,
  );
  let destroyAccess = () => {};

  const groupFields = (
    stored: NotificationSettings,
    save: (groupId: string, change: { level?: NotificationLevel; email?: boolean }) => void,
  ) =>
    stored.groups.map((group) => {
      const levelId = `notify-level-${group.groupId}`;
      const emailId = `notify-email-${group.groupId}`;
      const level = h(
        'select',
        { id: levelId },
        ...Object.values(NotificationLevel).map((value) => h('option', { value }, t.notifyLevels[value])),
      );
      level.value = group.level;
      level.addEventListener('change', () => save(group.groupId, { level: level.value as NotificationLevel }));
      const email = h('input', { type: 'checkbox', id: emailId, disabled: stored.emailAddress === null });
      email.checked = group.email;
      email.addEventListener('change', () => save(group.groupId, { email: email.checked }));
      return h(
        'fieldset',
        { class: 'notify-group' },
        h('legend', {}, group.groupName),
        h('p', { class: 'field' }, h('label', { for: levelId }, t.notifyLevel), level),
        h('p', { class: 'field checkbox' }, email, h('label', { for: emailId }, t.notifyEmail)),
      );
    });

  void (async () => {
    const access = await openAccess(settings, deps);
    if (!access) {
      body.replaceChildren(h('p', {}, t.notifyNotSignedIn));
      return;
    }
    destroyAccess = () => access.destroy();
    const save = (groupId: string, change: { level?: NotificationLevel; email?: boolean }) => {
      result.textContent = '';
      void withRenewal(access, () => saveNotificationSettings(access.identity, [{ groupId, ...change }])).then(
        () => {
          result.textContent = t.notifySaved;
        },
        (error: unknown) => {
          result.textContent = t.problem[problemOf(error)];
        },
      );
    };
    try {
      const stored = await withRenewal(access, () => fetchNotificationSettings(access.identity));
      body.replaceChildren(
        ...(stored.groups.length === 0 ? [h('p', {}, t.notifyNoGroups)] : groupFields(stored, save)),
        ...(stored.emailAddress === null ? [h('p', { class: 'hint' }, t.notifyNoEmail)] : []),
      );
    } catch (error) {
      body.replaceChildren(h('p', {}, t.problem[problemOf(error)]));
    }
  })();

  return { element, destroy: () => destroyAccess() };
}
