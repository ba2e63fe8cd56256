/**
 * Names a packet can be known by. A server-assigned packetId is the durable identity; these
 * aliases let a client find it: the PDF fingerprint, the normalised URL, and a content hash.
 */
import { ID_PATTERN } from '../protocol/rooms.ts';

export const PDF_URN_PREFIX = 'urn:x-pdf:';

export function fingerprintUrn(fingerprint: string): string {
  return PDF_URN_PREFIX + fingerprint.toLowerCase();
}

export function fingerprintOfUrn(urn: string): string | null {
  return urn.startsWith(PDF_URN_PREFIX) ? urn.slice(PDF_URN_PREFIX.length) : null;
}

/**
 * The id a client uses before the server has assigned one (offline first open). It is a valid
 * packetId, so the client can sync to it at once; the server maps it to the real packet later.
 */
export function provisionalPacketId(fingerprint: string): string {
  const id = `fp-${fingerprint.toLowerCase().replace(/[^a-z0-9]/g, '')}`.slice(0, 128);
  if (!ID_PATTERN.test(id)) throw new Error('fingerprint has no usable characters');
  return id;
}

export function urlAlias(normalisedUrl: string): string {
  return `url:${normalisedUrl}`;
}

export function contentHashAlias(sha256Hex: string): string {
  return `sha256:${sha256Hex.toLowerCase()}`;
}
