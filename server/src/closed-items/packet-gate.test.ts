import { describe, expect, it } from 'vitest';
import { PacketGate } from './packet-gate.ts';

describe('PacketGate', () => {
  it('lets an exclusive run wait for shared runs under way and hold new ones back until it is done', async () => {
    const gate = new PacketGate();
    const order: string[] = [];
    const first = Promise.withResolvers<void>();
    const early = gate.shared('g/p', async () => {
      await first.promise;
      order.push('early comment');
    });
    const change = gate.exclusive('g/p', async () => {
      order.push('change');
    });
    const late = gate.shared('g/p', async () => {
      order.push('late comment');
    });
    const elsewhere = gate.shared('g/other', async () => {
      order.push('other packet');
    });
    await elsewhere;
    first.resolve();
    await Promise.all([early, change, late]);
    expect(order).toEqual(['other packet', 'early comment', 'change', 'late comment']);
  });

  it('runs exclusives of one key one after the other, a failed one included', async () => {
    const gate = new PacketGate();
    const order: string[] = [];
    const failing = gate.exclusive('k', async () => {
      order.push('a');
      throw new Error('refused');
    });
    const next = gate.exclusive('k', async () => {
      order.push('b');
      return 2;
    });
    await expect(failing).rejects.toThrow('refused');
    expect(await next).toBe(2);
    expect(order).toEqual(['a', 'b']);
  });
});
