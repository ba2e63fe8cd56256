/** The server's HTTP API as the extension uses it. Knows nothing of pdf.js or Yjs. */
import type { AgendaOutline } from '@randnoter/shared/agenda/outline';

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

export async function registerPacket(identity: ServerIdentity, info: PacketInfo): Promise<{ packetId: string; newVersion: boolean }> {
  return call(identity, 'POST', '/api/packets', info);
}
