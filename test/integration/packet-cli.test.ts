import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type ReadPacket, readPacketBytes } from '@randnoter/server/pdf/read-packet';
import type { AgendaAttachment, AgendaItem } from '@randnoter/shared/agenda/outline';
import { identifyPage, textPrintsOf } from '@randnoter/shared/anchoring/page-identity';
import { fingerprintUrn } from '@randnoter/shared/identity/packet-identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Corpus, loadCorpus } from '../fixtures/packet-gen/corpus.ts';
import { generatePacket } from '../fixtures/packet-gen/generate-packet.ts';
import { styleNamed } from '../fixtures/packet-gen/styles.ts';
import { uniqueQuote } from '../fixtures/packet-gen/unique-quote.ts';
import { expectedOutline, PACKET_V1, PACKET_V2, truth } from '../support/packet-fixture.ts';
import { SCANS, type ScannedPackets, writeScannedPackets } from '../support/scanned-packet.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const ENCRYPTED = join(ROOT, 'test/fixtures/pdf/encrypted.pdf');
const dir = mkdtempSync(join(tmpdir(), 'randnoter-cli-'));

/** Runs the real command line: `node server/src/main.ts …`. */
function randnoter(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['server/src/main.ts', ...args], { cwd: ROOT }, (error, stdout, stderr) => {
      done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

function write(name: string, value: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof value === 'string' || value instanceof Uint8Array ? value : JSON.stringify(value));
  return file;
}

const itemTitle = (n: number) => truth.agenda_items.find((i) => i.number === n);

/** The fixture quotes as W3C annotations taken on packet.pdf: quote, context and page, as an export writes them. */
const annotations = truth.quotes.map((q) => {
  const item = itemTitle(q.agenda_item);
  const attachment = item?.attachments.find((a) => a.number === q.attachment);
  return {
    '@context': 'http://www.w3.org/ns/anno.jsonld',
    id: `urn:randnoter:annotation:${q.id}`,
    type: 'Annotation',
    bodyValue: `Note on ${q.id}`,
    target: {
      source: 'urn:x-pdf:0107072ea1c8978fd782eb8c0fbdcc1e',
      selector: [
        { type: 'TextQuoteSelector', exact: q.text, prefix: q.prefix, suffix: q.suffix },
        { type: 'FragmentSelector', conformsTo: 'http://tools.ietf.org/rfc/rfc3778', value: `page=${q.page}` },
      ],
    },
    'randnoter:agendaItem': { number: q.agenda_item, title: item?.title },
    'randnoter:attachment': attachment ? { number: attachment.number, title: attachment.title } : null,
  };
});

describe('randnoter agenda', () => {
  it.each([
    ['packet.pdf', PACKET_V1, 'packet'],
    ['packet.v2.pdf', PACKET_V2, 'packet_v2'],
  ] as const)('prints the agenda of %s as the documented JSON', async (_name, file, version) => {
    const { code, stdout, stderr } = await randnoter('agenda', file, '--json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json).toEqual(expectedOutline(version));
    expect(Object.keys(json)).toEqual(['pages', 'confidence', 'items']);
    expect(Object.keys(json.items[1])).toEqual(['number', 'label', 'title', 'firstPage', 'lastPage', 'attachments']);
    expect(Object.keys(json.items[1].attachments[0])).toEqual(['number', 'label', 'title', 'firstPage', 'lastPage']);
  });

  it('prints a readable table without --json', async () => {
    const { code, stdout } = await randnoter('agenda', PACKET_V1);
    expect(code).toBe(0);
    expect(stdout).toContain('46 pages, 10 agenda items');
    expect(stdout).toContain('Punkt 3: Godkendelse af Byrådsindstilling om Godkendelse af Rammeaftale 23-24  (pages 5–24)');
    expect(stdout).toContain('    Bilag 4: Høringssvar fra Børn og Unge til Rammeaftale 2023-24  (page 24)');
  });
});

describe('randnoter anchor', () => {
  const file = write('quotes.json', annotations);

  it('anchors every fixture quote on packet.pdf, on its page, item and attachment', async () => {
    const { code, stdout } = await randnoter('anchor', PACKET_V1, '--annotations', file, '--json');
    expect(code).toBe(0);
    const results = JSON.parse(stdout) as Array<Record<string, unknown>>;
    expect(results).toHaveLength(truth.quotes.length);
    for (const [i, q] of truth.quotes.entries()) {
      const result = results[i] as Record<string, unknown>;
      expect(Object.keys(result)).toEqual(['id', 'status', 'page', 'agendaItem', 'attachment', 'start', 'end']);
      expect(result).toMatchObject({ id: `urn:randnoter:annotation:${q.id}`, status: 'anchored', page: q.page });
      expect((result.agendaItem as { number: number }).number, q.id).toBe(q.agenda_item);
      expect((result.attachment as { number: number } | null)?.number ?? null, q.id).toBe(q.attachment);
      expect((result.end as number) - (result.start as number)).toBe(q.text.length);
    }
  });

  it('re-anchors them on packet.v2.pdf: moved quotes on their new pages, the edited one fuzzy or orphaned', async () => {
    const { code, stdout } = await randnoter('anchor', PACKET_V2, '--annotations', file, '--json');
    expect(code).toBe(0);
    const results = JSON.parse(stdout) as Array<{ status: string; page: number | null; agendaItem: { number: number } | null }>;
    for (const [i, q] of truth.quotes.entries()) {
      const result = results[i] as (typeof results)[number];
      if (q.v2.exists_verbatim)
        expect(result, q.id).toMatchObject({ status: 'anchored', page: q.v2.page, agendaItem: { number: q.agenda_item } });
      else if (result.status !== 'orphaned') expect(result, q.id).toMatchObject({ status: 'fuzzy', page: 28, agendaItem: { number: 4 } });
    }
  });

  it('prints a readable table with a summary without --json', async () => {
    const { code, stdout } = await randnoter('anchor', PACKET_V2, '--annotations', file);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^id\s+status\s+page\s+item\s+attachment\s+offsets$/m);
    expect(stdout).toMatch(/urn:randnoter:annotation:q13\s+anchored\s+33\s+Punkt 6\s+–/);
    expect(stdout.trim().split('\n').at(-1)).toMatch(/^\d+ anchored, \d+ fuzzy, \d+ orphaned$/);
  });
});

describe('randnoter anchor with page and region notes', () => {
  let scanned: ScannedPackets;
  let v1: ReadPacket;
  beforeAll(async () => {
    scanned = await writeScannedPackets();
    v1 = await readPacketBytes(new Uint8Array(readFileSync(join(scanned.dir, 'packet.pdf'))));
  });
  afterAll(async () => {
    await v1?.pdf.loadingTask.destroy();
    scanned?.remove();
  });

  const pageNote = (id: string, page: number, extra: Record<string, unknown> = {}) => ({
    '@context': 'http://www.w3.org/ns/anno.jsonld',
    id: `urn:randnoter:annotation:${id}`,
    type: 'Annotation',
    bodyValue: `Note on page ${page}`,
    target: {
      source: fingerprintUrn(v1.fingerprint),
      selector: [{ type: 'FragmentSelector', conformsTo: 'http://tools.ietf.org/rfc/rfc3778', value: `page=${page}` }],
    },
    ...extra,
  });

  it('finds a text page by its words in the republished packet, orphans a scan it cannot render, and keeps older notes by number', async () => {
    const identity = identifyPage({ text: textPrintsOf(v1.text) }, 37);
    expect(identity?.text).toBeDefined();
    const notes = write('page-notes.json', [
      pageNote('text-page', 37, { 'randnoter:pageIdentity': identity }),
      // A region note on a scan, as the browser writes it: its page is known by its image alone.
      pageNote('scan', SCANS.v1[1].page, { 'randnoter:pageIdentity': { image: { hash: '010c6703070f0320', nearest: 17 } } }),
      pageNote('before-identities', 37),
    ]);
    const inV2 = JSON.parse((await randnoter('anchor', join(scanned.dir, 'packet.v2.pdf'), '--annotations', notes, '--json')).stdout);
    expect(inV2.map((r: { status: string; page: number | null }) => [r.status, r.page])).toEqual([
      ['anchored', 38],
      ['orphaned', null],
      ['anchored', 37],
    ]);
    // In the version the notes were made on, they stay on their pages.
    const inV1 = JSON.parse((await randnoter('anchor', join(scanned.dir, 'packet.pdf'), '--annotations', notes, '--json')).stdout);
    expect(inV1.map((r: { page: number | null }) => r.page)).toEqual([37, 39, 37]);
  });
});

describe('bad input to the packet commands', () => {
  const damaged = write('damaged.pdf', readFileSync(PACKET_V1).subarray(0, 3000));
  const notPdf = write('not.pdf', 'just some text');
  const good = write('good.json', annotations.slice(0, 1));
  const badJson = write('bad.json', '[{"id": ');
  const notAnnotations = write('wrong.json', { hello: 'world' });

  it.each([
    ['a missing file', ['agenda', join(dir, 'missing.pdf'), '--json'], /missing\.pdf: no such file/],
    ['a file that is not a PDF', ['agenda', notPdf, '--json'], /not a PDF file/],
    ['an encrypted PDF', ['agenda', ENCRYPTED, '--json'], /encrypted/],
    ['a damaged PDF', ['anchor', damaged, '--annotations', good, '--json'], /damaged or unreadable/],
    ['no packet at all', ['agenda'], /needs a packet PDF/],
    ['anchor without --annotations', ['anchor', PACKET_V1], /needs --annotations/],
    ['a missing annotations file', ['anchor', PACKET_V1, '--annotations', join(dir, 'none.json')], /none\.json: no such file/],
    ['annotations that are not JSON', ['anchor', PACKET_V1, '--annotations', badJson, '--json'], /bad\.json: not valid JSON/],
    ['JSON that is not annotations', ['anchor', PACKET_V1, '--annotations', notAnnotations], /expected a W3C annotation/],
  ])('refuses %s with one line on stderr and exit code 2', async (_what, args, message) => {
    const { code, stdout, stderr } = await randnoter(...args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('randnoter agenda and anchor on packets in other conventions', () => {
  let corpus: Corpus;
  beforeAll(async () => {
    corpus = await loadCorpus(PACKET_V1);
  });

  /** A generated packet written to a file, with a note's quote on the first text page of its `item`-th item's first attachment. */
  async function packetWithNote(style: string, seed: number, item: number) {
    const generated = await generatePacket(styleNamed(style), seed, corpus);
    const file = write(`${style}-${seed}.pdf`, generated.bytes);
    const read = await readPacketBytes(generated.bytes);
    try {
      const target = generated.truth.items[item] as AgendaItem;
      const attachment = target.attachments[0] as AgendaAttachment;
      const { page, quote } = uniqueQuote(read.text, attachment.firstPage, attachment.lastPage);
      const note = {
        '@context': 'http://www.w3.org/ns/anno.jsonld',
        id: 'urn:randnoter:annotation:n1',
        type: 'Annotation',
        bodyValue: 'Hvad koster det?',
        target: {
          source: `urn:x-pdf:${read.fingerprint}`,
          selector: [
            { type: 'TextQuoteSelector', exact: quote, prefix: '', suffix: '' },
            { type: 'FragmentSelector', conformsTo: 'http://tools.ietf.org/rfc/rfc3778', value: `page=${page}` },
          ],
        },
      };
      return { file, generated, annotations: write(`${style}-${seed}.json`, [note]), page, item: target, attachment };
    } finally {
      await read.pdf.loadingTask.destroy();
    }
  }

  it('prints the packet\'s own labels ("Sag N", "Bilag N.M") in the JSON and the table, and anchors a note under them', async () => {
    const { file, generated, annotations, page, item, attachment } = await packetWithNote('issue-26', 26, 1);
    const json = await randnoter('agenda', file, '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(generated.truth);
    const table = await randnoter('agenda', file);
    expect(table.stdout).toContain(`${item.label}: ${item.title}  (pages ${item.firstPage}–${item.lastPage})`);
    expect(table.stdout).toContain(`    ${attachment.label}: ${attachment.title}`);
    expect(table.stdout).not.toContain('guessed');
    const anchored = JSON.parse((await randnoter('anchor', file, '--annotations', annotations, '--json')).stdout);
    expect(anchored[0]).toMatchObject({
      status: 'anchored',
      page,
      agendaItem: { number: item.number, title: item.title, label: item.label },
      attachment: { number: attachment.number, title: attachment.title, label: attachment.label },
    });
    expect((await randnoter('anchor', file, '--annotations', annotations)).stdout).toMatch(
      new RegExp(`n1\\s+anchored\\s+${page}\\s+${item.label}\\s+${(attachment.label as string).replace('.', '\\.')}`),
    );
  });

  it('says when the agenda is only guessed, and why, and places notes by page alone', async () => {
    const { file, annotations, page } = await packetWithNote('bare-numbers', 2, 0);
    const table = await randnoter('agenda', file);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/confidence 0\.\d+ \(guessed: notes are grouped by page\)/);
    expect(table.stdout).toContain('the items are bare numbers, and no contents page or outline confirms them');
    expect(JSON.parse((await randnoter('agenda', file, '--json')).stdout).confidence).toBeLessThan(0.7);
    const anchored = JSON.parse((await randnoter('anchor', file, '--annotations', annotations, '--json')).stdout);
    expect(anchored[0]).toMatchObject({ status: 'anchored', page, agendaItem: null, attachment: null });
  });
});
