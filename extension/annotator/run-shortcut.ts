/** What a keyboard shortcut (surface/shortcut-keys.ts) does to the annotator. */
import type { Shortcut } from '../surface/shortcut-keys.ts';
import type { Controller } from './controller.ts';

export function runShortcut(shortcut: Shortcut, controller: Controller, toggleSidebar: () => void): void {
  if (shortcut === 'note' || shortcut === 'comment') void controller.writeSelection(shortcut);
  else if (shortcut === 'toggle-sidebar') toggleSidebar();
  else controller.step(shortcut === 'next' ? 1 : -1);
}
