import { describe, expect, it } from 'vitest';
import type { StoredNotification } from '../storage/notifications.ts';
import { composeBatch, composeDigest } from './compose-mail.ts';

const note = (id: number, extra: Partial<StoredNotification> = {}): StoredNotification => ({
  id: String(id),
  reason: 'mention',
  actor: { id: 'u-anne', name: 'Anne Jensen' },
  groupId: 'udvalg',
  packetId: 'p1',
  itemNumber: 3,
  annotationId: `c${id}`,
  quote: 'budgettet for 2024',
  created: '2026-12-07T10:00:00.000Z',
  read: false,
  recipientId: 'u-bo',
  closed: false,
  ...extra,
});

const context = {
  recipientName: 'Bo Hansen',
  titles: new Map([['p1', 'Socialudvalget']]),
  unsubscribe: (g: string) => `https://rn.example/api/notification-settings/unsubscribe?token=${g}`,
};

describe('the e-mails', () => {
  it('list a recipient’s unread notifications by packet, newest first, with an unsubscribe link per group', () => {
    const { itemNumber: _none, ...withoutItem } = note(2, { reason: 'reply', actor: { id: 'u-c', name: 'Carl\nNielsen' } });
    const mail = composeBatch([note(1), withoutItem], context);
    expect(mail.subject).toBe('Randnoter: 2 ulæste beskeder til dig');
    expect(mail.text).toContain('Hej Bo Hansen');
    expect(mail.text).toContain(
      'Socialudvalget (gruppe udvalg)\n- Carl Nielsen svarede på din kommentar: »budgettet for 2024«\n- Anne Jensen nævnte dig, punkt 3: »budgettet for 2024«',
    );
    expect(mail.text).toContain('Ingen e-mail om gruppen udvalg: https://rn.example/api/notification-settings/unsubscribe?token=udvalg');
  });

  it('announce a comment on a closed item without its content: no author, no quote', () => {
    const mail = composeBatch([note(1, { closed: true, quote: 'fortroligt' })], context);
    expect(mail.text).toContain('- Ny kommentar på et lukket punkt (punkt 3)');
    expect(mail.text).not.toContain('Anne');
    expect(mail.text).not.toContain('fortroligt');
  });

  it('list the digest’s notifications per agenda item, in item order', () => {
    const { itemNumber: _none, ...withoutItem } = note(2);
    const mail = composeDigest('p1', '2026-12-08', [note(1, { itemNumber: 5 }), withoutItem, note(3, { itemNumber: 2 })], context);
    expect(mail.subject).toBe('Randnoter: ulæste kommentarer før mødet 08.12.2026');
    const text = mail.text;
    expect(text.indexOf('Punkt 2')).toBeLessThan(text.indexOf('Punkt 5'));
    expect(text.indexOf('Punkt 5')).toBeLessThan(text.indexOf('Uden punkt'));
    expect(text).toContain('Mødet 08.12.2026: Socialudvalget');
  });
});
