import { describe, expect, it } from 'vitest';
import { fetchOwnData } from './own-data.ts';
import type { ApiError } from './server-api.ts';

const identity = { serverUrl: 'https://randnoter.kommune.dk', token: 'tok' };
const NOW = new Date('2026-12-07T10:00:00Z');

describe('fetching the user’s own data', () => {
  it('asks for the signed-in user’s export with their token and keeps the server’s file name', async () => {
    const asked: Array<{ url: string; auth: string | null }> = [];
    const file = await fetchOwnData(
      identity,
      async (url, init) => {
        asked.push({ url: String(url), auth: new Headers(init?.headers).get('authorization') });
        return new Response('{"format":"randnoter-own-data/1"}', {
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'content-disposition': 'attachment; filename="randnoter-mine-data-2026-12-06.json"',
          },
        });
      },
      NOW,
    );
    expect(asked).toEqual([{ url: 'https://randnoter.kommune.dk/api/me/export', auth: 'Bearer tok' }]);
    expect(file.fileName).toBe('randnoter-mine-data-2026-12-06.json');
    expect(new TextDecoder().decode(file.bytes)).toBe('{"format":"randnoter-own-data/1"}');
  });

  // What i18n/problems.ts turns into the sentence the user reads: the status, and whether it was a Randnoter server's answer.
  it('reports refusals with their status, and an answer that is not a Randnoter server’s as foreign', async () => {
    const answer =
      (status: number, body: string, type = 'application/json') =>
      async () =>
        new Response(body, { status, headers: { 'content-type': type } });
    const problem = (fetchFn: typeof fetch) =>
      fetchOwnData(identity, fetchFn, NOW).then(
        () => 'saved',
        (e: ApiError) => `${e.status}${e.foreign ? ' foreign' : ''}`,
      );
    expect(await problem(answer(429, '{"error":"you already have an export under way"}'))).toBe('429');
    expect(await problem(answer(401, '{"error":"missing, unknown or revoked token"}'))).toBe('401');
    expect(await problem(answer(503, '{"error":"busy"}'))).toBe('503');
    expect(await problem(answer(200, '<html>Velkommen</html>', 'text/html'))).toBe('200 foreign');
    expect(await problem(answer(404, '<html>Ikke fundet</html>', 'text/html'))).toBe('404 foreign');
    expect(
      await problem(async () => {
        throw new TypeError('Failed to fetch');
      }),
    ).toBe('0');
  });
});
