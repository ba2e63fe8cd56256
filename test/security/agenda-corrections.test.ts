/**
 * A member of a group against the group's agenda correction (docs/SECURITY.md, "A member of a
 * group: agenda corrections"). A correction replaces the last one whole, but each stays in the
 * room's update log until the log is folded: without a limit, a member sending the largest
 * correction in a loop kept a 4 MiB shared room at its size cap, and 148 of 200 comments another
 * member sent in between were refused with 413. Now a member may send a burst of ten, then 30 an
 * hour (RANDNOTER_AGENDA_CORRECTION_BURST, …_PER_HOUR); the others go on commenting and
 * correcting, and the correction shown says who made it.
 */

import { DEFAULT_LIMITS } from '@randnoter/server/config';
import { readCorrection } from '@randnoter/shared/agenda/agenda-doc';
import { CorrectionLimits } from '@randnoter/shared/agenda/correction';
import { afterEach, describe, expect, it } from 'vitest';
import { api, commentDraft } from '../support/api.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';
import { type Client, connectSynced } from '../support/yjs-clients.ts';

const FINGERPRINT = 'feedc0ffee0123456789abcdef012345';
/** Enough of the largest corrections to fill the room below twice over, had they all been taken. */
const ROUNDS = 40;

/** Just under the largest correction the API takes: 240 items with 1,000-character titles. */
function largestCorrection(round: number): Record<string, unknown> {
  const correction = {
    items: Array.from({ length: 240 }, (_, i) => ({
      number: i + 1,
      label: `Sag ${i + 1}`,
      title: `${round}-${i}`.padEnd(1_000, 't'),
      firstPage: i + 1,
      attachments: [],
    })),
  };
  expect(JSON.stringify(correction).length).toBeGreaterThan(0.9 * CorrectionLimits.jsonMaxChars);
  return correction;
}

describe('a member replacing the group’s agenda correction over and over', () => {
  let server: TestServer;
  const clients: Client[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server?.close();
  });

  it('is slowed after a burst, cannot fill the room, and leaves the others commenting and correcting', async () => {
    const cap = 4 * 1024 * 1024;
    server = await startTestServer({ limits: { maxSharedDocBytes: cap } });
    const mallory = await server.addUser('Mallory', 'udvalg');
    const anne = await server.addUser('Anne Jensen', 'udvalg');
    const register = (token: string) =>
      api<{ packetId: string }>(server.url, token, 'POST', '/api/packets', { fingerprint: FINGERPRINT, pageCount: 1_000 });
    const { packetId } = (await register(mallory.token)).body;
    await register(anne.token);
    const room = `shared/udvalg/${packetId}`;
    const path = `/api/groups/udvalg/packets/${packetId}`;

    const statuses: number[] = [];
    const annes: number[] = [];
    let refusal: { error?: string } | null = null;
    let retryAfter: string | null = null;
    for (let round = 0; round < ROUNDS; round++) {
      const answer = await api<{ error?: string }>(server.url, mallory.token, 'PUT', `${path}/agenda`, largestCorrection(round));
      statuses.push(answer.status);
      if (answer.status === 429 && !refusal) {
        refusal = answer.body;
        retryAfter = answer.headers.get('retry-after');
      }
      // Anne comments in between, as the group goes on working.
      annes.push(
        (await api(server.url, anne.token, 'POST', `${path}/annotations`, commentDraft(`anne-${round}`, 'Hvad koster det?'))).status,
      );
    }
    expect(annes).toEqual(Array(ROUNDS).fill(201));
    const burst = DEFAULT_LIMITS.agendaCorrectionBurst;
    expect(statuses.slice(0, burst)).toEqual(Array(burst).fill(200));
    expect(statuses.slice(burst)).toEqual(Array(ROUNDS - burst).fill(429));
    expect(refusal?.error).toMatch(/corrected this agenda too often: try again in \d+ s/);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(server.rooms.peek(room)?.storedBytes ?? 0).toBeLessThan(cap * 0.9);

    // Anne corrects with an allowance of her own.
    const reader = await connectSynced(server.wsUrl, room, anne.token);
    clients.push(reader);
    await waitFor(() => readCorrection(reader.doc)?.by?.id === mallory.id, { what: "Mallory's correction at the reader" });
    const fixed = { items: [{ number: 1, label: 'Sag 1', title: 'Budget', firstPage: 1, attachments: [] }] };
    expect((await api(server.url, anne.token, 'PUT', `${path}/agenda`, fixed)).status).toBe(200);
    const shown = await waitFor(() => (readCorrection(reader.doc)?.by?.id === anne.id ? readCorrection(reader.doc) : null), {
      what: "Anne's correction at the reader",
    });
    expect(shown.items.map((i) => i.title)).toEqual(['Budget']);
  });
});
