/**
 * The server's HTTP API as the extension uses it: the routes of the contract
 * (shared/protocol/http-api.ts), with its paths, its request bodies' input types and its answers,
 * so the extension sends only what the server takes. Knows nothing of pdf.js or Yjs.
 */
import type { AgendaCorrection, StoredCorrection } from '@randnoter/shared/agenda/correction';
import type { AgendaOutline } from '@randnoter/shared/agenda/outline';
import { AnnotationLimits } from '@randnoter/shared/model/annotation';
import {
  type AnnotationPatchInput,
  type AnswerOf,
  type BodyOf,
  type ClosedItemView,
  type CreateAnnotationInput,
  type ErrorAnswer,
  type GroupMember,
  HttpApi,
  type Me,
  type Notification,
  type NotificationSettings,
  type PacketSummary,
  type ParamsOf,
  pathOf,
  type ReadWhich,
  type RegisteredPacket,
  type RouteName,
} from '@randnoter/shared/protocol/http-api';

export type { Me, Notification, NotificationSettings, PacketSummary, RegisteredPacket };

export interface ServerIdentity {
  serverUrl: string;
  token: string;
}

/** What the viewer knows of the document it opened. */
export interface PacketInfo {
  fingerprint: string;
  url: string | null;
  title: string;
  pageCount: number;
  outline: AgendaOutline | null;
  /** YYYY-MM-DD when the packet states it; with the agenda it recognises a republished packet. */
  meetingDate: string | null;
}

/** A refusal with the server's own words; status 0 when the server was not reached. */
export class ApiError extends Error {
  readonly status: number;
  /** The answer was not a Randnoter server's (not JSON): the address is another site. */
  readonly foreign: boolean;
  constructor(status: number, message: string, foreign = false) {
    super(message);
    this.status = status;
    this.foreign = foreign;
  }
}

type PathOf<R extends RouteName> = (typeof HttpApi)[R]['path'];

/** One call to a route of the contract: its answer, or an ApiError. */
function call<R extends RouteName>(
  identity: ServerIdentity,
  route: R,
  params: ParamsOf<PathOf<R>>,
  ...[body]: BodyOf<R> extends undefined ? [] : [BodyOf<R>]
): Promise<AnswerOf<R>> {
  return callWithQuery(identity, route, params, '', body);
}

/** `query`: the encoded query string of a GET route that takes one (`?unread=1`), or ''. */
async function callWithQuery<R extends RouteName>(
  identity: ServerIdentity,
  route: R,
  params: ParamsOf<PathOf<R>>,
  query: string,
  body?: BodyOf<R>,
): Promise<AnswerOf<R>> {
  const { method, path } = HttpApi[route];
  let response: Response;
  try {
    response = await fetch(`${identity.serverUrl}${pathOf<PathOf<R>>(path, params)}${query}`, {
      method,
      headers: { authorization: `Bearer ${identity.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    throw new ApiError(0, error instanceof Error ? error.message : String(error));
  }
  const payload = (await response.json().catch(() => null)) as Partial<ErrorAnswer> | null;
  // Every answer of the server is JSON; a web page at the address is not.
  if (payload === null || typeof payload !== 'object') throw new ApiError(response.status, `HTTP ${response.status}, not JSON`, true);
  if (!response.ok) throw new ApiError(response.status, payload.error ?? `HTTP ${response.status}`);
  return payload as AnswerOf<R>;
}

export function fetchMe(identity: ServerIdentity): Promise<Me> {
  return call(identity, 'me', {});
}

/** A title within the server's bound (docs/PROTOCOL.md); a PDF's metadata or bookmarks may hold anything. */
const bounded = (title: string) => title.slice(0, AnnotationLimits.titleMaxChars);
/** A label within the server's bound, or none (an empty one is refused). */
const boundedLabel = (label: string | undefined) =>
  label === undefined || label.trim() === '' ? {} : { label: label.slice(0, AnnotationLimits.labelMaxChars) };

/** Gives the user a new name on the server (PUT /api/me/name): the one on their comments and presence. */
export function renameMe(identity: ServerIdentity, name: string): Promise<Me> {
  return call(identity, 'renameMe', {}, { name });
}

/** Names the document: the packet's id, the same for every version the caller's circle opened (docs/PROTOCOL.md, "Packets"). */
export function registerPacket(identity: ServerIdentity, info: PacketInfo): Promise<RegisteredPacket> {
  const outline = info.outline && {
    pages: info.outline.pages,
    confidence: info.outline.confidence,
    items: info.outline.items.map(({ label, ...item }) => ({
      ...item,
      ...boundedLabel(label),
      title: bounded(item.title),
      attachments: item.attachments.map(({ label: attachmentLabel, ...a }) => ({
        ...a,
        ...boundedLabel(attachmentLabel),
        title: bounded(a.title),
      })),
    })),
  };
  return call(identity, 'registerPacket', {}, { ...info, title: bounded(info.title), outline });
}

/** Where a group's comments on a packet are: its open room, or a closed item's room (`itemNumber`). */
export interface SharedPlace {
  groupId: string;
  packetId: string;
  itemNumber?: number;
}

/** The route parameters of a closed item's place. */
const itemParams = (place: SharedPlace, itemNumber: number) => ({
  groupId: place.groupId,
  packetId: place.packetId,
  itemNumber: String(itemNumber),
});
const openParams = (place: SharedPlace) => ({ groupId: place.groupId, packetId: place.packetId });

export function createComment(identity: ServerIdentity, place: SharedPlace, draft: CreateAnnotationInput) {
  return place.itemNumber === undefined
    ? call(identity, 'createAnnotation', openParams(place), draft)
    : call(identity, 'createClosedAnnotation', itemParams(place, place.itemNumber), draft);
}

export function editComment(identity: ServerIdentity, place: SharedPlace, id: string, patch: AnnotationPatchInput) {
  return place.itemNumber === undefined
    ? call(identity, 'editAnnotation', { ...openParams(place), id }, patch)
    : call(identity, 'editClosedAnnotation', { ...itemParams(place, place.itemNumber), id }, patch);
}

export function deleteComment(identity: ServerIdentity, place: SharedPlace, id: string) {
  return place.itemNumber === undefined
    ? call(identity, 'deleteAnnotation', { ...openParams(place), id })
    : call(identity, 'deleteClosedAnnotation', { ...itemParams(place, place.itemNumber), id });
}

/** The packet's closed items as this member sees them (docs/CLOSED-ITEMS.md). */
export async function fetchClosedItems(identity: ServerIdentity, place: SharedPlace): Promise<ClosedItemView[]> {
  return (await call(identity, 'closedItems', openParams(place))).items;
}

/** A secretary closes or opens an item (403 to other members). */
export function setItemAccess(identity: ServerIdentity, place: SharedPlace, itemNumber: number, closed: boolean, excluded: string[] = []) {
  return call(identity, 'setItemAccess', itemParams(place, itemNumber), closed ? { closed, excluded } : { closed });
}

/** A group's members, for a secretary choosing whom to exclude from a closed item (403 to other members). */
export async function fetchGroupMembers(identity: ServerIdentity, groupId: string): Promise<GroupMember[]> {
  return (await call(identity, 'groupMembers', { groupId })).members;
}

/** Shares an agenda correction with a group: it replaces the group's (the server records who and when). */
export async function shareGroupAgenda(
  identity: ServerIdentity,
  place: SharedPlace,
  correction: AgendaCorrection,
): Promise<StoredCorrection> {
  return (await call(identity, 'shareAgenda', place, correction)).correction;
}

/** Removes the group's correction: the group's members see their own correction or detection again. */
export async function removeGroupAgenda(identity: ServerIdentity, place: SharedPlace): Promise<void> {
  await call(identity, 'removeAgenda', place);
}

/**
 * Whom a comment may mention (docs/NOTIFICATIONS.md): the group's members for its open room, a
 * closed item's readers for a comment on that item.
 */
export async function fetchAudience(identity: ServerIdentity, place: SharedPlace): Promise<GroupMember[]> {
  const answer =
    place.itemNumber === undefined
      ? await call(identity, 'groupAudience', { groupId: place.groupId })
      : await call(identity, 'closedAudience', itemParams(place, place.itemNumber));
  return answer.members;
}

/** The caller's notifications, newest first (one page); `unread`: the unread ones only; `before`: the page older than this id. */
export function fetchNotifications(identity: ServerIdentity, options: { unread?: boolean; before?: string } = {}): Promise<Notification[]> {
  const query = new URLSearchParams({ ...(options.unread ? { unread: '1' } : {}), ...(options.before ? { before: options.before } : {}) });
  return callWithQuery(identity, 'notifications', {}, query.size > 0 ? `?${query}` : '');
}

/** The badge's number. */
export async function fetchUnreadCount(identity: ServerIdentity): Promise<number> {
  return (await call(identity, 'unreadCount', {})).count;
}

/** Marks notifications read: these ids, all of the caller's on a packet, or those about these comments of a packet. Answers how many were unread. */
export async function markNotificationsRead(identity: ServerIdentity, which: ReadWhich): Promise<number> {
  return (await call(identity, 'readNotifications', {}, which)).read;
}

export function fetchNotificationSettings(identity: ServerIdentity): Promise<NotificationSettings> {
  return call(identity, 'notificationSettings', {});
}

export function saveNotificationSettings(identity: ServerIdentity, groups: BodyOf<'setNotificationSettings'>['groups']) {
  return call(identity, 'setNotificationSettings', {}, { groups });
}

/** The packets the caller's circle registered (their titles and addresses, to open one from the inbox). */
export async function fetchPackets(identity: ServerIdentity): Promise<PacketSummary[]> {
  return (await call(identity, 'listPackets', {})).packets;
}
