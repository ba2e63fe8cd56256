/**
 * The user's settings, kept in browser.storage.local: never readable by web pages, nor by content
 * scripts on Chrome (storage-access.ts). What the extension uses is the user's settings under the
 * organisation's policy (managed-policy.ts): managed, then the user's, then the defaults.
 */
import { browser } from 'wxt/browser';
import { type ManagedArea, type ManagedPolicy, readManagedPolicy } from './managed-policy.ts';

export type Language = 'da' | 'en';

export interface Settings {
  serverUrl: string;
  token: string;
  displayName: string;
  defaultGroup: string;
  language: Language;
  /** "Åbn PDF'er automatisk": on the meeting portals (the policy may say everywhere). */
  autoOpenPdfs: boolean;
  /** "Mødeportaler": the user's own hosts where Randnoter is active (activation/site-patterns.ts). */
  meetingHosts: string[];
}

export const DEFAULT_SETTINGS: Settings = {
  serverUrl: '',
  token: '',
  displayName: '',
  defaultGroup: '',
  language: 'da',
  autoOpenPdfs: false,
  meetingHosts: [],
};

const KEY = 'settings';

/** What the user saved, as the options page shows it to them (no policy applied). */
export async function loadUserSettings(): Promise<Settings> {
  const stored = (await browser.storage.local.get(KEY))[KEY] as Partial<Settings> | undefined;
  return { ...DEFAULT_SETTINGS, ...stored };
}

/** The organisation's policy now (none outside a managed browser). */
export const loadPolicy = (): Promise<ManagedPolicy> => readManagedPolicy(browser.storage.managed as ManagedArea | undefined);

/** The settings the extension works with: the user's under the policy. */
export async function loadSettings(): Promise<Settings> {
  const [user, policy] = await Promise.all([loadUserSettings(), loadPolicy()]);
  return applyPolicy(user, policy);
}

export async function saveSettings(settings: Settings): Promise<void> {
  await browser.storage.local.set({ [KEY]: settings });
}

/** Options-page fields that a policy sets, and the user then cannot. */
export type LockableField = 'serverUrl' | 'defaultGroup' | 'language' | 'autoOpenPdfs';

/** A policy's server address, if it is one the extension can use. */
const policyServer = (policy: ManagedPolicy): string | null => (policy.serverUrl ? normaliseServerUrl(policy.serverUrl) : null);

export function lockedFields(policy: ManagedPolicy): ReadonlySet<LockableField> {
  const locked = new Set<LockableField>();
  if (policy.lockServerUrl && policyServer(policy)) locked.add('serverUrl');
  if (policy.defaultGroup !== undefined) locked.add('defaultGroup');
  if (policy.language !== undefined) locked.add('language');
  if (policy.pdfTakeover !== undefined) locked.add('autoOpenPdfs');
  return locked;
}

/**
 * Managed > the user's > defaults. The policy's server address is where a user starts: it wins over
 * theirs only with `lockServerUrl` (else the flag would mean nothing). With `ssoOnly` the
 * administrator's kind of token is not used at all, only a sign-in through the organisation.
 */
export function applyPolicy(user: Settings, policy: ManagedPolicy): Settings {
  const server = policyServer(policy);
  return {
    ...user,
    serverUrl: server && (policy.lockServerUrl || !user.serverUrl) ? server : user.serverUrl,
    token: policy.ssoOnly ? '' : user.token,
    defaultGroup: policy.defaultGroup ?? user.defaultGroup,
    language: policy.language ?? user.language,
    autoOpenPdfs: policy.pdfTakeover !== undefined ? policy.pdfTakeover !== 'off' : user.autoOpenPdfs,
  };
}

/**
 * Calls back with the settings whenever the options page (or another device's sync) or the
 * organisation's policy changes them, until the returned function is called: open viewers and
 * sidebars follow them. Calls come in the order of the changes.
 */
export function watchSettings(listener: (settings: Settings) => void): () => void {
  let user = loadUserSettings();
  let policy = loadPolicy();
  let calls = Promise.resolve();
  const handler = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    const change = changes[KEY];
    if (area === 'local' && change) user = Promise.resolve({ ...DEFAULT_SETTINGS, ...(change.newValue as Partial<Settings> | undefined) });
    else if (area === 'managed') policy = loadPolicy();
    else return;
    const [nextUser, nextPolicy] = [user, policy];
    calls = calls
      .then(async () => listener(applyPolicy(await nextUser, await nextPolicy)))
      .catch((error: unknown) => console.error('Randnoter: reading the settings failed', error));
  };
  browser.storage.onChanged.addListener(handler);
  return () => browser.storage.onChanged.removeListener(handler);
}

/** This machine, where a test or development server runs without TLS. */
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * A server address the extension can use: http(s), no path, no trailing slash. Null when unusable.
 * An address typed without its scheme ("randnoter.kommune.dk") gets `https://`, or `http://` for
 * this machine (localhost, 127.x.x.x, [::1]).
 */
export function normaliseServerUrl(input: string): string | null {
  const trimmed = input.trim();
  let full = trimmed;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    const host = /^(\[[^\]]*\]|[^/:?#]*)/.exec(trimmed)?.[1] ?? '';
    full = `${LOOPBACK.test(host) ? 'http' : 'https'}://${trimmed}`;
  }
  try {
    const url = new URL(full);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin;
  } catch {
    return null;
  }
}
