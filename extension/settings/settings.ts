/** The user's settings, kept in browser.storage.local: never readable by web pages, nor by content scripts on Chrome (storage-access.ts). */
import { browser } from 'wxt/browser';

export type Language = 'da' | 'en';

export interface Settings {
  serverUrl: string;
  token: string;
  displayName: string;
  defaultGroup: string;
  language: Language;
  autoOpenPdfs: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  serverUrl: '',
  token: '',
  displayName: '',
  defaultGroup: '',
  language: 'da',
  autoOpenPdfs: false,
};

const KEY = 'settings';

export async function loadSettings(): Promise<Settings> {
  const stored = (await browser.storage.local.get(KEY))[KEY] as Partial<Settings> | undefined;
  return { ...DEFAULT_SETTINGS, ...stored };
}

export async function saveSettings(settings: Settings): Promise<void> {
  await browser.storage.local.set({ [KEY]: settings });
}

/**
 * Calls back with the settings whenever the options page (or another device's sync, or policy)
 * changes them, until the returned function is called: open viewers and sidebars follow them.
 */
export function watchSettings(listener: (settings: Settings) => void): () => void {
  const handler = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    const change = changes[KEY];
    if (area === 'local' && change) listener({ ...DEFAULT_SETTINGS, ...(change.newValue as Partial<Settings> | undefined) });
  };
  browser.storage.onChanged.addListener(handler);
  return () => browser.storage.onChanged.removeListener(handler);
}

/** A server address the extension can use: http(s), no path, no trailing slash. Null when unusable. */
export function normaliseServerUrl(input: string): string | null {
  try {
    const url = new URL(input.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin;
  } catch {
    return null;
  }
}
