/**
 * Content scripts run in the web page's process and get no share of the settings but the
 * language: never the token, the server address or anything added to Settings later.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { loadSettings, saveSettings } from '../settings/settings.ts';
import { restrictStorageToExtension } from '../settings/storage-access.ts';
import { answerPageSettings, PAGE_SETTINGS_REQUEST, readPageSettings } from './page-settings.ts';

const OWN_ID = 'randnoter-test-id';
const TOKEN = 'rn_secret-token-for-this-test';

describe('settings for content scripts', () => {
  beforeEach(async () => {
    fakeBrowser.reset();
    await saveSettings({
      serverUrl: 'https://randnoter.example',
      token: TOKEN,
      displayName: 'Anne Jensen',
      defaultGroup: 'socialudvalget',
      language: 'en',
      autoOpenPdfs: true,
      meetingHosts: ['dagsorden.aarhus.dk'],
    });
  });

  it('answers the extension’s own content script with the language and nothing else', async () => {
    const answer = await answerPageSettings(PAGE_SETTINGS_REQUEST, { id: OWN_ID }, OWN_ID, loadSettings);
    expect(answer).toEqual({ language: 'en' });
    expect(JSON.stringify(answer)).not.toContain(TOKEN);
  });

  it('does not answer other messages or other senders', () => {
    expect(answerPageSettings({ type: 'rn:get-page' }, { id: OWN_ID }, OWN_ID, loadSettings)).toBeUndefined();
    expect(answerPageSettings(PAGE_SETTINGS_REQUEST, { id: 'another-extension' }, OWN_ID, loadSettings)).toBeUndefined();
    expect(answerPageSettings(PAGE_SETTINGS_REQUEST, {}, OWN_ID, loadSettings)).toBeUndefined();
  });

  it('reads only a known language from a reply, and Danish without one', () => {
    expect(readPageSettings({ language: 'en', token: TOKEN })).toEqual({ language: 'en' });
    expect(readPageSettings({ language: '<img>' })).toEqual({ language: 'da' });
    expect(readPageSettings(undefined)).toEqual({ language: 'da' });
  });

  it('closes storage.local to content scripts where the browser can', async () => {
    const levels: string[] = [];
    const chromeLike = {
      setAccessLevel: async ({ accessLevel }: { accessLevel: string }) => void levels.push(accessLevel),
    };
    await expect(restrictStorageToExtension(chromeLike)).resolves.toBe('restricted');
    expect(levels).toEqual(['TRUSTED_CONTEXTS']);
    // Firefox: setAccessLevel is for storage.session only.
    await expect(restrictStorageToExtension({})).resolves.toBe('unsupported');
    const refusing = { setAccessLevel: () => Promise.reject(new Error('only for session')) };
    await expect(restrictStorageToExtension(refusing)).resolves.toBe('unsupported');
  });
});
