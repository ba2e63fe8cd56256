import { ObservableV2 } from 'lib0/observable';

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

/**
 * "Tilføj note" / "Del kommentar" beside a selection on a host page, inside the caller's closed
 * shadow root: pressing them keeps the selection, and only the user's own clicks count.
 */
export function createNoteActions(labels: { addNote: string; shareComment: string }): {
  element: HTMLElement;
  /** "Del kommentar", hidden where sharing is not possible. */
  shareButton: HTMLButtonElement;
  events: ObservableV2<{ action: (kind: 'note' | 'comment') => void }>;
} {
  const element = document.createElement('div');
  element.className = 'actions';
  element.hidden = true;
  const events = new ObservableV2<{ action: (kind: 'note' | 'comment') => void }>();
  const button = (kind: 'note' | 'comment', label: string) => {
    const made = document.createElement('button');
    made.textContent = label;
    made.addEventListener(
      'click',
      fromUser(() => events.emit('action', [kind])),
    );
    return made;
  };
  const shareButton = button('comment', labels.shareComment);
  element.append(button('note', labels.addNote), shareButton);
  element.addEventListener('mousedown', (event) => event.preventDefault()); // keep the selection
  return { element, shareButton, events };
}
