/**
 * Names a packet can be known by. A server-assigned packetId is the durable identity; these
 * aliases let a client find it: the PDF fingerprint, the normalised URL, and a content hash.
 * The fingerprint names one version (pdf.js reads it from the file's ID); the content hash
 * names exactly these bytes, also for a PDF whose producer wrote no ID; the URL names where the
 * packet is published, so a republished version at the same address is found as the same packet.
 */
import { ID_PATTERN } from './ids.ts';
import { normaliseUrl } from './normalise-url.ts';

export const PDF_URN_PREFIX = 'urn:x-pdf:';

export function fingerprintUrn(fingerprint: string): string {
  return PDF_URN_PREFIX + fingerprint.toLowerCase();
}

export function fingerprintOfUrn(urn: string): string | null {
  if (!urn.startsWith(PDF_URN_PREFIX)) return null;
  const fingerprint = urn.slice(PDF_URN_PREFIX.length);
  return fingerprint === '' ? null : fingerprint;
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

/** SHA-256 of a file's bytes, lower-case hex: the packet's content hash. */
export async function contentHash(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export interface KnownAs {
  /** pdf.js `fingerprints[0]`. */
  fingerprint: string;
  /** Where the packet was opened, if from the web or a file URL. */
  url?: string | null;
  /** `contentHash` of the file. */
  sha256?: string | null;
}

/** Every alias a client can send for the packet it has open; the URL only when it normalises. */
export function packetAliases(known: KnownAs): string[] {
  const aliases = [fingerprintUrn(known.fingerprint)];
  const url = known.url ? normaliseUrl(known.url) : null;
  if (url) aliases.push(urlAlias(url));
  if (known.sha256) aliases.push(contentHashAlias(known.sha256));
  return aliases;
}

/**
 * A republished packet is often a new file at a new address; what stays is the meeting it is for.
 * Same meeting date and the same agenda item titles name the same packet. Without a date there is
 * no such alias: recurring agendas ("Godkendelse af dagsorden", "Eventuelt") repeat every meeting.
 */
export function agendaAlias(meetingDate: string | null, itemTitles: readonly string[]): string | null {
  if (!meetingDate || !/^\d{4}-\d{2}-\d{2}$/.test(meetingDate) || itemTitles.length < 2) return null;
  const key = itemTitles.map((t) => t.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase()).join('\n');
  return `agenda:${meetingDate}:${fnv1a64(key)}`;
}

/** 64-bit FNV-1a as hex: short, stable and synchronous; the alias needs no secrecy. */
function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}
