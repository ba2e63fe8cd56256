/**
 * Keyboard shortcuts: Alt+N note on the selection, Alt+C shared comment, Alt+S show/hide the
 * sidebar, Alt+J / Alt+K next / previous note. Alt avoids clashing with the browser's and
 * pdf.js's own Ctrl shortcuts. Read from keys by the viewer, the sidebar and the content script;
 * what each does is the annotator's (annotator/run-shortcut.ts).
 */

export type Shortcut = 'note' | 'comment' | 'toggle-sidebar' | 'next' | 'previous';

/**
 * The shortcut of a key press. By the key's place (`code`, "KeyN") as well as its letter: on a Mac,
 * Alt+N types "˜", and the letter is not "n".
 */
export function shortcutOf(event: Pick<KeyboardEvent, 'altKey' | 'ctrlKey' | 'metaKey' | 'key'> & { code?: string }): Shortcut | null {
  if (!event.altKey || event.ctrlKey || event.metaKey) return null;
  const letter = event.code && /^Key[A-Z]$/.test(event.code) ? event.code.slice(3).toLowerCase() : event.key.toLowerCase();
  switch (letter) {
    case 'n':
      return 'note';
    case 'c':
      return 'comment';
    case 's':
      return 'toggle-sidebar';
    case 'j':
      return 'next';
    case 'k':
      return 'previous';
    default:
      return null;
  }
}
