/** "Forbundet" / "Offline" / "Gemt" / pending count, announced politely to screen readers. */
import type { Messages } from '../i18n/messages.ts';

export interface StatusInput {
  connection: 'connecting' | 'connected' | 'offline' | 'signed-out';
  unsaved: number;
  refused: string | null;
}

function statusText(t: Messages, s: StatusInput): string {
  if (s.connection === 'signed-out') return t.notSignedIn;
  if (s.refused) return `${t.offline}: ${s.refused}`;
  const connection = s.connection === 'connected' ? t.connected : s.connection === 'connecting' ? t.connecting : t.offline;
  const saving = s.unsaved > 0 ? t.pending(s.unsaved) : s.connection === 'connected' ? t.saved : null;
  return saving ? `${connection} · ${saving}` : connection;
}

export function renderStatus(element: HTMLElement, t: Messages, s: StatusInput): void {
  element.textContent = statusText(t, s);
  element.dataset.connection = s.connection;
}
