/**
 * Only the extension's own pages get an answer about the sign-in: a content script has the
 * extension's id too, but runs in the web page's process, so it is refused by its page's URL.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { answerAuth } from './answer-auth.ts';
import { signInApi } from './sign-in-api.ts';
import { createTokenKeeper, type TokenKeeper } from './token-keeper.ts';

const OWN = { id: 'randnoter-test-id', origin: 'chrome-extension://randnoter-test-id/' };
const SERVER = 'https://randnoter.example';

/** A real keeper, signed in against a server that answers the one code exchange (fetch is the fake). */
async function signedInKeeper(): Promise<{ keeper: TokenKeeper; calls: () => number }> {
  let calls = 0;
  const fetch = async () => {
    calls++;
    const tokens = {
      access_token: 'rna_secret',
      token_type: 'Bearer',
      expires_in: 600,
      refresh_token: 'rnr_secret',
      user: { id: 'u', name: 'Anne' },
    };
    return new Response(JSON.stringify(tokens), { status: 200 });
  };
  const keeper = createTokenKeeper({
    durable: fakeBrowser.storage.local,
    memory: fakeBrowser.storage.session,
    api: signInApi(fetch),
    now: () => Date.now(),
    timers: { setTimeout: () => null, clearTimeout: () => {} },
    changed: () => {},
  });
  await keeper.signIn(SERVER, 'code', 'verifier');
  return { keeper, calls: () => calls };
}

describe('answering the pages about the sign-in', () => {
  const request = { type: 'rn:auth-token', serverUrl: SERVER };
  let keeper: TokenKeeper;
  beforeEach(async () => {
    fakeBrowser.reset();
    ({ keeper } = await signedInKeeper());
  });

  it('answers the extension’s own pages: the viewer, the options page, the sidebar frame in a web page’s tab', async () => {
    for (const url of [`${OWN.origin}viewer.html?file=x`, `${OWN.origin}options.html`, `${OWN.origin}sidebar.html`]) {
      await expect(answerAuth(request, { id: OWN.id, url }, OWN, keeper)).resolves.toMatchObject({ token: 'rna_secret' });
    }
  });

  it('does not answer the content script in a web page, another extension, or a sender without a page', async () => {
    const signOut = { type: 'rn:auth-sign-out' };
    for (const sender of [
      { id: OWN.id, url: 'https://portal.kommune.dk/dagsorden.html' },
      // A page opened from disk: its URL.origin is "null", as an extension page's is.
      { id: OWN.id, url: 'file:///home/anne/dagsorden.html' },
      { id: OWN.id, url: 'chrome-extension://another-id/page.html' },
      { id: 'another-id', url: `${OWN.origin}options.html` },
      { id: OWN.id },
    ]) {
      expect(answerAuth(request, sender, OWN, keeper)).toBeUndefined();
      expect(answerAuth(signOut, sender, OWN, keeper)).toBeUndefined();
    }
    await expect(keeper.status()).resolves.toMatchObject({ state: 'active' });
  });

  it('does not answer malformed or unknown requests', () => {
    const sender = { id: OWN.id, url: `${OWN.origin}options.html` };
    expect(answerAuth({ type: 'rn:auth-token' }, sender, OWN, keeper)).toBeUndefined();
    expect(answerAuth({ type: 'rn:auth-token', serverUrl: SERVER, rejected: 7 }, sender, OWN, keeper)).toBeUndefined();
    expect(answerAuth({ type: 'rn:auth-sign-in', serverUrl: SERVER, code: 'c' }, sender, OWN, keeper)).toBeUndefined();
    expect(answerAuth({ type: 'rn:page-settings' }, sender, OWN, keeper)).toBeUndefined();
    expect(answerAuth(null, sender, OWN, keeper)).toBeUndefined();
  });
});
