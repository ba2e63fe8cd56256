/**
 * The words of Randnoter's e-mails (docs/NOTIFICATIONS.md, "E-mail"), in Danish: one mail per
 * recipient listing their unread notifications, and the digest the day before a meeting. Plain
 * text only, so nothing a user wrote can become markup; subjects hold no user text. A comment on
 * a closed item is announced without its content: no author, no quote.
 */
import type { NotificationReason } from '@randnoter/shared/protocol/http-api';
import type { StoredNotification } from '../storage/notifications.ts';

export interface MailContext {
  recipientName: string;
  /** The packet's title as the recipient registered it, by packet id (none: the id is shown). */
  titles: ReadonlyMap<string, string>;
  /** The unsubscribe link of each group the mail speaks of. */
  unsubscribe: (groupId: string) => string;
}

export interface ComposedMail {
  subject: string;
  text: string;
}

const SAID: Record<NotificationReason, string> = {
  mention: 'nævnte dig',
  reply: 'svarede på din kommentar',
  thread: 'svarede i en tråd, du deltager i',
  follow: 'skrev en ny kommentar',
};

/** One line of plain text: a stored name or quote must not start lines of its own. */
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

function describe(n: StoredNotification): string {
  const item = n.itemNumber !== undefined ? `punkt ${n.itemNumber}` : null;
  if (n.closed) return `- Ny kommentar på et lukket punkt${item ? ` (${item})` : ''}`;
  const where = item ? `, ${item}` : '';
  const quote = n.quote ? `: »${oneLine(n.quote)}«` : '';
  return `- ${oneLine(n.actor.name)} ${SAID[n.reason]}${where}${quote}`;
}

function packetHeading(context: MailContext, packetId: string, groupId: string): string {
  return `${oneLine(context.titles.get(packetId) || packetId)} (gruppe ${groupId})`;
}

function footer(context: MailContext, groups: readonly string[]): string[] {
  return [
    '',
    'Åbn pakken i Randnoter for at læse og svare.',
    '',
    ...groups.map((g) => `Ingen e-mail om gruppen ${g}: ${context.unsubscribe(g)}`),
  ];
}

/** The mail of a recipient's unread notifications, grouped by packet and group, newest first. */
export function composeBatch(notes: readonly StoredNotification[], context: MailContext): ComposedMail {
  const byPlace = new Map<string, StoredNotification[]>();
  for (const n of [...notes].sort((a, b) => Number(b.id) - Number(a.id))) {
    const key = `${n.groupId}\u0000${n.packetId}`;
    byPlace.set(key, [...(byPlace.get(key) ?? []), n]);
  }
  const lines = [`Hej ${oneLine(context.recipientName)}`, '', 'Du har ulæste beskeder i Randnoter:'];
  for (const group of byPlace.values()) {
    const first = group[0] as StoredNotification;
    lines.push('', packetHeading(context, first.packetId, first.groupId), ...group.map(describe));
  }
  const groups = [...new Set(notes.map((n) => n.groupId))].sort();
  const count = notes.length;
  return {
    subject: `Randnoter: ${count} ${count === 1 ? 'ulæst besked' : 'ulæste beskeder'} til dig`,
    text: [...lines, ...footer(context, groups)].join('\n'),
  };
}

/** The digest the day before a packet's meeting: its unread notifications by agenda item, in item order. */
export function composeDigest(
  packetId: string,
  meetingDate: string,
  notes: readonly StoredNotification[],
  context: MailContext,
): ComposedMail {
  const byItem = new Map<number | null, StoredNotification[]>();
  for (const n of [...notes].sort((a, b) => Number(a.id) - Number(b.id))) {
    const item = n.itemNumber ?? null;
    byItem.set(item, [...(byItem.get(item) ?? []), n]);
  }
  const items = [...byItem.keys()].sort((a, b) => (a ?? Number.POSITIVE_INFINITY) - (b ?? Number.POSITIVE_INFINITY));
  const [y, m, d] = meetingDate.split('-');
  const title = oneLine(context.titles.get(packetId) || packetId);
  const lines = [`Hej ${oneLine(context.recipientName)}`, '', `Mødet ${d}.${m}.${y}: ${title}`, 'Ulæste delte kommentarer før mødet:'];
  for (const item of items) {
    lines.push('', item === null ? 'Uden punkt' : `Punkt ${item}`, ...(byItem.get(item) ?? []).map(describe));
  }
  const groups = [...new Set(notes.map((n) => n.groupId))].sort();
  return { subject: `Randnoter: ulæste kommentarer før mødet ${d}.${m}.${y}`, text: [...lines, ...footer(context, groups)].join('\n') };
}
