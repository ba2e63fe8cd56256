/**
 * The HTTP API, written down once for both sides (docs/PROTOCOL.md, "HTTP"): each route's method
 * and path, the schema of its request body or query, and the type of its answer. The server
 * registers its routes from these paths and validates with these schemas (server/src/api/);
 * the extension builds its calls from the same paths and its bodies from the schemas' input
 * types (extension/sync/server-api.ts), so neither can send or expect what the other does not.
 *
 * Every refusal is `{ error }` with one line naming the field and what it must be
 * (model/validation.ts); a body that is not JSON, or nested deeper than the protocol needs, is
 * refused before its schema is looked at. Routes under a group answer a non-member exactly as they
 * answer a group that does not exist (404), before the body is read.
 */
import * as v from 'valibot';
import { correctionSchema, type StoredCorrection } from '../agenda/correction.ts';
import { ExportFormat } from '../export/export-formats.ts';
import { ID_PATTERN } from '../identity/ids.ts';
import {
  type Annotation,
  AnnotationIdSchema,
  BodySchema,
  ColorSchema,
  HexColorSchema,
  MentionsSchema,
  TagsSchema,
  TargetSchema,
} from '../model/annotation.ts';
import { jsonObject, matching } from '../model/validation.ts';
import type { AnnotationCollection } from '../model/web-annotation.ts';
import { PacketRegistrationSchema } from './packet-registration.ts';

/** What the server says when it refuses a request, whatever the status. */
export interface ErrorAnswer {
  error: string;
}

/** The subject of a refusal that concerns the body as a whole ("the request body must be a JSON object"). */
export const BODY_SUBJECT = 'the request body';

// ---- Request bodies and queries ----

/** POST …/annotations: a new shared comment or reply. Author and times are the server's; any sent are dropped. */
export const CreateAnnotationBody = v.pipe(
  jsonObject(
    {
      id: AnnotationIdSchema,
      kind: v.picklist(['comment', 'reply'], 'must be comment or reply: private notes live in the notes room'),
      body: BodySchema,
      replyTo: v.nullish(AnnotationIdSchema, null),
      target: TargetSchema,
      color: ColorSchema,
      tags: TagsSchema,
      /** User ids the comment mentions; the server keeps those who can see the comment (docs/NOTIFICATIONS.md). */
      mentions: v.optional(MentionsSchema),
    },
    'must be a JSON object',
  ),
  v.forward(
    v.check((draft) => draft.kind !== 'reply' || draft.replyTo !== null, 'must be the id of the annotation a reply answers'),
    ['replyTo'],
  ),
  v.forward(
    v.check((draft) => draft.kind === 'reply' || draft.replyTo === null, 'must be left out: only a reply may have replyTo'),
    ['replyTo'],
  ),
);

/** PATCH …/annotations/:id: what may change in a shared comment (its author: body and colour; anyone in the group: resolved). */
export const EditAnnotationBody = v.pipe(
  jsonObject(
    {
      body: v.optional(BodySchema),
      resolved: v.optional(v.boolean('must be true or false')),
      /** null takes the colour away. */
      color: v.optional(v.nullable(HexColorSchema)),
      /** The author's: whom the comment mentions now, replaced whole; someone newly mentioned is notified, nobody twice. */
      mentions: v.optional(MentionsSchema),
    },
    'must be a JSON object',
  ),
  v.check(
    (patch) => patch.body !== undefined || patch.resolved !== undefined || patch.color !== undefined || patch.mentions !== undefined,
    'has nothing to change: send body, resolved, color or mentions',
  ),
);

/** PUT …/agenda: the group's agenda correction (its pages are checked again against the caller's registration). */
export const ShareAgendaBody = correctionSchema();

/** Members one item may exclude: more than any committee has. */
const MAX_EXCLUDED = 500;

/** PUT …/items/:itemNumber/access: a secretary closes or opens an agenda item, and names the members excluded from it. */
const ItemAccessBody = jsonObject(
  {
    closed: v.boolean('must be true or false'),
    excluded: v.optional(
      v.pipe(
        v.array(matching(ID_PATTERN, 'must be a user id'), 'must be a list of user ids'),
        v.maxLength(MAX_EXCLUDED, `must name at most ${MAX_EXCLUDED} members`),
        v.check((ids) => new Set(ids).size === ids.length, 'must name each member once'),
      ),
      [],
    ),
  },
  'must be a JSON object',
  { strict: true },
);

/** The formats the server renders; the annotated packet (`pdf`) needs the PDF, which the server does not have. */
const SERVER_EXPORT_FORMATS = Object.values(ExportFormat).filter((f) => f !== ExportFormat.pdf);

const formatMessage = `must be one of ${SERVER_EXPORT_FORMATS.join(', ')}`;

/** GET /api/packets/:packetId/export?format=…&group=…&items=all&lang=…; other parameters are ignored. */
export const ExportQuery = v.object({
  format: v.optional(
    v.pipe(
      v.string(formatMessage),
      v.check(
        (format) => format !== ExportFormat.pdf,
        'pdf, the annotated packet, needs the PDF: export it from the extension or with `randnoter export`',
      ),
      v.picklist(SERVER_EXPORT_FORMATS, formatMessage),
    ),
    ExportFormat.md,
  ),
  /** Groups whose comments to include (repeatable); none: every group of the caller. */
  group: v.optional(v.union([v.string(), v.array(v.string())])),
  /** `all`: items without notes too. */
  items: v.optional(v.string()),
  lang: v.optional(v.picklist(['da', 'en'], 'must be da or en'), 'da'),
});

// ---- Notifications (docs/NOTIFICATIONS.md) ----

/** Why a notification was made: mentioned, a reply to my comment, a reply in a thread I took part in, a new comment in a group I follow. */
export const NotificationReason = { mention: 'mention', reply: 'reply', thread: 'thread', follow: 'follow' } as const;
export type NotificationReason = (typeof NotificationReason)[keyof typeof NotificationReason];

/** What a member hears of one group: everything on packets they opened, mentions and replies only, or nothing. */
export const NotificationLevel = { all: 'all', mentionsAndReplies: 'mentionsAndReplies', none: 'none' } as const;
export type NotificationLevel = (typeof NotificationLevel)[keyof typeof NotificationLevel];

/** Notification ids one POST /api/notifications/read may name. */
const READ_IDS_MAX = 500;

const NOTIFICATION_ID = /^[1-9][0-9]{0,9}$/;
/** Digits of a positive 32-bit integer: the database's id column, so no id a client sends overflows it. */
const notificationId = v.custom<string>(
  (x) => typeof x === 'string' && NOTIFICATION_ID.test(x) && Number(x) <= 2_147_483_647,
  'must be a notification id',
);

/** GET /api/notifications?unread=1&before=<id>: newest first, one page; `before` pages back to older ones. */
export const NotificationsQuery = v.object({
  unread: v.optional(v.picklist(['0', '1'], 'must be 0 or 1')),
  before: v.optional(notificationId),
});

const ReadByIds = jsonObject(
  {
    ids: v.pipe(
      v.array(notificationId, `must be a list of at most ${READ_IDS_MAX} notification ids`),
      v.minLength(1, 'must name at least one notification'),
      v.maxLength(READ_IDS_MAX, `must be a list of at most ${READ_IDS_MAX} notification ids`),
    ),
  },
  'must be a JSON object: {"ids": [...]} or {"packetId": "..."}',
  { strict: true },
);
const ReadByPacket = jsonObject({ packetId: matching(ID_PATTERN, 'must be a packet id') }, 'must be a JSON object', { strict: true });
/** The comments the reader has seen (the viewer knows comments, not notification ids). */
const ReadByComments = jsonObject(
  {
    packetId: matching(ID_PATTERN, 'must be a packet id'),
    annotationIds: v.pipe(
      v.array(AnnotationIdSchema, `must be a list of at most ${READ_IDS_MAX} annotation ids`),
      v.minLength(1, 'must name at least one annotation'),
      v.maxLength(READ_IDS_MAX, `must be a list of at most ${READ_IDS_MAX} annotation ids`),
    ),
  },
  'must be a JSON object',
  { strict: true },
);

/** What POST /api/notifications/read marks read. */
export type ReadWhich = { ids: string[] } | { packetId: string } | { packetId: string; annotationIds: string[] };

/**
 * POST /api/notifications/read: these notifications, all of a packet's, or those about these
 * comments of a packet. Chosen by the fields present, so a refusal names what is wrong with that one.
 */
const ReadNotificationsBody = v.lazy((body): v.GenericSchema<unknown, ReadWhich> => {
  if (typeof body !== 'object' || body === null) return ReadByIds;
  if ('annotationIds' in body) return ReadByComments;
  return 'packetId' in body ? ReadByPacket : ReadByIds;
});

/** PUT /api/notification-settings: per group, any of level and email; groups left out keep theirs. */
const NotificationSettingsBody = jsonObject(
  {
    groups: v.pipe(
      v.array(
        jsonObject(
          {
            groupId: matching(ID_PATTERN, 'must be a group id'),
            level: v.optional(v.picklist(Object.values(NotificationLevel), 'must be all, mentionsAndReplies or none')),
            email: v.optional(v.boolean('must be true or false')),
          },
          'must be an object {groupId, level?, email?}',
          { strict: true },
        ),
        'must be a list of groups',
      ),
      v.maxLength(MAX_EXCLUDED, `must name at most ${MAX_EXCLUDED} groups`),
    ),
  },
  'must be a JSON object',
  { strict: true },
);

/** GET /api/notification-settings/unsubscribe?token=…: the signed link of an e-mail (no bearer token). */
export const UnsubscribeQuery = v.object({
  token: v.pipe(v.string('must be the token of the link'), v.maxLength(512, 'must be the token of the link')),
});

export type CreateAnnotationInput = v.InferInput<typeof CreateAnnotationBody>;
/** A new shared comment or reply as the server takes it, every field filled in. */
export type SharedDraft = v.InferOutput<typeof CreateAnnotationBody>;
export type AnnotationPatchInput = v.InferInput<typeof EditAnnotationBody>;

// ---- Answers ----

export interface Me {
  id: string;
  name: string;
  /** From the ID token of the user's last sign-in; absent for users made on the command line. */
  email?: string;
  /**
   * `role`: a secretary marks agenda items closed; `closedAccess`: may read closed items, unless
   * excluded from one (docs/CLOSED-ITEMS.md).
   */
  groups: Array<{ id: string; name: string; role: MemberRole; closedAccess: boolean }>;
}

/** What a member may do beyond reading and commenting: a secretary marks agenda items closed. */
export type MemberRole = 'member' | 'secretary';

/** A version of a packet as one user registered it. */
export interface PacketVersion {
  version: string;
  firstSeen: string;
  pageCount: number | null;
}

/** What the server answers a registration; `created`, `newVersion` and `versions` speak of the caller's own registrations only. */
export interface RegisteredPacket {
  packetId: string;
  /** The packet is new to the caller (they had registered no version of it). */
  created: boolean;
  /** The caller had registered this packet, but not this version. */
  newVersion: boolean;
  version: string;
  /** The versions the caller has registered, oldest first. */
  versions: PacketVersion[];
}

export type PacketRoom = { kind: 'notes' } | { kind: 'shared'; groupId: string; groupName: string };

export interface PacketSummary {
  packetId: string;
  registered: boolean;
  title: string | null;
  meetingDate: string | null;
  pageCount: number | null;
  versions: PacketVersion[];
  rooms: PacketRoom[];
}

/** An item's access as a secretary set it (the answer to PUT …/access). */
export interface ItemAccess {
  itemNumber: number;
  closed: boolean;
  /** The members excluded from it (empty while open). */
  excluded: string[];
  /** Comments the change moved between the group's open room and the item's room. */
  moved: number;
  by: string;
  at: string;
}

/**
 * A closed item of a group's packet as one member sees it: whether they may read it, and (for
 * secretaries only) who is excluded.
 */
export interface ClosedItemView {
  itemNumber: number;
  mayRead: boolean;
  excluded?: string[];
}

/** A member of a group as a secretary sees it when choosing whom to exclude from a closed item. */
export interface GroupMember {
  id: string;
  name: string;
}

/** One notification as its recipient sees it. */
export interface Notification {
  /** Digits; newer notifications have larger ids. */
  id: string;
  reason: NotificationReason;
  /** Who wrote the comment, by the name the server had for them then. */
  actor: { id: string; name: string };
  groupId: string;
  packetId: string;
  /** The agenda item the comment is on, when known (always, for a closed item's comment). */
  itemNumber?: number;
  /** The comment itself (a reply's id for reply and thread). */
  annotationId: string;
  /** Up to 200 characters of the packet text the comment is anchored to. */
  quote?: string;
  created: string;
  read: boolean;
}

/** What the caller hears of each of their groups, and by e-mail. */
export interface NotificationSettings {
  /** Where e-mail would go (from sign-in); null: no address known, so no e-mail whatever the settings say. */
  emailAddress: string | null;
  groups: Array<{ groupId: string; groupName: string; level: NotificationLevel; email: boolean }>;
}

interface GroupAgenda {
  correction: StoredCorrection | null;
}

// ---- Routes ----

const SHARED_ROOM = '/api/groups/:groupId/packets/:packetId';
/** A closed agenda item of a group's packet; its comments have a room of their own (docs/CLOSED-ITEMS.md). */
const ITEM = `${SHARED_ROOM}/items/:itemNumber`;

/**
 * Every JSON route of /api. `body` and `query` are the schemas the server validates with; the
 * answers are `HttpAnswers` below. (GET /health and /metrics are for operators: docs/OPERATIONS.md.)
 */
export const HttpApi = {
  me: { method: 'GET', path: '/api/me' },
  registerPacket: { method: 'POST', path: '/api/packets', body: PacketRegistrationSchema },
  /** Secretaries only (404 to non-members, 403 to other members): whom an item can exclude. */
  groupMembers: { method: 'GET', path: '/api/groups/:groupId/members' },
  listPackets: { method: 'GET', path: '/api/packets' },
  /** The caller's own notes, as a W3C collection; the room comes from the token. */
  notes: { method: 'GET', path: '/api/notes/:packetId/annotations' },
  sharedAnnotations: { method: 'GET', path: `${SHARED_ROOM}/annotations` },
  createAnnotation: { method: 'POST', path: `${SHARED_ROOM}/annotations`, body: CreateAnnotationBody },
  editAnnotation: { method: 'PATCH', path: `${SHARED_ROOM}/annotations/:id`, body: EditAnnotationBody },
  deleteAnnotation: { method: 'DELETE', path: `${SHARED_ROOM}/annotations/:id` },
  groupAgenda: { method: 'GET', path: `${SHARED_ROOM}/agenda` },
  shareAgenda: { method: 'PUT', path: `${SHARED_ROOM}/agenda`, body: ShareAgendaBody },
  removeAgenda: { method: 'DELETE', path: `${SHARED_ROOM}/agenda` },
  /** Secretaries only (403 to other members): closes or opens an item, with its exclusions. */
  setItemAccess: { method: 'PUT', path: `${ITEM}/access`, body: ItemAccessBody },
  closedItems: { method: 'GET', path: `${SHARED_ROOM}/closed-items` },
  /** A closed item's comments: the same bodies and rules as the group's; 404 to anyone who may not read the item. */
  closedAnnotations: { method: 'GET', path: `${ITEM}/annotations` },
  createClosedAnnotation: { method: 'POST', path: `${ITEM}/annotations`, body: CreateAnnotationBody },
  editClosedAnnotation: { method: 'PATCH', path: `${ITEM}/annotations/:id`, body: EditAnnotationBody },
  deleteClosedAnnotation: { method: 'DELETE', path: `${ITEM}/annotations/:id` },
  /** Any member: the group's members ({id, name}), whom a comment in the group's open room can mention. */
  groupAudience: { method: 'GET', path: '/api/groups/:groupId/audience' },
  /** Anyone who may read the closed item: who else may (whom a comment there can mention); 404 to the rest. */
  closedAudience: { method: 'GET', path: `${ITEM}/audience` },
  /** The caller's notifications, newest first, at most one page (docs/NOTIFICATIONS.md). */
  notifications: { method: 'GET', path: '/api/notifications', query: NotificationsQuery },
  /** How many of the caller's notifications are unread: the badge. */
  unreadCount: { method: 'GET', path: '/api/notifications/unread-count' },
  readNotifications: { method: 'POST', path: '/api/notifications/read', body: ReadNotificationsBody },
  notificationSettings: { method: 'GET', path: '/api/notification-settings' },
  setNotificationSettings: { method: 'PUT', path: '/api/notification-settings', body: NotificationSettingsBody },
  /** The e-mail's unsubscribe link: no bearer token, the signed `token` says whose e-mail of which group to stop. Plain text. */
  unsubscribe: { method: 'GET', path: '/api/notification-settings/unsubscribe', query: UnsubscribeQuery },
  /** The Overblik as a file (not JSON): see docs/PROTOCOL.md, "Export". */
  exportPacket: { method: 'GET', path: '/api/packets/:packetId/export', query: ExportQuery },
} as const;

export type RouteName = keyof typeof HttpApi;

interface HttpAnswers {
  me: Me;
  registerPacket: RegisteredPacket;
  groupMembers: { members: GroupMember[] };
  listPackets: { packets: PacketSummary[] };
  notes: AnnotationCollection;
  sharedAnnotations: AnnotationCollection;
  /** The stored annotation (201 when created, 200 when the same author repeats an id). */
  createAnnotation: Annotation;
  editAnnotation: Annotation;
  /** The tombstone. */
  deleteAnnotation: Annotation;
  groupAgenda: GroupAgenda;
  /** The stored correction, `by` and `at` set by the server. */
  shareAgenda: { correction: StoredCorrection };
  removeAgenda: { correction: null };
  setItemAccess: ItemAccess;
  closedItems: { items: ClosedItemView[] };
  closedAnnotations: AnnotationCollection;
  createClosedAnnotation: Annotation;
  editClosedAnnotation: Annotation;
  deleteClosedAnnotation: Annotation;
  /** A file, not JSON: its bytes, the media type the format's. */
  exportPacket: ArrayBuffer;
  groupAudience: { members: GroupMember[] };
  closedAudience: { members: GroupMember[] };
  /** Newest first, at most one page (RANDNOTER_NOTIFICATION_PAGE_SIZE); the next page: `?before=<the last id>`. */
  notifications: Notification[];
  unreadCount: { count: number };
  /** How many were unread and are read now. */
  readNotifications: { read: number };
  notificationSettings: NotificationSettings;
  setNotificationSettings: NotificationSettings;
  /** Plain text for a person who clicked a link: what was turned off. */
  unsubscribe: string;
}

/** What a client may send as the body of a route: the input type of its schema (nothing for routes without one). */
export type BodyOf<R extends RouteName> = (typeof HttpApi)[R] extends { body: infer S extends v.GenericSchema }
  ? v.InferInput<S>
  : undefined;

export type AnswerOf<R extends RouteName> = HttpAnswers[R];

type ParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamNames<Rest>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

/** The `:name` parameters of a path, e.g. `{ groupId, packetId, id }`. */
export type ParamsOf<P extends string> = { [K in ParamNames<P>]: string };

/** The path with its parameters filled in, each URI-encoded. */
export function pathOf<P extends string>(path: P, params: ParamsOf<P>): string {
  const values = params as Record<string, string>;
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(values[name] ?? ''));
}
