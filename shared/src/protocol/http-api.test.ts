import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { AnnotationLimits } from '../model/annotation.ts';
import { parseWith } from '../model/validation.ts';
import {
  BODY_SUBJECT,
  CreateAnnotationBody,
  EditAnnotationBody,
  ExportQuery,
  HttpApi,
  pathOf,
  type RouteName,
  ShareAgendaBody,
} from './http-api.ts';
import { PacketRegistrationSchema, RegistrationLimits } from './packet-registration.ts';

/** What the server answers a body: the value its route gets, or the one line of the 400. */
const check = (schema: v.GenericSchema, body: unknown) => parseWith(schema, body, BODY_SUBJECT);
const refusal = (schema: v.GenericSchema, body: unknown) => {
  const result = check(schema, body);
  return result.ok ? null : result.error;
};

const comment = { id: 'a1', kind: 'comment', body: 'Hvad koster det?', target: { page: 3 } };

describe('POST …/annotations (a new shared comment)', () => {
  it('takes a minimal comment, fills in what a client may leave out, and drops author and times', () => {
    const result = check(CreateAnnotationBody, { ...comment, author: { id: 'someone-else', name: 'Forged' }, created: '1999-01-01' });
    expect(result).toEqual({
      ok: true,
      value: { id: 'a1', kind: 'comment', body: 'Hvad koster det?', replyTo: null, target: { page: 3 }, color: null, tags: [] },
    });
    expect(check(CreateAnnotationBody, { ...comment, kind: 'reply', replyTo: 'c0', color: '#a1B2c3', tags: ['budget'] })).toMatchObject({
      ok: true,
      value: { kind: 'reply', replyTo: 'c0', color: '#a1B2c3', tags: ['budget'] },
    });
  });

  it('takes whom a comment mentions, each once', () => {
    expect(check(CreateAnnotationBody, { ...comment, mentions: ['u1', 'u2', 'u1'] })).toMatchObject({
      ok: true,
      value: { mentions: ['u1', 'u2'] },
    });
  });

  it.each([
    ['not an object', 'the request body must be a JSON object'],
    [[comment], 'the request body must be a JSON object'],
    [{ ...comment, id: undefined }, 'id must match [A-Za-z0-9_-]{1,128}'],
    [{ ...comment, id: '../x' }, 'id must match'],
    [{ ...comment, id: 'x'.repeat(129) }, 'id must match'],
    [{ ...comment, kind: 'note' }, 'kind must be comment or reply: private notes live in the notes room'],
    [{ ...comment, kind: 'admin' }, 'kind must be comment or reply'],
    [{ ...comment, body: 'x'.repeat(AnnotationLimits.bodyMaxChars + 1) }, 'body exceeds 10000 characters'],
    [{ ...comment, body: 42 }, 'body must be text'],
    [{ ...comment, kind: 'reply' }, 'replyTo must be the id of the annotation a reply answers'],
    [{ ...comment, kind: 'reply', replyTo: 'has space' }, 'replyTo must match'],
    [{ ...comment, mentions: Array.from({ length: 26 }, (_, i) => `u${i}`) }, 'mentions must name at most 25 people'],
    [{ ...comment, mentions: ['u1', '../u2'] }, 'mentions[1] must be a user id'],
    [{ ...comment, mentions: 'u1' }, 'mentions must be a list of at most 25 user ids'],
    [{ ...comment, replyTo: 'a0' }, 'replyTo must be left out: only a reply may have replyTo'],
    [{ ...comment, target: undefined }, 'target must be an object'],
    [{ ...comment, target: { page: 0 } }, 'target.page must be a page number'],
    [
      { ...comment, target: { page: 1, selectors: Array(9).fill({ type: 'TextPositionSelector', start: 0, end: 1 }) } },
      'target.selectors must be an array of at most 8',
    ],
    [
      { ...comment, target: { page: 1, selectors: [{ type: 'TextQuoteSelector', exact: 'a', prefix: 'p'.repeat(33) }] } },
      'target.selectors[0].prefix must be text that does not exceed 32 characters',
    ],
    [{ ...comment, color: 'red; background: url(x)' }, 'color must look like #a1b2c3'],
    [{ ...comment, tags: ['ok', ''] }, 'tags[1] must be short non-empty text'],
    [{ ...comment, tags: Array(AnnotationLimits.tagsMax + 1).fill('t') }, 'tags must be an array of at most 20'],
  ])('refuses %j, naming the field', (body, reason) => {
    const error = refusal(CreateAnnotationBody, body);
    expect(error).toContain(reason);
    expect(error).not.toContain('\n');
  });
});

describe('PATCH …/annotations/:id (a change to a shared comment)', () => {
  it('takes any one of body, resolved and color, a colour taken away included, and drops the rest', () => {
    expect(check(EditAnnotationBody, { color: '#00ff00' })).toEqual({ ok: true, value: { color: '#00ff00' } });
    expect(check(EditAnnotationBody, { color: null })).toEqual({ ok: true, value: { color: null } });
    expect(check(EditAnnotationBody, { body: 'ny', resolved: true, author: { id: 'x' } })).toEqual({
      ok: true,
      value: { body: 'ny', resolved: true },
    });
  });

  it.each([
    [{}, 'the request body has nothing to change: send body, resolved, color or mentions'],
    [{ author: { id: 'x', name: 'y' } }, 'nothing to change'],
    [{ resolved: 'yes' }, 'resolved must be true or false'],
    [{ body: 'x'.repeat(AnnotationLimits.bodyMaxChars + 1) }, 'body exceeds'],
    [{ color: 'blue' }, 'color must look like'],
    [null, 'the request body must be a JSON object'],
  ])('refuses %j', (body, reason) => {
    expect(refusal(EditAnnotationBody, body)).toContain(reason);
  });
});

describe('POST /api/packets (a registration)', () => {
  const FINGERPRINT = 'ABCDEF0123456789ABCDEF0123456789';
  const item = (extra: Record<string, unknown> = {}) => ({ number: 1, title: 'Punkt', firstPage: 1, lastPage: 1, ...extra });

  it('fills in what is absent, lower-cases the fingerprint and keeps only the fields it names', () => {
    const body = JSON.parse(
      `{"fingerprint":"${FINGERPRINT}","__proto__":{"title":"AFLYST"},"outline":{"pages":3,"items":[{"number":1,"title":"Budget","firstPage":1,"lastPage":3,"constructor":{"prototype":{"x":1}}}]}}`,
    );
    const result = check(PacketRegistrationSchema, body);
    expect(result).toEqual({
      ok: true,
      value: {
        fingerprint: FINGERPRINT.toLowerCase(),
        url: null,
        contentHash: null,
        title: '',
        pageCount: null,
        meetingDate: null,
        outline: { pages: 3, confidence: 1, items: [{ number: 1, title: 'Budget', firstPage: 1, lastPage: 3, attachments: [] }] },
      },
    });
    expect(result.ok && Object.getPrototypeOf(result.value)).toBe(Object.prototype);
  });

  it.each([
    [{}, 'fingerprint must be the PDF fingerprint (hex)'],
    [{ fingerprint: 'not-hex' }, 'fingerprint must be'],
    [{ fingerprint: FINGERPRINT, url: 42 }, 'url must be text of at most 4096 characters'],
    [{ fingerprint: FINGERPRINT, url: 'u'.repeat(RegistrationLimits.urlMaxChars + 1) }, 'url must be text'],
    [{ fingerprint: FINGERPRINT, contentHash: 'abc' }, 'contentHash must be a sha256 in hex'],
    [{ fingerprint: FINGERPRINT, title: ['AFLYST'] }, 'title must be text of at most 1000 characters'],
    [{ fingerprint: FINGERPRINT, pageCount: 0 }, 'pageCount must be an integer from 1 to 100000'],
    [{ fingerprint: FINGERPRINT, pageCount: 1e12 }, 'pageCount'],
    [{ fingerprint: FINGERPRINT, meetingDate: '2023-13-45' }, 'meetingDate must be a date, YYYY-MM-DD'],
    [{ fingerprint: FINGERPRINT, outline: [1, 2, 3] }, 'outline must be an object {pages, items}'],
    [{ fingerprint: FINGERPRINT, outline: { items: [] } }, 'outline.pages must be a page count from 1 to 100000'],
    [{ fingerprint: FINGERPRINT, outline: { pages: 1, items: 'Punkt 1' } }, 'outline.items must be an array'],
    [{ fingerprint: FINGERPRINT, outline: { pages: 1, items: [[item()]] } }, 'outline.items[0] must be an object'],
    [{ fingerprint: FINGERPRINT, outline: { pages: 1, items: [item({ number: 1e300 })] } }, 'outline.items[0].number must be an integer'],
    [{ fingerprint: FINGERPRINT, outline: { pages: 1, items: [item({ firstPage: 3, lastPage: 2 })] } }, 'outline.items[0].lastPage'],
    [{ fingerprint: FINGERPRINT, outline: { pages: 1, items: [item({ label: '' })] } }, 'outline.items[0].label must be text of 1 to 64'],
    [
      { fingerprint: FINGERPRINT, outline: { pages: 1, items: [item({ attachments: [item({ title: 7 })] })] } },
      'outline.items[0].attachments[0].title must be text',
    ],
    [
      { fingerprint: FINGERPRINT, outline: { pages: 1, items: [item()], confidence: 1.5 } },
      'outline.confidence must be a number from 0 to 1',
    ],
    [
      { fingerprint: FINGERPRINT, outline: { pages: 1, items: Array.from({ length: RegistrationLimits.itemsMax + 1 }, () => item()) } },
      'outline.items must hold at most 1000 items',
    ],
    [
      {
        fingerprint: FINGERPRINT,
        outline: { pages: 1, items: Array.from({ length: 20 }, () => item({ attachments: Array.from({ length: 251 }, () => item()) })) },
      },
      'outline must hold at most 5000 attachments in all',
    ],
  ])('refuses %j, naming the field', (body, reason) => {
    expect(refusal(PacketRegistrationSchema, body)).toContain(reason);
  });

  it('takes exactly the most items and attachments it allows', () => {
    const items = Array.from({ length: 20 }, () => item({ attachments: Array.from({ length: 250 }, () => item()) }));
    expect(check(PacketRegistrationSchema, { fingerprint: FINGERPRINT, outline: { pages: 1, items } }).ok).toBe(true);
  });
});

describe('PUT …/agenda (a group’s agenda correction)', () => {
  const correction = () => ({
    version: `urn:x-pdf:${'ab'.repeat(16)}`,
    pages: 17,
    items: [
      {
        number: 1,
        label: '1)',
        title: 'Evaluering',
        firstPage: 1,
        attachments: [{ number: 1, label: 'Bilag 1', title: 'Notat', firstPage: 2 }],
      },
      { number: 2, label: '2)', title: 'Høring', firstPage: 11, attachments: [] },
    ],
  });

  it('takes a correction and drops who and when, which the server sets', () => {
    expect(check(ShareAgendaBody, { ...correction(), by: { id: 'u1', name: 'Anne' }, at: '2026-01-01' })).toEqual({
      ok: true,
      value: correction(),
    });
  });

  it.each([
    [JSON.parse('{"items":[],"__proto__":{"admin":true}}'), 'the request body has an unknown field "__proto__"'],
    [{ ...correction(), items: [{ ...correction().items[1], extra: 1 }] }, 'items[0] has an unknown field "extra"'],
    [{ ...correction(), items: [] }, 'items must name at least one item'],
    [{ ...correction(), pages: 0 }, 'pages must be a whole number from 1 to 100000'],
    [{ ...correction(), version: 'javascript:alert(1)' }, 'version must be urn:x-pdf: and the PDF'],
    [{ ...correction(), pages: 10 }, 'items[1].firstPage must be a page of the packet (1 to 10)'],
    [{ ...correction(), items: [correction().items[0], { ...correction().items[1], number: 1 }] }, 'items[1].number 1 is used twice'],
    [
      { ...correction(), items: [correction().items[0], { ...correction().items[1], firstPage: 1 }] },
      'items[1] must start after the item before it (page 1)',
    ],
  ])('refuses %j, naming the field', (body, reason) => {
    expect(refusal(ShareAgendaBody, body)).toContain(reason);
  });
});

describe('GET /api/packets/:packetId/export', () => {
  it('defaults to Markdown in Danish and refuses formats the server does not make, pdf with the reason', () => {
    expect(v.safeParse(ExportQuery, {}).output).toEqual({ format: 'md', lang: 'da' });
    expect(v.safeParse(ExportQuery, { format: 'csv', lang: 'en', group: ['a', 'b'], items: 'all' }).output).toEqual({
      format: 'csv',
      lang: 'en',
      group: ['a', 'b'],
      items: 'all',
    });
    expect(refusal(ExportQuery, { format: 'pdf' })).toMatch(/^format pdf, the annotated packet, needs the PDF/);
    expect(refusal(ExportQuery, { format: 'exe' })).toBe('format must be one of md, html, docx, csv, jsonld, overview-pdf');
    expect(refusal(ExportQuery, { format: ['md', 'html'] })).toBe('format must be one of md, html, docx, csv, jsonld, overview-pdf');
    expect(refusal(ExportQuery, { lang: 'de' })).toBe('lang must be da or en');
  });
});

describe('paths', () => {
  it('fills in every parameter, URI-encoded, so an id cannot reach another route', () => {
    expect(pathOf(HttpApi.editAnnotation.path, { groupId: 'udvalg', packetId: 'p 1', id: '../agenda' })).toBe(
      '/api/groups/udvalg/packets/p%201/annotations/..%2Fagenda',
    );
    expect(pathOf(HttpApi.me.path, {})).toBe('/api/me');
  });

  it('puts every route under /api, each method and path once', () => {
    const routes = Object.entries(HttpApi) as Array<[RouteName, { method: string; path: string }]>;
    expect(routes.every(([, r]) => r.path.startsWith('/api/'))).toBe(true);
    expect(new Set(routes.map(([, r]) => `${r.method} ${r.path}`)).size).toBe(routes.length);
  });
});
