import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { contentHash } from '@randnoter/shared/identity/packet-identity';
import { pageAtOffset } from '@randnoter/shared/text/page-text';
import { describe, expect, it } from 'vitest';
import { PacketReadError, readPacketFile } from './read-packet.ts';

const FIXTURE = resolve(import.meta.dirname, '../../../test/fixtures/packets/rdm-2023-01');
const truth = JSON.parse(readFileSync(join(FIXTURE, 'truth.json'), 'utf8')) as {
  quotes: Array<{ id: string; text: string; page: number }>;
  packet: { sha256: string };
};

describe('reading a packet in Node', () => {
  it('finds every fixture quote exactly once, on its page', async () => {
    const packet = await readPacketFile(join(FIXTURE, 'packet.pdf'));
    expect(packet.pageCount).toBe(46);
    expect(packet.fingerprint).toBe('0107072ea1c8978fd782eb8c0fbdcc1e');
    for (const quote of truth.quotes) {
      const at = packet.text.text.indexOf(quote.text);
      expect(at, quote.id).toBeGreaterThanOrEqual(0);
      expect(packet.text.text.indexOf(quote.text, at + 1), `${quote.id} is unique`).toBe(-1);
      expect(pageAtOffset(packet.text, at), quote.id).toBe(quote.page);
    }
    expect(packet.outline[0]).toEqual({ title: 'Punkt 1: Dagsorden', page: 2, children: [] });
    expect(packet.sha256).toBe(truth.packet.sha256);
    expect(await contentHash(packet.bytes)).toBe(truth.packet.sha256);
    await packet.pdf.loadingTask.destroy();
  });

  it('says in one line what is wrong with a file that is not a usable PDF', async () => {
    const dir = tmpdir();
    const notPdf = join(dir, 'randnoter-not.pdf');
    writeFileSync(notPdf, 'hello');
    const damaged = join(dir, 'randnoter-damaged.pdf');
    writeFileSync(damaged, readFileSync(join(FIXTURE, 'packet.pdf')).subarray(0, 2000));
    await expect(readPacketFile(join(dir, 'missing.pdf'))).rejects.toThrow(/no such file/);
    await expect(readPacketFile(notPdf)).rejects.toThrow(/not a PDF file/);
    await expect(readPacketFile(damaged)).rejects.toBeInstanceOf(PacketReadError);
  });
});
