/**
 * The colours a note's highlight may have: the Okabe–Ito palette, told apart also by people with
 * the common colour-vision deficiencies. Stored on the note as its hex `color` (the schema's
 * field); a note without one is the default yellow, a shared comment blue.
 */
export const NOTE_COLOURS = [
  { key: 'yellow', hex: '#f0e442' },
  { key: 'orange', hex: '#e69f00' },
  { key: 'blue', hex: '#56b4e9' },
  { key: 'green', hex: '#009e73' },
  { key: 'purple', hex: '#cc79a7' },
] as const;

export type NoteColour = (typeof NOTE_COLOURS)[number]['key'];

/** The palette's hex for a stored colour, or null: anything else a document holds is not drawn. */
export function paletteColour(color: string | null | undefined): string | null {
  const lower = color?.toLowerCase();
  return NOTE_COLOURS.find((c) => c.hex === lower)?.hex ?? null;
}

/** A highlight's or card's colour, as the CSS custom properties the stylesheets read. */
export function applyColour(element: HTMLElement, color: string | null | undefined): void {
  const hex = paletteColour(color);
  if (hex) element.style.setProperty('--rn-mark', hex);
}
