import { describe, expect, it } from 'vitest';
import { parseStorageName, parseSyncPath, providerRoomName, storageName, syncPath } from './rooms.ts';

describe('room names', () => {
  it('parses the two room kinds', () => {
    expect(parseSyncPath('/sync/notes/fp-0107')).toEqual({ kind: 'notes', packetId: 'fp-0107' });
    expect(parseSyncPath('/sync/shared/socialudvalget/fp-0107')).toEqual({
      kind: 'shared',
      groupId: 'socialudvalget',
      packetId: 'fp-0107',
    });
  });

  it.each([
    '/sync/notes/',
    '/sync/notes/a/b',
    '/sync/notes/..%2Fu2%2Fp',
    '/sync/notes/%2e%2e',
    '/sync/notes/u2/p',
    '/sync/notes/a%00',
    '/sync/notes/pakke æ',
    '/sync//notes/p',
    '/sync/shared/g',
    '/sync/shared/g/p/x',
    '/sync/other/p',
    '/notes/p',
    `/sync/notes/${'a'.repeat(129)}`,
  ])('names no room for %s', (path) => {
    expect(parseSyncPath(path)).toBeNull();
  });

  it("parses a closed item's room, whose item number has one spelling only", () => {
    const ref = { kind: 'closed', groupId: 'g', packetId: 'p', itemNumber: 12 } as const;
    expect(parseSyncPath('/sync/closed/g/p/12')).toEqual(ref);
    expect(parseSyncPath(syncPath(ref))).toEqual(ref);
    expect(providerRoomName(ref)).toBe('closed/g/p/12');
    expect(parseStorageName(storageName(ref, 'u-1'))).toEqual(ref);
    for (const path of ['/sync/closed/g/p', '/sync/closed/g/p/012', '/sync/closed/g/p/-1', '/sync/closed/g/p/1.5', '/sync/closed/g/p/1/x'])
      expect(parseSyncPath(path)).toBeNull();
    for (const name of ['closed/g/p', 'closed/g/p/01', 'closed/g/../1', 'closed/g/p/1234567']) expect(parseStorageName(name)).toBeNull();
  });

  it('derives the stored name of a private room from the user, not from the path', () => {
    const ref = parseSyncPath('/sync/notes/p1');
    expect(ref && storageName(ref, 'userA')).toBe('notes/userA/p1');
    expect(ref && storageName(ref, 'userB')).toBe('notes/userB/p1');
  });

  it('round-trips paths and y-websocket room names', () => {
    const ref = { kind: 'shared', groupId: 'g', packetId: 'p' } as const;
    expect(parseSyncPath(syncPath(ref))).toEqual(ref);
    expect(providerRoomName(ref)).toBe('shared/g/p');
  });
});

describe('parseStorageName', () => {
  it('reads back what storageName wrote, for both kinds of room', () => {
    expect(parseStorageName(storageName({ kind: 'notes', packetId: 'p1' }, 'u-1'))).toEqual({
      kind: 'notes',
      userId: 'u-1',
      packetId: 'p1',
    });
    expect(parseStorageName(storageName({ kind: 'shared', groupId: 'g', packetId: 'p1' }, 'u-1'))).toEqual({
      kind: 'shared',
      groupId: 'g',
      packetId: 'p1',
    });
  });

  it('names no room for anything else', () => {
    for (const name of ['notes/u', 'shared/g/p/x', 'other/g/p', 'shared/../p', 'notes/u/p%2F', ''])
      expect(parseStorageName(name)).toBeNull();
  });
});
