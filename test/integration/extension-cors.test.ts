/**
 * The extension no longer holds access to every website, so its pages call the server as a
 * foreign origin: the server answers CORS for browser-extension origins (Chrome, Edge, Firefox),
 * preflights included, and for nothing else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const CHROME = 'chrome-extension://abcdefghijklmnopabcdefghijklmnop';
const FIREFOX = 'moz-extension://8d0c5d7e-5a1e-4c39-9c5e-6a4a1c2b3d4e';

describe('CORS for the extension', () => {
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer();
    token = (await server.addUser('Anne Jensen', 'socialudvalget')).token;
  });
  afterAll(async () => {
    await server?.close();
  });

  const preflight = (path: string, origin: string, method = 'GET') =>
    fetch(`${server.url}${path}`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization,content-type' },
    });

  it('lets the extension’s pages ask, with their bearer token, and read the answer', async () => {
    for (const origin of [CHROME, FIREFOX]) {
      const asked = await preflight('/api/me', origin);
      expect(asked.status).toBe(204);
      expect(asked.headers.get('access-control-allow-origin')).toBe(origin);
      expect(asked.headers.get('access-control-allow-headers')?.toLowerCase().split(',')).toEqual(['authorization', 'content-type']);
      expect(asked.headers.get('access-control-allow-methods')?.split(',')).toContain('PUT');
      expect(asked.headers.get('access-control-allow-credentials')).toBeNull();

      const me = await fetch(`${server.url}/api/me`, { headers: { origin, authorization: `Bearer ${token}` } });
      expect(me.status).toBe(200);
      expect(me.headers.get('access-control-allow-origin')).toBe(origin);
      expect(me.headers.get('vary')).toContain('Origin');
      expect(((await me.json()) as { name: string }).name).toBe('Anne Jensen');
    }
    // A refusal is readable too, so the options page can say the token is wrong.
    const refused = await fetch(`${server.url}/api/me`, { headers: { origin: CHROME, authorization: 'Bearer rn_wrong' } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe(CHROME);
    // The sign-in endpoints the extension calls (token exchange, refresh, logout) answer the same way.
    const signIn = await preflight('/auth/token', FIREFOX, 'POST');
    expect(signIn.headers.get('access-control-allow-origin')).toBe(FIREFOX);
  });

  it('names no web page, and no look-alike of an extension origin', async () => {
    for (const origin of [
      'https://evil.example',
      'http://127.0.0.1:9',
      'null',
      'chrome-extension://abc/../evil',
      `${CHROME}.evil.example`,
      'chrome-extension://',
    ]) {
      const asked = await preflight('/api/me', origin);
      expect(asked.headers.get('access-control-allow-origin'), origin).toBeNull();
      const me = await fetch(`${server.url}/api/me`, { headers: { origin, authorization: `Bearer ${token}` } });
      expect(me.headers.get('access-control-allow-origin'), origin).toBeNull();
    }
    // Nothing outside /api and /auth is opened up (the demo packet, /health).
    const health = await fetch(`${server.url}/health`, { headers: { origin: CHROME } });
    expect(health.headers.get('access-control-allow-origin')).toBeNull();
  });
});
