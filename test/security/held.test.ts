/**
 * Attacks from the red-team pass that found nothing, kept so that they keep finding nothing (the
 * others that held are in test/integration: room-isolation, shared-intents, export-safety, fuzz,
 * authentication and crash-durability). And the headers every answer carries.
 */
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { liveAnnotations } from '@randnoter/shared/model/annotation-doc';
import { afterEach, describe, expect, it } from 'vitest';
import { api, commentDraft } from '../support/api.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { type Client, connectSynced } from '../support/yjs-clients.ts';

const DEMO = fileURLToPath(new URL('../fixtures/packets/rdm-2023-01', import.meta.url));

/** A plain HTTP GET with the path exactly as written (fetch would normalise `..` and `%2e`); its status, 0 if none. */
function rawGet(port: number, path: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`));
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      answer += chunk;
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0)));
  });
}

describe('what held', () => {
  let server: TestServer;
  const clients: Client[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server?.close();
  });

  it('treats __proto__, constructor and prototype as plain ids: rooms, comments, and nothing else changes', async () => {
    server = await startTestServer();
    const anne = await server.addUser('Anne Jensen');
    await server.addGroup('__proto__');
    await server.addMember('__proto__', anne.id);
    for (const id of ['__proto__', 'constructor', 'prototype']) {
      const path = `/api/groups/__proto__/packets/${id}/annotations`;
      expect((await api(server.url, anne.token, 'POST', path, commentDraft(id, `om ${id}`))).status).toBe(201);
      expect((await api<{ total: number }>(server.url, anne.token, 'GET', path)).body.total).toBe(1);
    }
    const reader = await connectSynced(server.wsUrl, 'shared/__proto__/constructor', anne.token);
    clients.push(reader);
    expect(liveAnnotations(reader.doc).map((a) => a.id)).toEqual(['constructor']);
    expect(({} as Record<string, unknown>).body).toBeUndefined();
    expect((await api<{ groups: unknown[] }>(server.url, anne.token, 'GET', '/api/me')).body.groups).toEqual([
      { id: '__proto__', name: '__proto__', role: 'member', closedAccess: false },
    ]);
  });

  it('stores SQL in names, titles and bodies as text, and refuses it where an id is expected', async () => {
    server = await startTestServer();
    const sql = "x'); DROP TABLE users; --";
    const anne = await server.addUser(sql, 'udvalg');
    expect((await api<{ name: string }>(server.url, anne.token, 'GET', '/api/me')).body.name).toBe(sql);
    const registered = await api<{ packetId: string }>(server.url, anne.token, 'POST', '/api/packets', {
      fingerprint: 'ab'.repeat(16),
      title: sql,
    });
    expect(registered.status).toBe(201);
    const path = `/api/groups/udvalg/packets/${registered.body.packetId}/annotations`;
    expect((await api(server.url, anne.token, 'POST', path, commentDraft('c1', sql))).status).toBe(201);
    const listed = await api<{ packets: Array<{ title: string }> }>(server.url, anne.token, 'GET', '/api/packets');
    expect(listed.body.packets.map((p) => p.title)).toContain(sql);
    for (const bad of ["udvalg' OR '1'='1", 'udvalg;--', 'udvalg%27']) {
      expect((await api(server.url, anne.token, 'GET', `/api/groups/${encodeURIComponent(bad)}/packets/p1/annotations`)).status).toBe(404);
    }
    expect((await api(server.url, anne.token, 'GET', '/api/me')).status).toBe(200); // users is still there
  });

  it('serves nothing outside the demo folder, however the path is written', async () => {
    server = await startTestServer({ demoDir: DEMO });
    expect(await rawGet(server.port, '/demo/packet.pdf')).toBe(200);
    const traversals = [
      '/demo/../package.json',
      '/demo/..%2Fpackage.json',
      '/demo/%2e%2e/package.json',
      '/demo/%2e%2e%2fpackage.json',
      '/demo/..%5Cpackage.json',
      '/demo/....//package.json',
      '/demo/%252e%252e%252fpackage.json',
      '/demo/..%c0%afpackage.json',
      '/demo//etc/passwd',
      '/demo/%2Fetc%2Fpasswd',
      '/demo/truth.json/..',
      '/demo/.%2e/.%2e/package.json',
      '/demo/README.md',
      '/demo/packet.pdf%00.html',
      '/demo/%00',
    ];
    for (const path of traversals) expect([0, 400, 404], path).toContain(await rawGet(server.port, path));
  });

  it('sends headers that keep every answer from being sniffed, framed or run as a page', async () => {
    server = await startTestServer({ demoDir: DEMO });
    const anne = await server.addUser('Anne Jensen');
    for (const [path, token] of [
      ['/health', null],
      ['/api/me', anne.token],
      ['/api/nothing-here', anne.token],
      ['/api/me', null],
    ] as const) {
      const { headers } = await api(server.url, token, 'GET', path);
      expect(headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(headers.get('content-security-policy'), path).toMatch(/default-src 'none'/);
      expect(headers.get('content-security-policy'), path).toMatch(/frame-ancestors 'none'/);
      expect(headers.get('referrer-policy'), path).toBe('no-referrer');
      if (path.startsWith('/api')) expect(headers.get('cache-control'), path).toBe('no-store');
    }
    const page = await fetch(`${server.url}/demo/agenda.html`);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'none'/);
  });
});
