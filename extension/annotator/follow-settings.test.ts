/**
 * Open viewers and sidebars follow the options page: saving new settings restarts their
 * annotator with them (the options page writes browser.storage.local; WXT's fake browser
 * delivers storage.onChanged as a browser would).
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { watchSignIn } from '../auth/browser-auth.ts';
import { AUTH_CHANGED } from '../messaging/auth-messages.ts';
import { DEFAULT_SETTINGS, type Settings, saveSettings, watchSettings } from '../settings/settings.ts';
import { followSettings } from './follow-settings.ts';

const SIGNED_IN: Settings = {
  ...DEFAULT_SETTINGS,
  serverUrl: 'https://randnoter.example',
  token: 'rn_anne',
  defaultGroup: 'socialudvalget',
};

describe('following the settings', () => {
  beforeEach(async () => {
    fakeBrowser.reset();
    await saveSettings(SIGNED_IN);
  });

  it('restarts with the new language, default group, name, server or token, one restart at a time', async () => {
    const started: Settings[] = [];
    let running = 0;
    let overlapped = false;
    const stop = followSettings(SIGNED_IN, watchSettings, async (settings) => {
      running++;
      overlapped ||= running > 1;
      await new Promise<void>((resolve) => queueMicrotask(resolve));
      started.push(settings);
      running--;
    });

    await saveSettings({ ...SIGNED_IN, language: 'en' });
    await saveSettings({ ...SIGNED_IN, language: 'en', defaultGroup: 'byraadet' });
    await saveSettings({ ...SIGNED_IN, language: 'en', defaultGroup: 'byraadet', token: 'rn_bo' });
    await vi.waitFor(() => expect(started).toHaveLength(3));
    expect(started.map((s) => [s.language, s.defaultGroup, s.token])).toEqual([
      ['en', 'socialudvalget', 'rn_anne'],
      ['en', 'byraadet', 'rn_anne'],
      ['en', 'byraadet', 'rn_bo'],
    ]);
    expect(overlapped).toBe(false);

    stop();
    // Another watcher sees the next change: by then a watcher still attached would have too.
    const seen: Settings[] = [];
    const stopSeeing = watchSettings((settings) => seen.push(settings));
    await saveSettings({ ...SIGNED_IN, language: 'da' });
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    await Promise.resolve();
    expect(started).toHaveLength(3);
    stopSeeing();
  });

  it('does not restart for a save that changes nothing an open packet shows', async () => {
    const restart = vi.fn(async () => {});
    const stop = followSettings(SIGNED_IN, watchSettings, restart);
    await saveSettings({ ...SIGNED_IN });
    await saveSettings({ ...SIGNED_IN, autoOpenPdfs: true });
    await saveSettings({ ...SIGNED_IN, displayName: 'Anne J.' });
    await vi.waitFor(() => expect(restart).toHaveBeenCalledTimes(1));
    expect(restart).toHaveBeenCalledWith(expect.objectContaining({ displayName: 'Anne J.' }));
    stop();
  });

  it('restarts with the current settings when the background says who is signed in has changed', async () => {
    const started: Settings[] = [];
    const stop = followSettings(SIGNED_IN, watchSettings, async (settings) => void started.push(settings), watchSignIn);
    await saveSettings({ ...SIGNED_IN, language: 'en' });
    await vi.waitFor(() => expect(started).toHaveLength(1));
    // The background's message after "Log ind igen" (or a sign-out, or a sign-in that ended).
    await fakeBrowser.runtime.sendMessage(AUTH_CHANGED).catch(() => {});
    await vi.waitFor(() => expect(started).toHaveLength(2));
    expect(started[1]?.language).toBe('en');
    // Other messages are not a reason to restart.
    await fakeBrowser.runtime.sendMessage({ type: 'rn:page-settings' }).catch(() => {});
    stop();
    await fakeBrowser.runtime.sendMessage(AUTH_CHANGED).catch(() => {});
    await Promise.resolve();
    expect(started).toHaveLength(2);
  });
});
