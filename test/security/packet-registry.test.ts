/**
 * The packet registry under attack (docs/SECURITY.md).
 *
 * A client-sent outline nested deeply enough made the server answer 500 (JSON.stringify
 * overflowed the stack); outlines of any shape and size were stored as sent.
 */

import { insertAnnotation, liveAnnotations } from '@randnoter/shared/model/annotation-doc';
import { afterEach, describe, expect, it } from 'vitest';
import { api, commentDraft } from '../support/api.ts';
import { readStoredDoc } from '../support/stored-doc.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';
import { connectSynced } from '../support/yjs-clients.ts';

const FAKE_FINGERPRINT = 'bad0bad0bad0bad0bad0bad0bad0bad0';
interface Registered {
  packetId: string;
  created: boolean;
  newVersion: boolean;
  version: string;
  versions: Array<{ version: string; firstSeen: string; pageCount: number | null }>;
}
interface Listed {
  packetId: string;
  registered: boolean;
  title: string | null;
  meetingDate: string | null;
  pageCount: number | null;
  versions: Array<{ version: string; firstSeen: string }>;
}

describe('the packet registry', () => {
  let server: TestServer;
  afterEach(async () => {
    await server?.close();
  });

  const register = (token: string, body: unknown) => api<Registered>(server.url, token, 'POST', '/api/packets', body);
  const list = async (token: string) => (await api<{ packets: Listed[] }>(server.url, token, 'GET', '/api/packets')).body.packets;
  const exportMd = async (token: string, packetId: string) => {
    const response = await fetch(`${server.url}/api/packets/${packetId}/export?format=md&items=all`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    return response.text();
  };
  /** A private note, written over the socket as the extension does, and waited for until stored. */
  async function writeNote(user: { id: string; token: string }, packetId: string, body: string): Promise<void> {
    const notes = await connectSynced(server.wsUrl, `notes/${packetId}`, user.token);
    const draft = { id: `n-${body.length}`, kind: 'note' as const, body, replyTo: null, color: null, tags: [], target: { page: 7 } };
    insertAnnotation(notes.doc, draft, null, '2023-01-20T10:00:00Z');
    await waitFor(async () => liveAnnotations(await readStoredDoc(server.database, `notes/${user.id}/${packetId}`)).length > 0, {
      what: 'the stored note',
    });
    notes.destroy();
  }

  describe('refuses malformed outlines and request bodies with 400 and a clear error, never a 500', () => {
    const DEPTH = 100_000; // about 200 kB of brackets: well inside the 1 MiB body limit
    const nested = (inner: string) => `${'['.repeat(DEPTH)}${inner}${']'.repeat(DEPTH)}`;
    const attachment = { number: 1, title: 'Bilag', firstPage: 1, lastPage: 1 };
    const item = (extra: Record<string, unknown> = {}) => ({
      number: 1,
      title: 'Punkt',
      firstPage: 1,
      lastPage: 1,
      attachments: [],
      ...extra,
    });

    it.each([
      ['a deeply nested outline', `{"fingerprint":"${FAKE_FINGERPRINT}","outline":${nested('1')}}`, /nested deeper than 32/],
      [
        'deep nesting inside an item',
        `{"fingerprint":"${FAKE_FINGERPRINT}","outline":{"pages":1,"items":[{"number":1,"title":"x","firstPage":1,"lastPage":1,"attachments":${nested('')}}]}}`,
        /nested|attachments/,
      ],
      ['deep nesting in an unknown field', `{"fingerprint":"${FAKE_FINGERPRINT}","extra":${nested('0')}}`, /nested/],
    ])('%s', async (_, body, error) => {
      server = await startTestServer();
      const anne = await server.addUser('Anne Jensen');
      const answer = await register(anne.token, body);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ error: expect.stringMatching(error) });
    });

    it('outlines that are not agendas, too large or out of bounds', async () => {
      server = await startTestServer();
      const anne = await server.addUser('Anne Jensen');
      const bad: Array<[unknown, RegExp]> = [
        [[1, 2, 3], /outline must be/],
        [{ pages: 1, items: [[[[item()]]]] }, /outline\.items\[0\] must be an object/],
        [{ items: [item()] }, /outline\.pages/],
        [{ pages: 1, items: 'Punkt 1' }, /outline\.items/],
        [{ pages: 1, items: [item({ title: { toString: 'x' } })] }, /outline\.items\[0\]\.title/],
        [{ pages: 1, items: [item({ title: 'x'.repeat(1001) })] }, /outline\.items\[0\]\.title/],
        [{ pages: 1, items: [item({ firstPage: 3, lastPage: 2 })] }, /outline\.items\[0\]\.lastPage/],
        [{ pages: 1, items: [item({ number: 1e300 })] }, /outline\.items\[0\]\.number/],
        [{ pages: 1, items: Array.from({ length: 1001 }, () => item()) }, /at most 1000 items/],
        [
          { pages: 1, items: [item({ attachments: [item({ attachments: undefined, title: 7 })] })] },
          /outline\.items\[0\]\.attachments\[0\]\.title/,
        ],
        [
          { pages: 1, items: Array.from({ length: 20 }, () => item({ attachments: Array.from({ length: 500 }, () => attachment) })) },
          /at most 5000 attachments/,
        ],
      ];
      for (const [outline, error] of bad) {
        const answer = await register(anne.token, { fingerprint: FAKE_FINGERPRINT, outline });
        expect(answer.status, JSON.stringify(outline).slice(0, 80)).toBe(400);
        expect(answer.body).toEqual({ error: expect.stringMatching(error) });
      }
      // And the other fields' bounds (a page count beyond any PDF would not fit PostgreSQL's integer column).
      for (const [body, error] of [
        [{ fingerprint: FAKE_FINGERPRINT, pageCount: 1e12 }, /pageCount/],
        [{ fingerprint: FAKE_FINGERPRINT, meetingDate: '2023-13-45' }, /meetingDate/],
        [{ fingerprint: FAKE_FINGERPRINT, title: ['AFLYST'] }, /title/],
      ] as const) {
        const answer = await register(anne.token, body);
        expect(answer.status).toBe(400);
        expect(answer.body).toEqual({ error: expect.stringMatching(error) });
      }
      // Nothing of the refused registrations was stored.
      expect((await register(anne.token, { fingerprint: FAKE_FINGERPRINT })).body).toMatchObject({ created: true });
    });

    it('stores only what the schema names: __proto__ and other unknown keys are dropped', async () => {
      server = await startTestServer();
      const anne = await server.addUser('Anne Jensen');
      const body = `{"fingerprint":"${FAKE_FINGERPRINT}","title":"Pakke","__proto__":{"title":"AFLYST","pageCount":1},
        "outline":{"pages":3,"__proto__":{"items":[]},"items":[{"number":1,"title":"Budget","firstPage":1,"lastPage":3,
        "__proto__":{"title":"AFLYST"},"constructor":{"prototype":{"polluted":true}},"attachments":[]}]}}`;
      const answer = await register(anne.token, body);
      expect(answer.status).toBe(201);
      await writeNote(anne, answer.body.packetId, 'note');
      const md = await exportMd(anne.token, answer.body.packetId);
      expect(md).toContain('Punkt 1: Budget');
      expect(md).not.toContain('AFLYST');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect((await list(anne.token))[0]).toMatchObject({ title: 'Pakke', pageCount: null });
    });

    it('answers a deeply nested body on the annotation routes with 400 too', async () => {
      server = await startTestServer();
      const anne = await server.addUser('Anne Jensen', 'udvalg');
      const path = '/api/groups/udvalg/packets/p1/annotations';
      const comment = JSON.stringify(commentDraft('c1', 'hej'));
      const deep = `${comment.slice(0, -1)},"extra":${nested('0')}}`;
      for (const [method, url] of [
        ['POST', path],
        ['PATCH', `${path}/c1`],
      ] as const) {
        const answer = await api(server.url, anne.token, method, url, deep);
        expect(answer.status, method).toBe(400);
        expect(answer.body).toEqual({ error: expect.stringMatching(/nested/) });
      }
      expect((await api(server.url, anne.token, 'POST', path, comment)).status).toBe(201);
      // Brackets in text are not nesting: a comment made of them is fine.
      expect((await api(server.url, anne.token, 'POST', path, commentDraft('c2', '[{'.repeat(5_000)))).status).toBe(201);
    });
  });
});
