import { describe, expect, it } from 'vitest';
import { NOTE_COLOURS, paletteColour } from './note-colours.ts';

describe('note colours', () => {
  it('draws only the palette: any other colour a document holds is the default', () => {
    expect(NOTE_COLOURS.map((c) => paletteColour(c.hex.toUpperCase()))).toEqual(NOTE_COLOURS.map((c) => c.hex));
    for (const other of ['#123456', 'red', 'url(x)', '#f0e442; background: url(x)', '', null, undefined])
      expect(paletteColour(other)).toBeNull();
  });
});
