/**
 * Where Randnoter is active: the hosts IT lists (policy `overlayHosts`) and the user's own
 * ("Mødeportaler", or "Aktivér Randnoter på dette websted"). A host is kept as its lower-case
 * (punycode) name, or `*.domain` for a domain and its subdomains; it becomes the match pattern
 * `*://host/*` (http and https, any port) for content scripts and host access alike.
 */
import type { ManagedPolicy, PdfTakeover } from '../settings/managed-policy.ts';
import type { Settings } from '../settings/settings.ts';

const HOST_NAME = /^[a-z0-9-]+(\.[a-z0-9-]+)*$/;

/** A host as the extension keeps it, from what someone typed or pasted (an address will do); null if it names none. */
export function parseHostEntry(entry: string): string | null {
  let rest = entry.trim().toLowerCase();
  const wildcard = rest.startsWith('*.');
  if (wildcard) rest = rest.slice(2);
  if (rest === '') return null;
  let host: string;
  try {
    const url = new URL(rest.includes('://') ? rest : `https://${rest}`);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    host = url.hostname;
  } catch {
    return null;
  }
  if (!HOST_NAME.test(host)) return null;
  // `*.dk` would be a whole country's websites.
  if (wildcard && !host.includes('.')) return null;
  return wildcard ? `*.${host}` : host;
}

/** The content-script and host-access pattern for a host kept by parseHostEntry. */
export const patternOf = (host: string): string => `*://${host}/*`;

/** Every http(s) page: what `pdfTakeover: all` needs. */
export const EVERY_SITE = '*://*/*';

/** The host of an http(s) address; null for anything else (extension pages, file:, about:). */
export function hostOfUrl(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.hostname : null;
  } catch {
    return null;
  }
}

/** Whether a host kept by parseHostEntry covers `hostname` (a page's host). */
export function hostCovers(host: string, hostname: string): boolean {
  if (!host.startsWith('*.')) return host === hostname;
  const domain = host.slice(2);
  return hostname === domain || hostname.endsWith(`.${domain}`);
}

export interface SiteAccess {
  /** The hosts where Randnoter is active: the organisation's first, then the user's, each once. */
  hosts: string[];
  takeover: PdfTakeover;
}

/** Where the extension is active, from the user's settings and the policy (managed > user > default). */
export function siteAccessOf(user: Pick<Settings, 'meetingHosts' | 'autoOpenPdfs'>, policy: ManagedPolicy): SiteAccess {
  const hosts = [...(policy.overlayHosts ?? []), ...user.meetingHosts].map(parseHostEntry).filter((host): host is string => host !== null);
  return {
    hosts: [...new Set(hosts)],
    takeover: policy.pdfTakeover ?? (user.autoOpenPdfs ? 'listedHosts' : 'off'),
  };
}

export const isActiveOn = (sites: SiteAccess, url: string | undefined): boolean => {
  const hostname = hostOfUrl(url);
  return hostname !== null && sites.hosts.some((host) => hostCovers(host, hostname));
};

/** Whether a PDF at `url`, opened as a page, is to open in the viewer instead. */
export function takesOver(sites: SiteAccess, url: string | undefined): boolean {
  if (sites.takeover === 'all') return hostOfUrl(url) !== null;
  return sites.takeover === 'listedHosts' && isActiveOn(sites, url);
}
