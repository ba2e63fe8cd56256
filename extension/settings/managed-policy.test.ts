/**
 * An organisation's policy reaches the extension through storage.managed: Chrome and Edge check it
 * against public/managed-schema.json, Firefox hands over policies.json unchecked and throws when
 * there is none. The extension uses managed values over the user's, the user's over defaults.
 */
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { POLICY_KEYS, parsePolicy, readManagedPolicy } from './managed-policy.ts';
import { applyPolicy, DEFAULT_SETTINGS, loadSettings, lockedFields, type Settings, saveSettings, watchSettings } from './settings.ts';

const SCHEMA = JSON.parse(readFileSync(new URL('../public/managed-schema.json', import.meta.url), 'utf8')) as {
  type: string;
  properties: Record<string, { type: string; enum?: string[]; items?: { type: string } }>;
};

const ANNE: Settings = {
  ...DEFAULT_SETTINGS,
  serverUrl: 'https://egen.example',
  token: 'rn_anne',
  defaultGroup: 'socialudvalget',
  language: 'en',
  autoOpenPdfs: true,
  meetingHosts: ['dagsorden.aarhus.dk'],
};

describe('the managed schema', () => {
  it('names exactly the keys the extension reads, with the types it reads them as', () => {
    expect(SCHEMA.type).toBe('object');
    expect(Object.keys(SCHEMA.properties)).toEqual([...POLICY_KEYS]);
    const example = {
      serverUrl: 'https://randnoter.kommune.dk',
      lockServerUrl: true,
      ssoOnly: true,
      defaultGroup: 'byraadet',
      language: 'en',
      overlayHosts: ['dagsorden.kommune.dk'],
      pdfTakeover: 'all',
      organisationName: 'Aarhus Kommune',
      supportUrl: 'https://intra.kommune.dk/randnoter',
    };
    const typeOf = (value: unknown) => (Array.isArray(value) ? 'array' : typeof value);
    for (const key of POLICY_KEYS) expect(SCHEMA.properties[key]?.type, key).toBe(typeOf(example[key]));
    expect(SCHEMA.properties.language?.enum).toEqual(['da', 'en']);
    expect(SCHEMA.properties.pdfTakeover?.enum).toEqual(['off', 'listedHosts', 'all']);
    expect(SCHEMA.properties.overlayHosts?.items).toEqual({ type: 'string' });
    // Every field of a value that fits the schema is read as given (a supportUrl as a URL).
    expect(parsePolicy(example)).toEqual({ ...example, supportUrl: 'https://intra.kommune.dk/randnoter' });
  });
});

describe('reading the policy', () => {
  it('leaves out each field of the wrong shape, as if it were not set (Firefox does not check)', () => {
    expect(
      parsePolicy({
        serverUrl: 42,
        lockServerUrl: 'yes',
        ssoOnly: 1,
        defaultGroup: '   ',
        language: 'de',
        overlayHosts: 'dagsorden.kommune.dk',
        pdfTakeover: 'sometimes',
        organisationName: 'x'.repeat(501),
        supportUrl: 'javascript:alert(1)',
        unknown: 'kept out',
      }),
    ).toEqual({});
    expect(parsePolicy({ overlayHosts: [' a.example ', 7, '', 'b.example'], supportUrl: 'ftp://x.example' })).toEqual({
      overlayHosts: ['a.example', 'b.example'],
    });
    expect(parsePolicy(null)).toEqual({});
  });

  it('finds no policy where Firefox throws for want of one, or the browser has no managed area', async () => {
    const throwing = { get: () => Promise.reject(new Error('Managed storage manifest not found')) };
    await expect(readManagedPolicy(throwing)).resolves.toEqual({});
    await expect(readManagedPolicy(undefined)).resolves.toEqual({});
    await expect(readManagedPolicy({ get: async () => ({ ssoOnly: true }) })).resolves.toEqual({ ssoOnly: true });
  });
});

describe('managed, then the user’s, then defaults', () => {
  it('uses the policy’s values over the user’s and locks those fields', () => {
    const policy = {
      serverUrl: 'https://randnoter.kommune.dk/sti/',
      lockServerUrl: true,
      defaultGroup: 'byraadet',
      language: 'da' as const,
      pdfTakeover: 'off' as const,
    };
    expect(applyPolicy(ANNE, policy)).toEqual({
      ...ANNE,
      serverUrl: 'https://randnoter.kommune.dk',
      defaultGroup: 'byraadet',
      language: 'da',
      autoOpenPdfs: false,
    });
    expect([...lockedFields(policy)].sort()).toEqual(['autoOpenPdfs', 'defaultGroup', 'language', 'serverUrl']);
    // Nothing set: the user's settings as they are; and the defaults where the user set nothing.
    expect(applyPolicy(ANNE, {})).toEqual(ANNE);
    expect(lockedFields({}).size).toBe(0);
    expect(applyPolicy(DEFAULT_SETTINGS, { language: 'en' })).toEqual({ ...DEFAULT_SETTINGS, language: 'en' });
  });

  it('starts a user at the policy’s server address without locking it, unless lockServerUrl', () => {
    const starting = { serverUrl: 'https://randnoter.kommune.dk' };
    expect(applyPolicy(DEFAULT_SETTINGS, starting).serverUrl).toBe('https://randnoter.kommune.dk');
    expect(applyPolicy(ANNE, starting).serverUrl).toBe('https://egen.example');
    expect(lockedFields(starting).has('serverUrl')).toBe(false);
    // A lock on an address the extension cannot use locks nothing and changes nothing.
    expect(applyPolicy(ANNE, { serverUrl: 'ftp://x.example', lockServerUrl: true }).serverUrl).toBe('https://egen.example');
    expect(lockedFields({ serverUrl: 'ftp://x.example', lockServerUrl: true }).size).toBe(0);
  });

  it('uses no administrator-made token when sign-in through the organisation is the only way', () => {
    expect(applyPolicy(ANNE, { ssoOnly: true }).token).toBe('');
    expect(applyPolicy(ANNE, { ssoOnly: false }).token).toBe('rn_anne');
  });
});

describe('the settings in use', () => {
  beforeEach(async () => {
    fakeBrowser.reset();
    await saveSettings(ANNE);
  });

  it('are the user’s under the policy in storage.managed, and follow a policy change live', async () => {
    await expect(loadSettings()).resolves.toEqual(ANNE);
    const seen: Settings[] = [];
    const stop = watchSettings((settings) => seen.push(settings));

    await fakeBrowser.storage.managed.set({ serverUrl: 'https://randnoter.kommune.dk', lockServerUrl: true, ssoOnly: true });
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    expect(seen[0]).toEqual({ ...ANNE, serverUrl: 'https://randnoter.kommune.dk', token: '' });
    await expect(loadSettings()).resolves.toEqual(seen[0]);

    // The user's own change still arrives, under the policy.
    await saveSettings({ ...ANNE, displayName: 'Anne J.' });
    await vi.waitFor(() => expect(seen).toHaveLength(2));
    expect(seen[1]).toEqual({ ...ANNE, displayName: 'Anne J.', serverUrl: 'https://randnoter.kommune.dk', token: '' });
    stop();
  });
});
