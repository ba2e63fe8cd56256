/** The server's HTTP API as the extension uses it. Knows nothing of pdf.js or Yjs. */
import type { AgendaCorrection, StoredCorrection } from '@randnoter/shared/agenda/correction';
import type { AgendaOutline } from '@randnoter/shared/agenda/outline';
import { AnnotationLimits } from '@randnoter/shared/model/annotation';

export interface ServerIdentity {
  serverUrl: string;
  token: string;
}

export interface Me {
  id: string;
  name: string;
  groups: Array<{ id: string; name: string }>;
}

export interface PacketInfo {
  fingerprint: string;
  url: string | null;
  title: string;
  pageCount: number;
  outline: AgendaOutline | null;
  /** YYYY-MM-DD when the packet states it; with the agenda it recognises a republished packet. */
  meetingDate: string | null;
}

export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

async function call<T>(identity: ServerIdentity, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${identity.serverUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${identity.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const payload = (await response.json().catch(() => ({}))) as { error?: string };
  if (!response.ok) throw new ApiError(response.status, payload.error ?? `HTTP ${response.status}`);
  return payload as T;
}

export function fetchMe(identity: ServerIdentity): Promise<Me> {
  return call<Me>(identity, 'GET', '/api/me');
}

/** What the server answers a registration; `created`, `newVersion` and `versions` speak of this user's own registrations only. */
export interface RegisteredPacket {
  packetId: string;
  created: boolean;
  newVersion: boolean;
}

/** A title within the server's bound (docs/PROTOCOL.md); a PDF's metadata or bookmarks may hold anything. */
const bounded = (title: string) => title.slice(0, AnnotationLimits.titleMaxChars);
/** A label within the server's bound, or none (an empty one is refused). */
const boundedLabel = (label: string | undefined) =>
  label === undefined || label.trim() === '' ? {} : { label: label.slice(0, AnnotationLimits.labelMaxChars) };

export async function registerPacket(identity: ServerIdentity, info: PacketInfo): Promise<RegisteredPacket> {
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
  return call(identity, 'POST', '/api/packets', { ...info, title: bounded(info.title), outline });
}

export type IntentBody = Record<string, unknown>;

/** Sends one shared-room intent; network failures are reported as ApiError status 0. */
export async function sendIntent(
  identity: ServerIdentity,
  groupId: string,
  packetId: string,
  method: 'POST' | 'PATCH' | 'DELETE',
  id: string | null,
  body?: IntentBody,
): Promise<unknown> {
  const path = `/api/groups/${encodeURIComponent(groupId)}/packets/${encodeURIComponent(packetId)}/annotations${id ? `/${encodeURIComponent(id)}` : ''}`;
  try {
    return await call(identity, method, path, body);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError(0, error instanceof Error ? error.message : String(error));
  }
}

const agendaPath = (groupId: string, packetId: string) =>
  `/api/groups/${encodeURIComponent(groupId)}/packets/${encodeURIComponent(packetId)}/agenda`;

/** Shares an agenda correction with a group: it replaces the group's (the server records who and when). */
export async function shareGroupAgenda(
  identity: ServerIdentity,
  groupId: string,
  packetId: string,
  correction: AgendaCorrection,
): Promise<StoredCorrection> {
  const answer = await call<{ correction: StoredCorrection }>(identity, 'PUT', agendaPath(groupId, packetId), correction);
  return answer.correction;
}

/** Removes the group's correction: the group's members see their own correction or detection again. */
export async function removeGroupAgenda(identity: ServerIdentity, groupId: string, packetId: string): Promise<void> {
  await call(identity, 'DELETE', agendaPath(groupId, packetId));
}
