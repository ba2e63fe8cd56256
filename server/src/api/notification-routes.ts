/**
 * The caller's notifications and their settings (paths and bodies: shared/protocol/http-api.ts;
 * docs/NOTIFICATIONS.md):
 *   GET  /api/notifications?unread=1&before=<id>   newest first, one page
 *   GET  /api/notifications/unread-count           the badge
 *   POST /api/notifications/read {ids}|{packetId}  marks read
 *   GET  /api/notification-settings                per group: level and e-mail
 *   PUT  /api/notification-settings {groups:[…]}   changes them (the caller's groups only: 404 otherwise)
 *   GET  /api/notification-settings/unsubscribe?token=…   an e-mail's link, without a bearer token
 * Everything is the caller's own: no route names another user.
 */
import { HttpApi, NotificationsQuery, UnsubscribeQuery } from '@randnoter/shared/protocol/http-api';
import { Hono } from 'hono';
import { readUnsubscribeToken } from '../notifications/unsubscribe-token.ts';
import { forRecipient, listNotifications, markRead, settingsOf, unreadCount, writeSetting } from '../storage/notifications.ts';
import { isMember } from '../storage/users.ts';
import type { ApiDeps, ApiEnv } from './api-env.ts';
import { NOT_FOUND } from './api-env.ts';
import { jsonBody, queryOf } from './json-body.ts';

export function notificationRoutes(deps: ApiDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  const { pageSize } = deps.notifications;

  app.get(HttpApi.unreadCount.path, async (c) => c.json({ count: await unreadCount(deps.db, c.get('user').id) }, 200));

  app.get(HttpApi.notifications.path, queryOf(NotificationsQuery), async (c) => {
    const query = c.req.valid('query');
    const page = await listNotifications(deps.db, c.get('user').id, {
      unreadOnly: query.unread === '1',
      ...(query.before !== undefined ? { before: Number(query.before) } : {}),
      pageSize,
    });
    return c.json(page.map(forRecipient), 200);
  });

  app.post(HttpApi.readNotifications.path, jsonBody(HttpApi.readNotifications.body), async (c) => {
    const which = c.req.valid('json');
    return c.json({ read: await markRead(deps.db, c.get('user').id, which, deps.clock().toISOString()) }, 200);
  });

  app.get(HttpApi.notificationSettings.path, async (c) => c.json(await settingsOf(deps.db, c.get('user').id), 200));

  app.put(HttpApi.setNotificationSettings.path, jsonBody(HttpApi.setNotificationSettings.body), async (c) => {
    const userId = c.get('user').id;
    const { groups } = c.req.valid('json');
    // All or nothing: a group that is not the caller's is a group that does not exist.
    for (const g of groups) if (!(await isMember(deps.db, g.groupId, userId))) return c.json(NOT_FOUND, 404);
    for (const { groupId, level, email } of groups)
      await writeSetting(deps.db, userId, groupId, {
        ...(level !== undefined ? { level } : {}),
        ...(email !== undefined ? { email } : {}),
      });
    return c.json(await settingsOf(deps.db, userId), 200);
  });

  return app;
}

/** The unsubscribe link: mounted before /api's bearer check, since a mail client has no token. */
export function unsubscribeRoute(deps: Pick<ApiDeps, 'db' | 'notifications'>): Hono {
  const app = new Hono();
  app.get(HttpApi.unsubscribe.path, queryOf(UnsubscribeQuery), async (c) => {
    const named = readUnsubscribeToken(await deps.notifications.unsubscribeKey(), c.req.valid('query').token);
    if (!named) return c.json({ error: 'the unsubscribe link is not valid' }, 400);
    // A member who left the group keeps no setting for it; the link still answers the same.
    if (await isMember(deps.db, named.groupId, named.userId)) await writeSetting(deps.db, named.userId, named.groupId, { email: false });
    return c.text(
      `Du får ikke længere e-mail fra Randnoter om gruppen ${named.groupId}.\nYou will no longer get e-mail from Randnoter about the group ${named.groupId}.\n`,
      200,
    );
  });
  return app;
}
