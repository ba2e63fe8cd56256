/**
 * What most viewer tests start from: a test server that serves the demo packet (rdm-2023-01) and
 * one Chromium with the extension, made before the file's tests and closed after them, and a
 * viewer on that packet, signed in and connected.
 */
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { type ExtensionBrowser, launchWithExtension, openViewer, signIn } from './browser.ts';
import { startTestServer, type TestServer } from './test-server.ts';

const DEMO_PACKET_DIR = resolve(import.meta.dirname, '../fixtures/packets/rdm-2023-01');

/** Registers beforeAll/afterAll; read `server` and `browser` inside the tests. */
export function demoServerAndBrowser(): { readonly server: TestServer; readonly browser: ExtensionBrowser } {
  let server: TestServer | undefined;
  let browser: ExtensionBrowser | undefined;
  beforeAll(async () => {
    server = await startTestServer({ demoDir: DEMO_PACKET_DIR });
    browser = await launchWithExtension();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    get server() {
      if (!server) throw new Error('the test server is made in beforeAll');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('the browser is made in beforeAll');
      return browser;
    },
  };
}

/** Signs `user` in through the options page and opens the demo packet, waiting until it is connected. */
export async function openDemoViewer(browser: ExtensionBrowser, server: TestServer, user: { token: string; name: string }): Promise<Page> {
  await signIn(browser, server.url, user.token, user.name);
  const viewer = await openViewer(browser, `${server.url}/demo/packet.pdf`);
  await viewer.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 60_000 });
  return viewer;
}
