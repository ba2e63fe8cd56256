// @vitest-environment happy-dom
import type { ItemGroup } from '@randnoter/shared/agenda/group-by-item';
import type { Annotation } from '@randnoter/shared/model/annotation';
import { describe, expect, it } from 'vitest';
import { messages } from '../i18n/messages.ts';
import type { Card } from './card.ts';
import { createOverview } from './overview.ts';

const handlers = { select() {}, edit() {}, remove() {}, reply() {}, resolve() {}, reattach() {}, keep() {}, question() {}, colour() {} };

const comment = (body: string, mentions: Card['mentions'], myId: string): Card => ({
  annotation: {
    id: 'c1',
    kind: 'comment',
    body,
    replyTo: null,
    target: { page: 2, packetVersion: 'urn:x-pdf:0123456789abcdef0123456789abcdef' },
    color: null,
    tags: [],
    resolved: false,
    deleted: false,
    author: { id: 'u-anne', name: 'Anne Jensen' },
    created: '2026-12-07T10:00:00.000Z',
    modified: '2026-12-07T10:00:00.000Z',
    mentions: mentions.map((m) => m.id),
  } satisfies Annotation,
  status: 'anchored',
  page: 2,
  groupName: 'Socialudvalget',
  pending: false,
  mine: false,
  mentions,
  mentionsMe: mentions.some((m) => m.id === myId),
  replies: [],
});

describe('mentions on a card', () => {
  const draw = (card: Card, myId: string) => {
    const root = document.createElement('aside');
    document.body.replaceChildren(root);
    const overview = createOverview(root, messages('da'), handlers, { language: 'da', pageLabel: (p) => `side ${p}`, myId, inbox: true });
    const group: ItemGroup<Card> = { item: null, page: null, entries: [{ value: card, page: 2, offset: 0 }], attachments: [] };
    overview.render({ notes: [], shared: [group] }, []);
    return root.querySelector('.rn-card') as HTMLElement;
  };

  it("highlights the reader's own name and names the others plainly, as text even when a name looks like HTML", () => {
    const evil = { id: 'u-evil', name: '<img src=x onerror=alert(1)>' };
    const bo = { id: 'u-bo', name: 'Bo Hansen' };
    const card = draw(comment('Spørg @Bo Hansen og @<img src=x onerror=alert(1)> <b>nu</b>', [bo, evil], 'u-bo'), 'u-bo');
    const body = card.querySelector('.rn-body') as HTMLElement;
    expect(body.textContent).toBe('Spørg @Bo Hansen og @<img src=x onerror=alert(1)> <b>nu</b>');
    expect(body.querySelector('img, b')).toBeNull();
    expect(body.querySelector('mark.rn-mention-me')?.textContent).toBe('@Bo Hansen');
    expect([...body.querySelectorAll('.rn-mention:not(mark)')].map((e) => e.textContent)).toEqual(['@<img src=x onerror=alert(1)>']);
    expect(card.getAttribute('aria-label')).toMatch(/nævner dig$/);
  });

  it('highlights nothing for someone else, and a third tab "Til mig" follows the others', () => {
    const card = draw(comment('Spørg @Bo Hansen', [{ id: 'u-bo', name: 'Bo Hansen' }], 'u-carl'), 'u-carl');
    expect(card.querySelector('mark')).toBeNull();
    expect(card.querySelector('.rn-mention')?.textContent).toBe('@Bo Hansen');
    expect([...document.querySelectorAll('[role="tab"]')].map((t) => t.textContent)).toEqual(['Noter', 'Delte kommentarer', 'Til mig']);
  });
});

describe('a focused card drawn anew', () => {
  it('keeps the keyboard focus when what it shows changes (here: the name of the person it mentions arrives)', () => {
    const root = document.createElement('aside');
    document.body.replaceChildren(root);
    const overview = createOverview(root, messages('da'), handlers, { language: 'da', pageLabel: (p) => `side ${p}`, myId: 'u-bo' });
    const draw = (card: Card) => {
      const group: ItemGroup<Card> = { item: null, page: null, entries: [{ value: card, page: 2, offset: 0 }], attachments: [] };
      overview.render({ notes: [], shared: [group] }, []);
    };
    draw(comment('Spørg @Bo Hansen', [], 'u-bo'));
    overview.focusCard('c1', true);
    const before = document.activeElement;
    expect((before as HTMLElement).dataset.annotationId).toBe('c1');
    draw(comment('Spørg @Bo Hansen', [{ id: 'u-bo', name: 'Bo Hansen' }], 'u-bo'));
    expect(document.activeElement).not.toBe(before);
    expect((document.activeElement as HTMLElement).dataset.annotationId).toBe('c1');
    expect(document.activeElement?.querySelector('mark')?.textContent).toBe('@Bo Hansen');
  });
});
