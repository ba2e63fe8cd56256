/**
 * The sign-in's tokens stay where they belong (docs/SECURITY.md, "Sign-in tokens in the
 * extension"): the content script, which runs in a web page's process, asks the background for
 * the access token and gets no answer, and cannot read storage.session (the access token) or
 * storage.local (the refresh token); and no access or refresh token ever travels in a URL.
 */
import { resolve } from 'node:path';
import type { CDPSession } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addMeetingPortal, type ExtensionBrowser, launchWithExtension, openViewer } from '../support/browser.ts';
import { chromiumRedirect, signInWithOrganisation } from '../support/extension-sign-in.ts';
import { needs } from '../support/needs.ts';
import { type SignInSetup, startSignInServer } from '../support/sign-in-server.ts';
import { type StaticServer, startStaticServer } from '../support/static-server.ts';
import { waitFor } from '../support/wait-for.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/packets/rdm-2023-01');

/** Evaluates in the execution context of Randnoter's content script (its isolated world). */
async function inContentScript(session: CDPSession, contextId: number, expression: string): Promise<unknown> {
  const result = (await session.send('Runtime.evaluate', { expression, contextId, awaitPromise: true, returnByValue: true })) as {
    result: { value?: unknown };
    exceptionDetails?: { text: string };
  };
  if (result.exceptionDetails) throw new Error(result.exceptionDetails.text);
  return result.result.value;
}

needs('chromium')('the sign-in’s tokens in the extension', () => {
  let browser: ExtensionBrowser;
  let setup: SignInSetup;
  let site: StaticServer;
  const urls: string[] = [];

  beforeAll(async () => {
    [browser, site] = await Promise.all([launchWithExtension(), startStaticServer(FIXTURE)]);
    browser.context.on('request', (request) => urls.push(request.url()));
    browser.context.on('page', (page) => page.on('websocket', (socket) => urls.push(socket.url())));
    setup = await startSignInServer({ demoDir: FIXTURE, oidc: { redirects: [chromiumRedirect(browser)] } });
    setup.provider.accounts.set('anne-at-idp', { name: 'Anne Jensen', groups: ['udvalg'] });
    await setup.server.addGroup('udvalg', 'Socialudvalget');
    const options = await signInWithOrganisation(browser, setup.server.url, setup.provider, 'anne-at-idp', 'Anne Jensen');
    await options.close();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await Promise.all([site?.close(), setup?.close()]);
  });

  it('gives the content script no token: the background does not answer it, and storage is closed to it', async () => {
    await addMeetingPortal(browser, site.url);
    const agenda = await browser.context.newPage();
    const session = await browser.context.newCDPSession(agenda);
    const contexts: Array<{ id: number; origin: string; auxData?: { type?: string } }> = [];
    session.on('Runtime.executionContextCreated', (event) => contexts.push(event.context));
    await session.send('Runtime.enable');
    await agenda.goto(`${site.url}/agenda.html`);
    const sidebar = await waitFor(() => agenda.frames().find((f) => f.url().includes('/sidebar.html')), { what: 'sidebar frame' });
    // The sidebar, an extension page, is answered: it connects with the sign-in's token.
    await sidebar.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 30_000 });
    const world = await waitFor(
      () => contexts.findLast((c) => c.auxData?.type === 'isolated' && c.origin.startsWith(`chrome-extension://${browser.extensionId}`)),
      { what: "the content script's world" },
    );

    const ask = (request: object) =>
      inContentScript(
        session,
        world.id,
        `chrome.runtime.sendMessage(${JSON.stringify(request)}).then((r) => 'answered: ' + JSON.stringify(r), (e) => 'refused: ' + e.message)`,
      );
    for (const request of [
      { type: 'rn:auth-token', serverUrl: setup.server.url },
      { type: 'rn:auth-token', serverUrl: setup.server.url, rejected: 'rna_x' },
      { type: 'rn:auth-status' },
      { type: 'rn:auth-sign-out' },
    ]) {
      const answer = String(await ask(request));
      expect(answer, request.type).not.toMatch(/rn[ar]_|Anne/);
      expect(answer, request.type).toMatch(/^(answered: undefined|refused: )/);
    }
    for (const area of ['session', 'local']) {
      const read = String(
        await inContentScript(
          session,
          world.id,
          `chrome.storage.${area}.get(null).then((all) => 'read: ' + JSON.stringify(all), (e) => 'refused: ' + e.message)`,
        ),
      );
      expect(read, area).toMatch(/^refused: /);
    }
    // The sign-out it asked for was not done.
    await sidebar.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor();
    await agenda.close();
  });

  it('never puts an access or refresh token in a URL', async () => {
    const viewer = await openViewer(browser, `${setup.server.url}/demo/packet.pdf`);
    await viewer.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 60_000 });
    expect(urls.some((url) => url.startsWith(`${setup.server.url}/auth/oidc/start?`))).toBe(true);
    expect(urls.some((url) => url.startsWith(setup.server.url.replace('http', 'ws')))).toBe(true);
    for (const url of urls) expect(url).not.toMatch(/rn[ar]_/);
    await viewer.close();
  });
});
