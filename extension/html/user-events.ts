/**
 * Listening on a host page for what the user does. The page's own script can dispatch any event
 * at any element (a synthetic Alt+J, a click at a chosen point); the browser marks those
 * `isTrusted: false`. Randnoter acts only on trusted events, the ones the user caused, so the
 * page cannot drive it.
 */
export function fromUser<E extends Event>(handler: (event: E) => void): (event: Event) => void {
  return (event) => {
    if (event.isTrusted) handler(event as E);
  };
}
