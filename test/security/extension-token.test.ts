/**
 * The extension's token stays where it belongs (docs/SECURITY.md, "The token in the extension"):
 * it travels in the WebSocket auth message and the Authorization header, never in a URL (which
 * proxies, access logs and the browser's network log keep), and the content script, which runs
 * in every web page's process, can neither be given it nor read it from storage.
 */
import { createServer, type Server, Socket } from 'node:net';
import { resolve } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addMeetingPortal, type ExtensionBrowser, launchWithExtension, openViewer, signIn } from '../support/browser.ts';
import { needs } from '../support/needs.ts';
import { type StaticServer, startStaticServer } from '../support/static-server.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/packets/rdm-2023-01');

interface SeenRequest {
  target: string;
  headers: string;
}

/**
 * A TCP relay in front of the server that reads what the browser sends: every HTTP request line
 * and its headers, WebSocket upgrades included (what a reverse proxy's access log would keep).
 */
async function startRecordingRelay(to: number): Promise<{ url: string; requests: SeenRequest[]; close(): Promise<void> }> {
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const relay: Server = createServer((client) => {
    const upstream = new Socket();
    sockets.add(client).add(upstream);
    let text = '';
    client.on('data', (chunk: Buffer) => {
      // Request heads are text; after an upgrade the frames are masked binary and never match.
      text += chunk.toString('latin1');
      const head = /^(GET|POST|PUT|PATCH|DELETE|OPTIONS|HEAD) (\S+) HTTP\/1\.1\r\n((?:[^\r\n]+\r\n)*)\r\n/m;
      for (let match = head.exec(text); match; match = head.exec(text)) {
        requests.push({ target: match[2] as string, headers: (match[3] as string).toLowerCase() });
        text = text.slice(match.index + match[0].length);
      }
      if (text.length > 1 << 20) text = text.slice(-4096);
    });
    client.pipe(upstream).pipe(client);
    upstream.connect(to, '127.0.0.1');
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
  const { port } = relay.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        for (const socket of sockets) socket.destroy();
        relay.close(() => r());
      }),
  };
}

/** Evaluates in the execution context of Randnoter's content script (its isolated world) on `page`. */
async function inContentScript(session: CDPSession, contextId: number, expression: string): Promise<unknown> {
  const result = (await session.send('Runtime.evaluate', { expression, contextId, awaitPromise: true, returnByValue: true })) as {
    result: { value?: unknown };
    exceptionDetails?: { text: string };
  };
  if (result.exceptionDetails) throw new Error(result.exceptionDetails.text);
  return result.result.value;
}

needs('chromium')('the token in the extension', () => {
  let server: TestServer;
  let relay: Awaited<ReturnType<typeof startRecordingRelay>>;
  let site: StaticServer;
  let browser: ExtensionBrowser;
  let token: string;
  /** Every WebSocket and request URL the browser reports (CDP network events, through playwright). */
  const browserUrls: string[] = [];
  const socketUrls: string[] = [];

  beforeAll(async () => {
    [server, site, browser] = await Promise.all([startTestServer(), startStaticServer(FIXTURE), launchWithExtension()]);
    relay = await startRecordingRelay(server.port);
    browser.context.on('request', (request) => browserUrls.push(request.url()));
    const watch = (page: Page) => page.on('websocket', (socket) => socketUrls.push(socket.url()));
    for (const page of browser.context.pages()) watch(page);
    browser.context.on('page', watch);
    ({ token } = await server.addUser('Anne Jensen', 'socialudvalget'));
    await signIn(browser, relay.url, token, 'Anne Jensen');
    await addMeetingPortal(browser, site.url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([site?.close(), relay?.close(), server?.close()]);
  });

  it('never puts the token in a URL: sockets authenticate with the auth message, requests with the header', async () => {
    // The sidebar of an HTML agenda page and the PDF viewer each open a notes room and a shared room.
    const agenda = await browser.context.newPage();
    await agenda.goto(`${site.url}/agenda.html`);
    const sidebar = await waitFor(() => agenda.frames().find((f) => f.url().includes('/sidebar.html')), { what: 'sidebar frame' });
    await sidebar.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 30_000 });
    const viewer = await openViewer(browser, `${site.url}/packet.pdf`);
    await viewer.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 60_000 });

    const sockets = await waitFor(
      () => {
        const seen = relay.requests.filter((r) => r.target.startsWith('/sync/'));
        return seen.filter((r) => r.target.startsWith('/sync/notes/')).length >= 2 && seen.some((r) => r.target.startsWith('/sync/shared/'))
          ? seen
          : null;
      },
      { what: 'notes and shared room sockets through the relay' },
    );
    for (const socket of sockets) {
      expect(socket.headers).toContain('upgrade: websocket');
      expect(socket.target).not.toMatch(/token/i);
      expect(socket.target).not.toContain(token);
    }
    // Everything else the extension sent: /api calls with the token in the Authorization header only.
    const api = relay.requests.filter((r) => r.target.startsWith('/api/'));
    expect(api.map((r) => r.target)).toEqual(expect.arrayContaining(['/api/me', '/api/packets']));
    for (const request of relay.requests) {
      expect(request.target).not.toMatch(/token=/i);
      expect(request.target).not.toContain(token);
    }
    for (const request of api.filter((r) => !r.headers.includes('access-control-request-method'))) {
      expect(request.headers).toContain(`authorization: bearer ${token.toLowerCase()}`);
    }

    // The browser's own record agrees (CDP network events).
    expect(socketUrls.filter((u) => u.startsWith(relay.url.replace('http', 'ws'))).length).toBeGreaterThanOrEqual(2);
    for (const url of [...socketUrls, ...browserUrls]) {
      expect(url).not.toMatch(/[?&]token=/i);
      expect(url).not.toContain(token);
    }
    await Promise.all([agenda.close(), viewer.close()]);
  });

  it("keeps the token out of the content script's reach: no storage, only the language", async () => {
    const agenda = await browser.context.newPage();
    const session = await browser.context.newCDPSession(agenda);
    const contexts: Array<{ id: number; name: string; origin: string; auxData?: { type?: string; frameId?: string } }> = [];
    session.on('Runtime.executionContextCreated', (event) => contexts.push(event.context));
    await session.send('Runtime.enable');
    await agenda.goto(`${site.url}/agenda.html`);
    const sidebar = await waitFor(() => agenda.frames().find((f) => f.url().includes('/sidebar.html')), { what: 'sidebar frame' });
    await sidebar.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 30_000 });
    // The content script's isolated world in the page's own process (the sidebar frame is an
    // extension page in another process, so it has no context here).
    const world = await waitFor(
      () => contexts.findLast((c) => c.auxData?.type === 'isolated' && c.origin.startsWith(`chrome-extension://${browser.extensionId}`)),
      { what: "the content script's world" },
    );

    const storage = String(
      await inContentScript(
        session,
        world.id,
        `chrome.storage.local.get(null).then((all) => 'read: ' + JSON.stringify(all), (error) => 'refused: ' + error.message)`,
      ),
    );
    expect(storage).not.toContain(token);
    expect(storage).toMatch(/^refused: /);

    // What the content script is told instead: the language, and nothing else.
    const told = await inContentScript(session, world.id, `chrome.runtime.sendMessage({ type: 'rn:page-settings' })`);
    expect(told).toEqual({ language: 'da' });
    await agenda.close();
  });
});
