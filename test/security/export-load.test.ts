/**
 * Red-team finding (issue 24): an overview-pdf export of a 10,000-note shared room ran on the
 * server's event loop for 36-47 s. Meanwhile every other user's relays and `/health` stalled, and
 * four exports at once reset connections. Exports now render in worker threads with a time and a
 * memory limit, one at a time per user and a bounded number per process (docs/SECURITY.md, "A
 * signed-in user: exports").
 *
 * The group's room is written straight into a server's database (one room change), then a real
 * `randnoter serve` process serves it, so its memory can be read from /proc.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnnotationDraft } from '@randnoter/shared/model/annotation';
import { insertAnnotation } from '@randnoter/shared/model/annotation-doc';
import { storageName } from '@randnoter/shared/protocol/rooms';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { needs } from '../support/needs.ts';
import { type SpawnedServer, spawnServer } from '../support/spawned-server.ts';
import { tempDbPath } from '../support/test-database.ts';
import { startTestServer } from '../support/test-server.ts';
import { describeReport, startVictim, type VictimReport } from '../support/victim.ts';

const COMMENTS = 10_000;
/** The documented bound for an honest user's relay p99 and /health answers while exports run. */
const LATENCY_BOUND_MS = 250;
const RSS_GROWTH_BOUND_MIB = 500;
const ITEMS = 30;
const OUTLINE = {
  pages: ITEMS * 10 + 1,
  items: Array.from({ length: ITEMS }, (_, i) => ({
    number: i + 1,
    title: `Sag nummer ${i + 1}`,
    firstPage: 2 + i * 10,
    lastPage: 11 + i * 10,
    attachments: [{ number: 1, title: `Bilag til sag ${i + 1}`, firstPage: 7 + i * 10, lastPage: 11 + i * 10 }],
  })),
};

const comment = (i: number): AnnotationDraft => ({
  id: `c-${i}`,
  kind: 'comment',
  body: `Kommentar ${i}: hvad koster udvidelsen af skolen i 2025, og hvem betaler? Vi bør spørge forvaltningen før mødet.`,
  replyTo: null,
  color: null,
  tags: [],
  target: {
    page: 2 + (i % (ITEMS * 10)),
    selectors: [{ type: 'TextQuoteSelector', exact: 'udgifterne stiger', prefix: 'I 2024 ', suffix: ' med 3 %' }],
  },
});

const pdftotext = (file: string) =>
  new Promise<string>((done, fail) =>
    execFile('pdftotext', ['-enc', 'UTF-8', file, '-'], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout) =>
      error ? fail(error) : done(stdout.replace(/\s+/g, ' ')),
    ),
  );

/** The server process's resident memory, sampled until stopped; its peak is what the exports cost. */
function sampleRss(pid: number) {
  const read = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
  const baseline = read();
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, read());
  }, 50);
  return {
    baseline,
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, read()) - baseline;
    },
  };
}

needs('poppler')('overview-pdf exports of a 10,000-note shared room', () => {
  let server: SpawnedServer;
  let packetId: string;
  const members: { id: string; name: string; token: string }[] = [];
  let victim: { id: string; token: string };
  const dir = mkdtempSync(join(tmpdir(), 'randnoter-export-load-'));

  beforeAll(async () => {
    const database = tempDbPath();
    const writer = await startTestServer({ database });
    for (const name of ['Anne Jensen', 'Bo Hansen', 'Carl Berg', 'Dorte Møller']) members.push(await writer.addUser(name, 'udvalg'));
    victim = await writer.addUser('Vera Victim', 'andet');
    const anne = members[0] as (typeof members)[number];
    const registered = await api<{ packetId: string }>(writer.url, anne.token, 'POST', '/api/packets', {
      fingerprint: 'b2f6c0ffee0123456789abcdef012345',
      title: 'Byrådet 12. marts',
      outline: OUTLINE,
    });
    packetId = registered.body.packetId;
    // What 10,000 intents would store, in one change: the room is the server's to write.
    await writer.rooms.use(storageName({ kind: 'shared', groupId: 'udvalg', packetId }, anne.id), (room) =>
      room.change((doc) => {
        for (let i = 0; i < COMMENTS; i++) {
          const author = members[i % members.length] as (typeof members)[number];
          insertAnnotation(doc, comment(i), { id: author.id, name: author.name }, '2026-03-10T09:00:00.000Z');
        }
      }),
    );
    await writer.close();
    server = await spawnServer(database);
  }, 120_000);

  afterAll(async () => {
    await server?.kill('SIGKILL');
  });

  const exportAs = (token: string) =>
    fetch(`${server.url}/api/packets/${packetId}/export?format=overview-pdf`, { headers: { authorization: `Bearer ${token}` } });

  /** A PDF export's bytes, read in full (the transfer is part of the export). */
  async function pdfOf(response: Response): Promise<Uint8Array> {
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    return new Uint8Array(await response.arrayBuffer());
  }

  /** Every one of the 10,000 comments is in the PDF's text. */
  async function expectEveryComment(pdf: Uint8Array): Promise<void> {
    const file = join(dir, `${Math.random().toString(36).slice(2)}.pdf`);
    writeFileSync(file, pdf);
    const text = await pdftotext(file);
    const found = new Set(Array.from(text.matchAll(/Kommentar (\d+):/g), (m) => m[1]));
    expect(found.size).toBe(COMMENTS);
  }

  /** What the victim measured while `phase` ran, held to the documented bound. */
  function expectResponsive(report: VictimReport, phase: string): void {
    console.log(describeReport(phase, report));
    expect(report.relaySamples, phase).toBeGreaterThan(20);
    expect(report.healthSamples, phase).toBeGreaterThan(5);
    expect(report.relayLost, `${phase}: relays lost`).toBe(0);
    expect(report.healthFailed, `${phase}: /health failed`).toBe(0);
    expect(report.closed, `${phase}: the victim's sockets`).toEqual([]);
    expect(report.relayP99, `${phase}: relay p99`).toBeLessThan(LATENCY_BOUND_MS);
    expect(report.healthP99, `${phase}: /health p99`).toBeLessThan(LATENCY_BOUND_MS);
  }

  const whileVictimWatches = async <T>(phase: string, run: () => Promise<T>): Promise<T> => {
    const victimProbe = await startVictim({ wsUrl: server.wsUrl, httpUrl: server.url, token: victim.token, room: 'notes/vera-packet' });
    try {
      return await run();
    } finally {
      expectResponsive(await victimProbe.stop(), phase);
    }
  };

  it('keeps another user’s relays and /health under 250 ms while one, then four members export, and refuses a second export of one user', async () => {
    const rss = sampleRss(server.child.pid as number);
    const anne = (members[0] as (typeof members)[number]).token;
    const pdfs: Uint8Array[] = [];
    let grown = Number.NaN;
    try {
      pdfs.push(await whileVictimWatches('one export', async () => pdfOf(await exportAs(anne))));
      await whileVictimWatches('four exports', async () => {
        // Anne twice at once, whichever request the server sees first: one is refused at once, with a time to retry.
        const [first, second, ...others] = await Promise.all([anne, ...members.map((m) => m.token)].map(exportAs));
        const [refused, served] = ((first as Response).status === 429 ? [first, second] : [second, first]) as [Response, Response];
        expect(refused.status).toBe(429);
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(((await refused.json()) as { error: string }).error).toMatch(/already/);
        for (const response of [served, ...others]) pdfs.push(await pdfOf(response as Response));
      });
    } finally {
      grown = rss.stop();
      console.log(JSON.stringify({ rssBaselineMiB: Math.round(rss.baseline), rssGrowthMiB: Math.round(grown) }));
    }
    expect(grown).toBeLessThan(RSS_GROWTH_BOUND_MIB);
    expect(pdfs).toHaveLength(5);
    for (const pdf of pdfs) await expectEveryComment(pdf);
  }, 400_000);
});
