/**
 * Accounts and tokens: the admin command line on the database file, tokens that are random,
 * hashed, revocable and never logged, and refusals that come before any document is loaded.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CloseCode } from '@randnoter/shared/protocol/close-codes';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { api, commentDraft } from '../support/api.ts';
import { openRawSocket } from '../support/raw-socket.ts';
import { lastWord, runAdmin } from '../support/spawned-server.ts';
import { storedRooms } from '../support/stored-doc.ts';
import { databaseArgs, openTestDatabase, tempDatabase, testBackend } from '../support/test-database.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';
import { type Client, connectClient, connectSynced } from '../support/yjs-clients.ts';
import { authMessage, syncStep1 } from '../support/yjs-frames.ts';

const TOKEN_SHAPE = /^rn_[A-Za-z0-9_-]{43}$/; // 43 base64url characters: 256 random bits

/**
 * Opens a `ws` socket and resolves with the code the server closes it with; a socket that the
 * server accepts instead (it receives a message) is closed by us with 1000.
 */
function closeCodeOf(url: string, firstFrame?: Uint8Array): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.on('open', () => {
      if (firstFrame) ws.send(firstFrame);
    });
    ws.on('message', () => ws.close(1000));
    ws.on('close', (code) => resolve(code));
    ws.on('error', () => {});
  });
}

/** The token hashes, and every column of the tokens table as one string (to look for a token in it). */
async function tokenTable(database: string): Promise<{ hashes: string[]; everything: string }> {
  const opened = openTestDatabase(database);
  try {
    const rows = await opened.db.selectFrom('tokens').selectAll().execute();
    return { hashes: rows.map((r) => r.hash), everything: JSON.stringify(rows) };
  } finally {
    await opened.close();
  }
}

describe('authentication', () => {
  let server: TestServer | undefined;
  const clients: Client[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server?.close();
    server = undefined;
  });

  it('the admin command line creates users, groups, memberships and revocable tokens that are stored only as hashes', async () => {
    const database = await tempDatabase();
    const on = databaseArgs(database);
    const anneOut = await runAdmin(['user', 'add', '--name', 'Anne Jensen', '--group', 'udvalg', ...on]);
    const anneToken = lastWord(anneOut.stdout);
    expect(anneToken).toMatch(TOKEN_SHAPE);
    await runAdmin(['group', 'add', 'gruppe-b', '--name', 'Gruppe B', ...on]);
    const boOut = await runAdmin(['user', 'add', '--name', 'Bo Hansen', ...on]);
    const boToken = lastWord(boOut.stdout);
    const boId = /Created user (\S+)/.exec(boOut.stdout)?.[1] as string;
    expect(boToken).toMatch(TOKEN_SHAPE);
    expect(boToken).not.toBe(anneToken);
    await runAdmin(['group', 'add-member', 'gruppe-b', boId, ...on]);
    const secondBo = lastWord((await runAdmin(['token', 'add', boId, ...on])).stdout);

    // Hashed: the tokens appear nowhere in the database, only their sha256.
    const stored = await tokenTable(database);
    expect(stored.hashes).toHaveLength(3);
    for (const hash of stored.hashes) expect(hash).toMatch(/^[0-9a-f]{64}$/);
    for (const token of [anneToken, boToken, secondBo]) expect(stored.everything.includes(token)).toBe(false);
    if (testBackend === 'sqlite') {
      const fileBytes = Buffer.concat([readFileSync(database), readFileSync(`${database}-wal`, { flag: 'a+' })]).toString('latin1');
      for (const token of [anneToken, boToken, secondBo]) expect(fileBytes.includes(token)).toBe(false);
    }

    server = await startTestServer({ database, limits: { reauthIntervalMs: 50 } });
    const me = await api<{ name: string; groups: Array<{ id: string }> }>(server.url, boToken, 'GET', '/api/me');
    expect(me.status).toBe(200);
    expect(me.body.name).toBe('Bo Hansen');
    expect(me.body.groups.map((g) => g.id)).toEqual(['gruppe-b']);

    // Revoking while the server runs: HTTP refuses at once, and the live sockets (two devices,
    // checked with one lookup a round) are closed too.
    const devices = [await connectSynced(server.wsUrl, 'notes/p1', boToken), await connectSynced(server.wsUrl, 'notes/p2', boToken)];
    clients.push(...devices);
    const closed = devices.map(
      (live) => new Promise<number>((resolve) => live.provider.on('connection-close', (e) => resolve(e?.code ?? 0))),
    );
    expect(lastWord((await runAdmin(['token', 'revoke', boToken, ...on])).stdout)).toBe('token');
    expect((await api(server.url, boToken, 'GET', '/api/me')).status).toBe(401);
    expect(await Promise.all(closed)).toEqual([CloseCode.unauthorized, CloseCode.unauthorized]);
    expect(await closeCodeOf(`${server.wsUrl}/notes/p1?token=${boToken}`)).toBe(CloseCode.unauthorized);
    expect((await api(server.url, secondBo, 'GET', '/api/me')).status).toBe(200);

    // Revoking by user id ends all of that user's tokens.
    expect((await runAdmin(['token', 'revoke', boId, ...on])).stdout).toContain('Revoked 1 token');
    expect((await api(server.url, secondBo, 'GET', '/api/me')).status).toBe(401);
    expect((await api(server.url, anneToken, 'GET', '/api/me')).status).toBe(200);
  });

  it('refuses a missing, empty, forged, unknown or revoked token with 401 / 4401 before any room is loaded', async () => {
    server = await startTestServer();
    const anne = await server.addUser('Anne Jensen', 'udvalg');
    const revoked = await server.addUser('Tidligere Medlem', 'udvalg');
    await runAdmin(['token', 'revoke', revoked.token, ...databaseArgs(server.database)]);
    const forged = `rn_${randomBytes(32).toString('base64url')}`;
    const badTokens = ['', forged, revoked.token, `${anne.token}x`, anne.token.slice(0, -1), "rn_' or 1=1 --", anne.token.toUpperCase()];
    const paths = ['/api/me', '/api/packets', '/api/notes/p1/annotations', '/api/groups/udvalg/packets/p1/annotations'];

    for (const token of badTokens) {
      for (const path of paths) expect((await api(server.url, token, 'GET', path)).status, `${path} with "${token}"`).toBe(401);
      const post = await api(server.url, token, 'POST', '/api/groups/udvalg/packets/p1/annotations', commentDraft('c1', 'x'));
      expect(post.status).toBe(401);
      expect(post.headers.get('www-authenticate')).toBe('Bearer');
      for (const room of ['notes/p1', 'shared/udvalg/p1', 'shared/nogroup/p1', 'not-a-room']) {
        expect(await closeCodeOf(`${server.wsUrl}/${room}?token=${encodeURIComponent(token)}`), `${room} with "${token}"`).toBe(
          CloseCode.unauthorized,
        );
      }
      // The same token in an auth message instead of the URL.
      expect(await closeCodeOf(`${server.wsUrl}/notes/p1`, authMessage(token))).toBe(CloseCode.unauthorized);
    }
    for (const path of paths) expect((await api(server.url, null, 'GET', path)).status).toBe(401);
    expect((await api(server.url, anne.token, 'GET', '/api/me', undefined)).status).toBe(200);
    // A Basic header, or a bearer token with junk after it, is not a bearer token.
    const basic = await fetch(`${server.url}/api/me`, { headers: { authorization: `Basic ${anne.token}` } });
    expect(basic.status).toBe(401);

    // An unmodified provider without a token sends sync step 1 first: refused, and it does not retry.
    const anonymous = connectClient(server.wsUrl, 'notes/p1', null);
    clients.push(anonymous);
    const closed = await new Promise<{ code: number }>((resolve) => anonymous.provider.on('closed', (e) => resolve(e)));
    expect(closed.code).toBe(CloseCode.unauthorized);
    // A raw socket without any token that sends a document update first: refused the same way.
    const raw = await openRawSocket(server.port, '/sync/notes/p1');
    raw.sendBinary(syncStep1(new Y.Doc()));
    expect((await raw.closed).code).toBe(CloseCode.unauthorized);

    expect(server.rooms.loadedCount).toBe(0);
    expect(await storedRooms(server.database)).toEqual([]);
  });

  it('accepts the token as a first auth message instead of in the URL', async () => {
    server = await startTestServer();
    const anne = await server.addUser('Anne Jensen');
    const raw = await openRawSocket(server.port, '/sync/notes/p1?ack=1');
    raw.sendBinary(authMessage(anne.token));
    raw.sendBinary(syncStep1(new Y.Doc())); // buffered until the room is open
    const messages = await raw.waitForMessages(2);
    expect(messages.length).toBeGreaterThanOrEqual(2);
    expect(raw.isClosed).toBe(false);
    raw.destroy();
  });

  it('never writes a token to the log, whatever the client does with it', async () => {
    const logLines: string[] = [];
    server = await startTestServer({ logLines, logLevel: 'debug' });
    const anne = await server.addUser('Anne Jensen', 'udvalg');
    const bo = await server.addUser('Bo Hansen');
    const forged = `rn_${randomBytes(32).toString('base64url')}`;
    await runAdmin(['token', 'revoke', bo.token, ...databaseArgs(server.database)]);

    const synced = await connectSynced(server.wsUrl, 'notes/p1', anne.token, { ack: '1' });
    clients.push(synced);
    for (const token of [forged, bo.token]) {
      await closeCodeOf(`${server.wsUrl}/notes/p1?token=${token}`);
      await closeCodeOf(`${server.wsUrl}/notes/p1`, authMessage(token));
      await api(server.url, token, 'GET', '/api/me');
    }
    // Tokens where they do not belong: in paths, in bodies, in a malformed socket.
    await api(server.url, anne.token, 'GET', `/api/${anne.token}`);
    await api(server.url, anne.token, 'GET', `/api/notes/${anne.token}/annotations`);
    await api(server.url, anne.token, 'POST', '/api/groups/udvalg/packets/p1/annotations', `{"id": "${anne.token}", "broken json`);
    await api(server.url, anne.token, 'POST', '/api/packets', { fingerprint: anne.token });
    await closeCodeOf(`${server.wsUrl}/notes/${anne.token}?token=${anne.token}`);
    await closeCodeOf(`${server.wsUrl}/shared/udvalg/p1?token=${anne.token}`, new TextEncoder().encode(anne.token));
    const raw = await openRawSocket(server.port, `/sync/notes/p1?token=${anne.token}`);
    raw.sendRaw(new Uint8Array([0xf2, 0x80, 0, 0, 0, 0])); // reserved bits set: not a valid frame
    await raw.closed;

    await waitFor(() => logLines.some((l) => l.includes('"socket refused"')), { what: 'log lines' });
    const log = logLines.join('\n');
    for (const line of logLines) expect(() => JSON.parse(line)).not.toThrow();
    for (const token of [anne.token, bo.token, forged]) expect(log.includes(token)).toBe(false);
    expect(log).not.toContain('rn_');
  });
});
