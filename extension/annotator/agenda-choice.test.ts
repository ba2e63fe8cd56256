import { clearCorrection, writeCorrection } from '@randnoter/shared/agenda/agenda-doc';
import type { ChosenAgenda } from '@randnoter/shared/agenda/choose-outline';
import type { AgendaCorrection } from '@randnoter/shared/agenda/correction';
import { insertAnnotation } from '@randnoter/shared/model/annotation-doc';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { messages } from '../i18n/messages.ts';
import { openAgendaCorrections } from '../sync/agenda-corrections.ts';
import { sourceNote, trackAgenda } from './agenda-choice.ts';

const VERSION = `urn:x-pdf:${'ab'.repeat(16)}`;
const detected = {
  pages: 10,
  confidence: 0.6,
  items: [{ number: 1, label: '1)', title: 'Gættet', firstPage: 1, lastPage: 10, attachments: [] }],
};
const correction = (title: string): AgendaCorrection => ({
  version: VERSION,
  pages: 10,
  items: [
    { number: 1, label: 'Sag 1', title, firstPage: 1, attachments: [] },
    { number: 2, label: 'Sag 2', title: 'Eventuelt', firstPage: 6, attachments: [] },
  ],
});
const anne = { id: 'u-anne', name: 'Anne Jensen' };

function setUp() {
  const notes = new Y.Doc();
  const rooms = [
    { groupId: 'andet', doc: new Y.Doc() },
    { groupId: 'udvalg', doc: new Y.Doc() },
  ];
  const corrections = openAgendaCorrections({
    notes,
    rooms,
    identity: { serverUrl: 'http://127.0.0.1:1', token: 't' },
    packetId: 'p1',
    me: anne,
  });
  // The user's default group first.
  const agenda = trackAgenda({ detected, version: VERSION, pages: 10, corrections, fromPage: null, groupOrder: ['udvalg', 'andet'] });
  const seen: ChosenAgenda[] = [];
  agenda.events.on('change', (chosen) => seen.push(chosen));
  return { notes, rooms, corrections, agenda, seen };
}

const titles = (chosen: ChosenAgenda | undefined) => chosen?.outline.items.map((i) => i.title);

describe('the agenda the viewer shows', () => {
  it('follows corrections as they arrive: a group’s, the default group’s before another, then the user’s own', () => {
    const { notes, rooms, agenda, seen } = setUp();
    expect(agenda.current().source.kind).toBe('detected');
    // From the server (another group's room): shown at once.
    writeCorrection(rooms[0]?.doc as Y.Doc, correction('Andet'), { id: 'u-bo', name: 'Bo Hansen' }, '2026-03-10T09:00:00.000Z');
    expect([seen.length, titles(seen.at(-1))]).toEqual([1, ['Andet', 'Eventuelt']]);
    // The default group's comes first.
    writeCorrection(rooms[1]?.doc as Y.Doc, correction('Udvalg'), { id: 'u-bo', name: 'Bo Hansen' }, '2026-03-10T09:05:00.000Z');
    expect(titles(seen.at(-1))).toEqual(['Udvalg', 'Eventuelt']);
    expect(seen.at(-1)?.source).toMatchObject({ kind: 'group', groupId: 'udvalg', by: { name: 'Bo Hansen' } });
    // The user's own, from this device or another (the notes room syncs), comes before both.
    writeCorrection(notes, correction('Min'), anne, '2026-03-10T09:10:00.000Z');
    expect(seen.at(-1)?.source.kind).toBe('own');
    // A note written changes nothing shown: no redraw of the agenda.
    const count = seen.length;
    insertAnnotation(
      notes,
      { id: 'n1', kind: 'note', body: 'x', replyTo: null, color: null, tags: [], target: { page: 2 } },
      anne,
      '2026-03-10T09:11:00.000Z',
    );
    expect(seen.length).toBe(count);
    // Removed: back to the group's.
    clearCorrection(notes);
    expect(titles(seen.at(-1))).toEqual(['Udvalg', 'Eventuelt']);
  });

  it('passes over a correction made on another version of the packet', () => {
    const { notes, agenda } = setUp();
    writeCorrection(notes, { ...correction('Gammel'), version: `urn:x-pdf:${'cd'.repeat(16)}` }, anne, '2026-03-10T09:00:00.000Z');
    expect(agenda.current().source.kind).toBe('detected');
  });

  it('says whose correction is shown', () => {
    const t = messages('da');
    const names = new Map([['udvalg', 'Socialudvalget']]);
    expect(sourceNote(t, { kind: 'own', at: '' }, names, 'da')).toBe('Du har rettet indholdet.');
    expect(
      sourceNote(t, { kind: 'group', groupId: 'udvalg', by: { id: 'u', name: 'Bo Hansen' }, at: '2026-03-10T09:05:00.000Z' }, names, 'da'),
    ).toMatch(/^Rettet af Bo Hansen \(Socialudvalget\), 10\.03\.2026/);
    expect(sourceNote(t, { kind: 'page', pageUrl: 'https://x' }, names, 'da')).toBe('Indholdet er hentet fra dagsordenssiden.');
    expect(sourceNote(t, { kind: 'detected' }, names, 'da')).toBeNull();
  });
});
