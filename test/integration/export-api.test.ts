/**
 * GET /api/packets/:packetId/export: the Overblik from the server, for the caller's own notes and
 * the shared comments of groups the caller belongs to. Another user's private notes cannot be
 * exported by any parameter, and a group's comments are invisible (404) to non-members.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectionViolations } from '@randnoter/shared/export/testing/w3c-constraints';
import type { AnnotationDraft } from '@randnoter/shared/model/annotation';
import { insertAnnotation, liveAnnotations } from '@randnoter/shared/model/annotation-doc';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, commentDraft } from '../support/api.ts';
import { needsTest } from '../support/needs.ts';
import { readStoredDoc } from '../support/stored-doc.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';
import { waitFor } from '../support/wait-for.ts';
import { connectSynced } from '../support/yjs-clients.ts';

const SECRET = 'Annes hemmelige note om budgettet';
const OUTLINE = {
  pages: 12,
  items: [
    { number: 1, title: 'Godkendelse af dagsorden', firstPage: 2, lastPage: 2, attachments: [] },
    {
      number: 2,
      title: 'Budget 2024',
      firstPage: 3,
      lastPage: 8,
      attachments: [{ number: 1, title: 'Økonomisk notat', firstPage: 6, lastPage: 8 }],
    },
    { number: 3, title: 'Eventuelt', firstPage: 9, lastPage: 12, attachments: [] },
  ],
};

const note = (id: string, body: string, page: number): AnnotationDraft => ({
  id,
  kind: 'note',
  body,
  replyTo: null,
  color: null,
  tags: [],
  target: { page, selectors: onText(5400) },
});

/** What the extension stores for a note on text: the quote and its place in the packet's text. */
function onText(start: number) {
  return [
    { type: 'TextQuoteSelector' as const, exact: 'udgifterne stiger', prefix: 'I 2024 ', suffix: ' med 3 %' },
    { type: 'TextPositionSelector' as const, start, end: start + 17 },
  ];
}

const pdftotext = (file: string) =>
  new Promise<string>((done, fail) =>
    execFile('pdftotext', ['-enc', 'UTF-8', file, '-'], (error, stdout) => (error ? fail(error) : done(stdout.replace(/\s+/g, ' ')))),
  );

describe('the server export endpoint', () => {
  let server: TestServer;
  let anne: { id: string; name: string; token: string };
  let bo: { id: string; name: string; token: string };
  let carl: { id: string; name: string; token: string };
  let packetId: string;
  const dir = mkdtempSync(join(tmpdir(), 'randnoter-export-api-'));

  const exportAs = (token: string, query: string) =>
    fetch(`${server.url}/api/packets/${packetId}/export?${query}`, { headers: { authorization: `Bearer ${token}` } });

  /** An export's text, whatever the format: DOCX unzipped, PDF through poppler. */
  async function textOf(response: Response, format: string): Promise<string> {
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (format === 'docx') return strFromU8(unzipSync(bytes)['word/document.xml'] as Uint8Array);
    if (format === 'overview-pdf') {
      const file = join(dir, `${Math.random().toString(36).slice(2)}.pdf`);
      writeFileSync(file, bytes);
      return pdftotext(file);
    }
    return new TextDecoder().decode(bytes);
  }

  beforeAll(async () => {
    server = await startTestServer();
    await server.addGroup('udvalg', 'Socialudvalget');
    anne = await server.addUser('Anne Jensen', 'udvalg');
    bo = await server.addUser('Bo Hansen', 'udvalg');
    carl = await server.addUser('Carl Berg', 'andet');
    const registered = await api<{ packetId: string }>(server.url, anne.token, 'POST', '/api/packets', {
      fingerprint: '0107072ea1c8978fd782eb8c0fbdcc1e',
      title: 'Byrådets dagsorden',
      meetingDate: '2023-01-23',
      outline: OUTLINE,
    });
    packetId = registered.body.packetId;

    const notes = await connectSynced(server.wsUrl, `notes/${packetId}`, anne.token);
    insertAnnotation(notes.doc, note('n1', SECRET, 7), { id: anne.id, name: anne.name }, '2023-01-20T10:00:00Z');
    const path = `/api/groups/udvalg/packets/${packetId}/annotations`;
    await waitFor(async () => liveAnnotations(await readStoredDoc(server.database, `notes/${anne.id}/${packetId}`)).length === 1, {
      what: 'stored note',
    });
    notes.destroy();
    expect(
      (
        await api(
          server.url,
          anne.token,
          'POST',
          path,
          commentDraft('c1', 'Hvad koster det i 2025?', { target: { page: 3, selectors: onText(2100) } }),
        )
      ).status,
    ).toBe(201);
    const reply = { id: 'r1', kind: 'reply', body: 'Det står på side 7.', replyTo: 'c1', target: { page: 3 } };
    expect((await api(server.url, bo.token, 'POST', path, reply)).status).toBe(201);
  });

  afterAll(async () => {
    await server?.close();
  });

  it('exports the caller’s notes and the group’s comments as the Overblik, grouped per agenda item', async () => {
    const response = await exportAs(anne.token, 'format=md');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    // Named as the extension names it: meeting date, committee (the group), title; Danish letters kept.
    const disposition = response.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(/^attachment; filename="Overblik - 2023-01-23 - Socialudvalget - Byraadets dagsorden\.md"; filename\*=/);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1] ?? '')).toBe(
      'Overblik - 2023-01-23 - Socialudvalget - Byrådets dagsorden.md',
    );
    const md = await response.text();
    const headings = md.split('\n').filter((l) => l.startsWith('#'));
    expect(headings.slice(1)).toEqual([
      '## Overblik: Noter',
      '### Punkt 2: Budget 2024',
      '#### Bilag 1: Økonomisk notat',
      '## Overblik: Delte kommentarer',
      '### Punkt 2: Budget 2024',
    ]);
    expect(md).toContain(SECRET);
    expect(md).toContain('Hvad koster det i 2025?');
    expect(md).toContain('Det står på side 7.');
  });

  it('lists every agenda item with items=all, and speaks English with lang=en, the items named as the viewer names them', async () => {
    const md = await (await exportAs(anne.token, 'format=md&items=all&lang=en')).text();
    // The outline has no labels of its own (stored before labels): the viewer's "Punkt"/"Bilag", in English too.
    expect(md.match(/^### Punkt \d+:/gm)).toHaveLength(OUTLINE.items.length * 2);
    expect(md).toContain('#### Bilag 1: Økonomisk notat');
    expect(md).toContain('## Overview: Notes');
  });

  const leakCheck = (format: string) => async () => {
    const response = await exportAs(bo.token, `format=${format}`);
    expect(response.status).toBe(200);
    const text = await textOf(response, format);
    expect(text).toContain('Hvad koster det i 2025?');
    expect(text).not.toContain('hemmelige');
    // The same export by Anne has it: the check above would catch a leak.
    expect(await textOf(await exportAs(anne.token, `format=${format}`), format)).toContain('hemmelige');
  };
  const leakTitle = 'never gives another group member the author’s private notes (%s), only the shared comments';
  it.each(['md', 'html', 'csv', 'jsonld', 'docx'])(leakTitle, (format) => leakCheck(format)());
  // The overview PDF is read back through poppler.
  needsTest('poppler').each(['overview-pdf'])(leakTitle, (format) => leakCheck(format)());

  it('has no parameter that names another user, and no path that reaches another user’s room', async () => {
    for (const query of [`format=md&user=${anne.id}`, `format=md&userId=${anne.id}&owner=${anne.id}`]) {
      const md = await (await exportAs(bo.token, query)).text();
      expect(md).not.toContain(SECRET);
    }
    for (const path of [`notes%2F${anne.id}%2F${packetId}`, `..%2Fnotes%2F${anne.id}`, `${anne.id}/${packetId}`]) {
      const response = await fetch(`${server.url}/api/packets/${path}/export?format=md`, {
        headers: { authorization: `Bearer ${bo.token}` },
      });
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain(SECRET);
    }
  });

  it('answers a non-member exactly as a group that does not exist', async () => {
    const stranger = await exportAs(carl.token, 'format=md&group=udvalg');
    const unknown = await exportAs(carl.token, 'format=md&group=findes-ikke');
    expect(stranger.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(await stranger.text()).toBe(await unknown.text());
    // Without a group, a stranger's export has only the groups the stranger is in.
    const own = await (await exportAs(carl.token, 'format=md')).text();
    expect(own).not.toContain('Hvad koster det i 2025?');
    expect(own).not.toContain(SECRET);
    // Membership is checked before the format, so a 400 reveals nothing either.
    expect((await exportAs(carl.token, 'format=rtf&group=udvalg')).status).toBe(404);
  });

  it('serves HTML that the browser may not run anything in', async () => {
    const response = await exportAs(anne.token, 'format=html');
    expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'unsafe-inline'(;|$)/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toMatch(/^<!doctype html>/);
  });

  it('writes W3C JSON-LD that satisfies the model’s MUST constraints', async () => {
    const collection = await (await exportAs(anne.token, 'format=jsonld')).json();
    expect(collectionViolations(collection)).toEqual([]);
    expect(collection.total).toBe(3);
  });

  it('refuses the annotated packet (the server has no PDF), unknown formats and missing tokens', async () => {
    const pdf = await exportAs(anne.token, 'format=pdf');
    expect(pdf.status).toBe(400);
    expect((await pdf.json()).error).toMatch(/needs the PDF/);
    expect((await exportAs(anne.token, 'format=rtf')).status).toBe(400);
    expect((await exportAs(anne.token, 'format=md&lang=de')).status).toBe(400);
    expect((await fetch(`${server.url}/api/packets/${packetId}/export?format=md`)).status).toBe(401);
  });
});
