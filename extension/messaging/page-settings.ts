/**
 * What the content script on a web page may know of the user's settings: the language of the two
 * buttons it draws, nothing else. It asks the background for it; it never reads browser.storage
 * itself (on Chrome it cannot: storage.local is closed to content scripts, see
 * settings/storage-access.ts), so the token never enters the page's process through it.
 */
import type { Browser } from 'wxt/browser';
import type { Language, Settings } from '../settings/settings.ts';

export interface PageSettings {
  language: Language;
}

export interface PageSettingsRequest {
  type: 'rn:page-settings';
}

export const PAGE_SETTINGS_REQUEST: PageSettingsRequest = { type: 'rn:page-settings' };

const DEFAULT_PAGE_SETTINGS: PageSettings = { language: 'da' };

function isPageSettingsRequest(message: unknown): message is PageSettingsRequest {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === PAGE_SETTINGS_REQUEST.type;
}

/** The page's share of the settings: picked field by field, so nothing added to Settings leaks by default. */
function pageSettingsOf(settings: Pick<Settings, 'language'>): PageSettings {
  return { language: settings.language === 'en' ? 'en' : 'da' };
}

/**
 * The background's answer: only to the extension's own scripts (content scripts of this extension
 * and its pages; web pages cannot message the background at all), undefined for anything else.
 */
export function answerPageSettings(
  message: unknown,
  sender: Pick<Browser.runtime.MessageSender, 'id'>,
  ownId: string,
  load: () => Promise<Settings>,
): Promise<PageSettings> | undefined {
  if (!isPageSettingsRequest(message) || sender.id !== ownId) return undefined;
  return load().then(pageSettingsOf);
}

/** What the content script makes of the background's reply (defaults when there is none). */
export function readPageSettings(reply: unknown): PageSettings {
  const language = (reply as { language?: unknown } | null | undefined)?.language;
  return language === 'en' || language === 'da' ? { language } : DEFAULT_PAGE_SETTINGS;
}
