/**
 * What the page's world says through the probe's channel is the page's word: only well-formed
 * answers within the limits are taken, and a page that answers in the probe's place with
 * something else gets nothing through.
 */
import { describe, expect, it } from 'vitest';
import {
  PROBE_CHANNEL,
  readProbeInfo,
  readProbeMessage,
  readProbeOutline,
  readProbePageText,
  readProbeRotations,
} from './probe-messages.ts';

const info = {
  kind: 'application',
  fingerprint: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6',
  pages: 46,
  url: 'https://portal.example/p.pdf',
  title: 'Pakke',
};

describe('the probe channel', () => {
  it('takes the channel’s answers and events and nothing else', () => {
    expect(readProbeMessage({ channel: PROBE_CHANNEL, answer: 'x', value: 1 })).toEqual({ channel: PROBE_CHANNEL, answer: 'x', value: 1 });
    expect(readProbeMessage({ channel: PROBE_CHANNEL, event: 'text-layer', page: 3 })).toEqual({
      channel: PROBE_CHANNEL,
      event: 'text-layer',
      page: 3,
    });
    // A page number that is not one is dropped, the event kept.
    expect(readProbeMessage({ channel: PROBE_CHANNEL, event: 'layout', page: -1 })).toEqual({ channel: PROBE_CHANNEL, event: 'layout' });
    expect(readProbeMessage({ channel: PROBE_CHANNEL, event: 'rn:write' })).toBeNull();
    expect(readProbeMessage({ channel: 'other', answer: 'x' })).toBeNull();
    expect(readProbeMessage('randnoter-pdfjs-probe')).toBeNull();
  });

  it('reads a viewer’s description only when every field is what it must be', () => {
    expect(readProbeInfo(info)).toEqual(info);
    expect(readProbeInfo(null)).toBeNull();
    expect(readProbeInfo({ ...info, kind: 'anything' })).toBeNull();
    // A fingerprint names rooms: hexadecimal only, no path or markup.
    expect(readProbeInfo({ ...info, fingerprint: '../../notes/other' })).toBeNull();
    expect(readProbeInfo({ ...info, fingerprint: 'a'.repeat(129) })).toBeNull();
    expect(readProbeInfo({ ...info, pages: 0 })).toBeNull();
    expect(readProbeInfo({ ...info, pages: 1e9 })).toBeNull();
    expect(readProbeInfo({ ...info, title: 'x'.repeat(1001) })).toBeNull();
    expect(readProbeInfo({ ...info, url: 42 })).toBeNull();
  });

  it('reads a page’s text items, refusing a page that is not text or too big', () => {
    const item = { str: 'Punkt 1: Dagsorden', hasEOL: true, transform: [12, 0, 0, 12, 56, 780], height: 12 };
    expect(readProbePageText([item, { str: 'x', transform: 'no', height: Number.NaN }])).toEqual([
      item,
      { str: 'x', hasEOL: false, transform: [], height: 0 },
    ]);
    expect(readProbePageText('Punkt 1')).toBeNull();
    expect(readProbePageText([{ str: 7 }])).toBeNull();
    expect(readProbePageText([{ str: 'x'.repeat(20_001) }])).toBeNull();
    expect(readProbePageText(Array.from({ length: 50_001 }, () => ({ str: 'x' })))).toBeNull();
  });

  it('reads the pages’ own rotations as quarter turns, one per page, or none', () => {
    expect(readProbeRotations([0, 90, 180, 270], 4)).toEqual([0, 90, 180, 270]);
    expect(readProbeRotations([0, 90], 3)).toBeNull();
    expect(readProbeRotations([0, 45, 0], 3)).toBeNull();
    expect(readProbeRotations([0, '90', 0], 3)).toBeNull();
    expect(readProbeRotations('90', 1)).toBeNull();
  });

  it('reads bookmarks within the document, and a malformed or endless outline as none', () => {
    const outline = [{ title: 'Punkt 1', page: 2, children: [{ title: 'Bilag 1', page: 99, children: [] }] }];
    expect(readProbeOutline(outline, 46)).toEqual([
      { title: 'Punkt 1', page: 2, children: [{ title: 'Bilag 1', page: null, children: [] }] },
    ]);
    expect(readProbeOutline([{ title: 3, page: 1, children: [] }], 46)).toEqual([]);
    let deep: unknown[] = [];
    for (let i = 0; i < 20; i++) deep = [{ title: 't', page: 1, children: deep }];
    expect(readProbeOutline(deep, 46)).toEqual([]);
    expect(
      readProbeOutline(
        Array.from({ length: 5001 }, () => ({ title: 't', page: 1, children: [] })),
        46,
      ),
    ).toEqual([]);
  });
});
