import { describe, expect, it } from 'vitest';
import {
  agendaAlias,
  contentHash,
  contentHashAlias,
  fingerprintOfUrn,
  fingerprintUrn,
  packetAliases,
  provisionalPacketId,
  urlAlias,
} from './packet-identity.ts';

describe('packet identity', () => {
  it('names a PDF version by its fingerprint as urn:x-pdf, and reads it back', () => {
    expect(fingerprintUrn('0107072EA1C8978FD782EB8C0FBDCC1E')).toBe('urn:x-pdf:0107072ea1c8978fd782eb8c0fbdcc1e');
    expect(fingerprintOfUrn('urn:x-pdf:0107072ea1c8978fd782eb8c0fbdcc1e')).toBe('0107072ea1c8978fd782eb8c0fbdcc1e');
    expect(fingerprintOfUrn('urn:x-pdf:')).toBeNull();
    expect(fingerprintOfUrn('https://ex.dk/p.pdf')).toBeNull();
  });

  it('hashes content with SHA-256 in lower-case hex', async () => {
    expect(await contentHash(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(await contentHash(new Uint8Array())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('gives a different content hash for a file that differs by one byte', async () => {
    const a = new TextEncoder().encode('%PDF-1.7 packet');
    const b = a.slice();
    b[b.length - 1] = 0x54;
    expect(await contentHash(a)).not.toBe(await contentHash(b));
  });

  it('lists the aliases of an open packet: fingerprint, normalised URL and content hash', () => {
    const sha256 = 'AB'.repeat(32);
    expect(packetAliases({ fingerprint: 'ABC123', url: 'HTTPS://Ex.dk:443/p.pdf?utm_source=x#page=2', sha256 })).toEqual([
      'urn:x-pdf:abc123',
      urlAlias('https://ex.dk/p.pdf'),
      contentHashAlias(sha256),
    ]);
    expect(contentHashAlias(sha256)).toBe(`sha256:${'ab'.repeat(32)}`);
    expect(packetAliases({ fingerprint: 'abc123', url: 'blob:whatever' })).toEqual(['urn:x-pdf:abc123']);
  });

  it('makes a provisional packet id that is a valid room id', () => {
    expect(provisionalPacketId('0107072EA1C8978F')).toBe('fp-0107072ea1c8978f');
    expect(provisionalPacketId('!!!')).toBe('fp-');
    expect(provisionalPacketId('x'.repeat(300))).toHaveLength(128);
  });
});

describe('agenda alias', () => {
  const titles = ['Dagsorden', 'Referat', 'Frivilligpris'];
  it('names the same meeting by date and item titles, whatever the spacing and case', () => {
    expect(agendaAlias('2023-01-23', titles)).toBe(agendaAlias('2023-01-23', ['dagsorden', ' Referat ', 'FRIVILLIGPRIS']));
    expect(agendaAlias('2023-01-23', titles)).toMatch(/^agenda:2023-01-23:[0-9a-f]{16}$/);
  });
  it('tells other meetings and other agendas apart', () => {
    expect(agendaAlias('2023-02-20', titles)).not.toBe(agendaAlias('2023-01-23', titles));
    expect(agendaAlias('2023-01-23', [...titles, 'Eventuelt'])).not.toBe(agendaAlias('2023-01-23', titles));
  });
  it('gives no alias without a date or with fewer than two items', () => {
    expect(agendaAlias(null, titles)).toBeNull();
    expect(agendaAlias('2023-01-23', ['Eventuelt'])).toBeNull();
  });
});
