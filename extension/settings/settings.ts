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
