/**
 * The life of an annotator in a sidebar page (an HTML agenda page's or a portal viewer's): started
 * with the settings, started again when they or the sign-in change or a room was rewritten (one
 * restart at a time; one that failed does not stop the next), the shortcuts while the keyboard
 * focus is in this frame, and stopped when the page goes. Only the user can send keys to an
 * extension frame: the host page cannot reach into it.
 */
import { watchSignIn } from '../auth/browser-auth.ts';
import { type Settings, watchSettings } from '../settings/settings.ts';
import type { DocumentSurface } from '../surface/document-surface.ts';
import { shortcutOf } from '../surface/shortcut-keys.ts';
import { followSettings } from './follow-settings.ts';
import { runShortcut } from './run-shortcut.ts';
import type { Annotator } from './start-annotator.ts';

export interface StartedAnnotator {
  annotator: Annotator;
  surface: Pick<DocumentSurface, 'destroy'>;
}

/** `start` builds the annotator for the settings; `restart` is what it hands its rooms for a rewrite (1012). */
export async function runAnnotatorPage(
  settings: Settings,
  start: (current: Settings, restart: () => void) => Promise<StartedAnnotator>,
  toggleSidebar: () => void,
): Promise<void> {
  let current = settings;
  let restarting = Promise.resolve();
  const restart = (): Promise<void> => {
    restarting = restarting
      .catch(() => undefined)
      .then(async () => {
        stop();
        open = await start(current, () => void restart());
      });
    return restarting;
  };
  let open = await start(settings, () => void restart());
  const stop = () => {
    open.annotator.destroy();
    open.surface.destroy();
  };
  const stopFollowing = followSettings(
    settings,
    watchSettings,
    async (next) => {
      current = next;
      await restart();
    },
    watchSignIn,
  );
  document.addEventListener('keydown', (event) => {
    const shortcut = shortcutOf(event);
    if (!shortcut) return;
    event.preventDefault();
    runShortcut(shortcut, open.annotator.controller, toggleSidebar);
  });
  window.addEventListener('pagehide', () => {
    stopFollowing();
    stop();
  });
  document.body.dataset.ready = 'true';
}
