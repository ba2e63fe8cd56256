import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { type Intent, Outbox, type SendResult } from './outbox.ts';

const create = (id: string): Intent => ({
  op: 'create',
  queued: '2026-01-01T00:00:00Z',
  draft: { id, kind: 'comment', body: `tekst ${id}`, replyTo: null, target: { page: 1 }, color: null, tags: [] },
});

describe('outbox', () => {
  beforeEach(() => fakeBrowser.reset());

  it('sends in order and keeps what could not be sent, across reopening', async () => {
    const sent: string[] = [];
    let online = false;
    const send = async (intent: Intent): Promise<SendResult> => {
      if (!online) return { ok: false, retry: true, status: 0 };
      sent.push(intent.op === 'create' ? intent.draft.id : intent.id);
      return { ok: true };
    };
    const outbox = await Outbox.open('k');
    await outbox.add(create('a'));
    await outbox.add(create('b'));
    await outbox.flush(send, () => {});
    expect(outbox.items).toHaveLength(2);

    const reopened = await Outbox.open('k');
    online = true;
    await reopened.flush(send, () => {});
    expect(sent).toEqual(['a', 'b']);
    expect((await Outbox.open('k')).items).toEqual([]);
  });

  // Regression: the first flush of an empty outbox finished synchronously and left the outbox
  // believing a flush was still running, so nothing queued afterwards was ever sent.
  it('still sends after a flush that found nothing to do', async () => {
    const outbox = await Outbox.open('k');
    const sent: string[] = [];
    const send = async (intent: Intent): Promise<SendResult> => {
      sent.push(intent.op);
      return { ok: true };
    };
    await outbox.flush(send, () => {});
    await outbox.add(create('a'));
    await outbox.flush(send, () => {});
    expect(sent).toEqual(['create']);
  });

  it('drops an intent the server refuses and hands back its text', async () => {
    const outbox = await Outbox.open('k');
    await outbox.add(create('bad'));
    await outbox.add(create('good'));
    const refused: string[] = [];
    await outbox.flush(
      async (intent) => (intent.op === 'create' && intent.draft.id === 'bad' ? { ok: false, retry: false, status: 400 } : { ok: true }),
      (intent, status) => refused.push(`${intent.op === 'create' ? intent.draft.body : ''}: ${status}`),
    );
    expect(refused).toEqual(['tekst bad: 400']);
    expect(outbox.items).toEqual([]);
  });
});
