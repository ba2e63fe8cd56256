/**
 * What an organisation's IT sets by policy (docs/DEPLOYMENT.md, "Managed configuration"): Chrome
 * and Edge deliver it through storage.managed, checked against public/managed-schema.json; Firefox
 * through the same area, from policies.json (`3rdparty.Extensions["randnoter@randnoter.dk"]`),
 * unchecked. So every field is read here by itself, and a field of the wrong shape is left out as
 * if it were not set.
 */

export type PdfTakeover = 'off' | 'listedHosts' | 'all';

export interface ManagedPolicy {
  /** The server; a starting value the user may change, unless `lockServerUrl`. */
  serverUrl?: string;
  lockServerUrl?: boolean;
  /** Sign-in through the organisation only: the options page has no token field. */
  ssoOnly?: boolean;
  defaultGroup?: string;
  language?: 'da' | 'en';
  /** Hosts (or `*.domain`) where Randnoter is active, besides the user's own. */
  overlayHosts?: string[];
  pdfTakeover?: PdfTakeover;
  organisationName?: string;
  supportUrl?: string;
}

/** The keys of public/managed-schema.json, in its order (a test holds the two together). */
export const POLICY_KEYS = [
  'serverUrl',
  'lockServerUrl',
  'ssoOnly',
  'defaultGroup',
  'language',
  'overlayHosts',
  'pdfTakeover',
  'organisationName',
  'supportUrl',
] as const satisfies ReadonlyArray<keyof ManagedPolicy>;

const MAX_TEXT = 500;
const MAX_HOSTS = 200;

const text = (value: unknown): string | undefined => {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed !== '' && trimmed.length <= MAX_TEXT ? trimmed : undefined;
};
const flag = (value: unknown): boolean | undefined => (typeof value === 'boolean' ? value : undefined);
const oneOf = <T extends string>(value: unknown, allowed: readonly T[]): T | undefined =>
  allowed.includes(value as T) ? (value as T) : undefined;

/** A link the options page may show: http(s) only, so a policy cannot make it run script. */
function webLink(value: unknown): string | undefined {
  const link = text(value);
  if (!link) return undefined;
  try {
    const url = new URL(link);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function hostList(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value
    .map(text)
    .filter((host): host is string => host !== undefined)
    .slice(0, MAX_HOSTS);
}

/** The policy as Randnoter uses it, from whatever the browser handed over. */
export function parsePolicy(raw: unknown): ManagedPolicy {
  const source = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const fields: ManagedPolicy = {
    serverUrl: text(source.serverUrl),
    lockServerUrl: flag(source.lockServerUrl),
    ssoOnly: flag(source.ssoOnly),
    defaultGroup: text(source.defaultGroup),
    language: oneOf(source.language, ['da', 'en']),
    overlayHosts: hostList(source.overlayHosts),
    pdfTakeover: oneOf(source.pdfTakeover, ['off', 'listedHosts', 'all']),
    organisationName: text(source.organisationName),
    supportUrl: webLink(source.supportUrl),
  };
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as ManagedPolicy;
}

export interface ManagedArea {
  get(): Promise<Record<string, unknown>>;
}

/**
 * The policy now. Firefox's storage.managed.get() throws when no policy names the add-on, and an
 * area may be missing altogether: both mean no policy.
 */
export async function readManagedPolicy(area: ManagedArea | undefined): Promise<ManagedPolicy> {
  if (!area) return {};
  try {
    return parsePolicy(await area.get());
  } catch {
    return {};
  }
}
