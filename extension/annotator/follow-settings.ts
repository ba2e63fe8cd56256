/**
 * Keeps an open packet in step with the user's settings: when the options page saves a new
 * language, default group, display name, server or token, the page restarts its annotator
 * (session, rooms, panes) with them, without reloading the document. Restarts run one at a
 * time, in the order the changes came. So does a change of who is signed in through the
 * organisation (`alsoOn`): signed in, signed out, or the sign-in ended.
 */
import type { Settings } from '../settings/settings.ts';

/** The settings an open packet shows or connects with (autoOpenPdfs concerns the background only). */
const FOLLOWED = ['language', 'defaultGroup', 'displayName', 'serverUrl', 'token'] as const satisfies ReadonlyArray<keyof Settings>;

export function followSettings(
  initial: Settings,
  watch: (listener: (settings: Settings) => void) => () => void,
  restart: (settings: Settings) => Promise<void>,
  alsoOn?: (changed: () => void) => () => void,
): () => void {
  let current = initial;
  let restarts = Promise.resolve();
  const queue = (settings: Settings) => {
    restarts = restarts
      .then(() => restart(settings))
      .catch((error: unknown) => console.error('Randnoter: restart after a settings change failed', error));
  };
  const stopWatching = watch((next) => {
    if (FOLLOWED.every((key) => next[key] === current[key])) return;
    current = next;
    queue(next);
  });
  const stopAlso = alsoOn?.(() => queue(current));
  return () => {
    stopWatching();
    stopAlso?.();
  };
}
