import { describe, expect, it } from 'vitest';
import { sendOnce } from './send-once.ts';

describe('a finished export as a response body', () => {
  it('gives every byte in order, then says once that it is gone', async () => {
    const bytes = Uint8Array.from({ length: 200_000 }, (_, i) => i % 251);
    let done = 0;
    const received = new Uint8Array(await new Response(sendOnce(bytes, () => done++)).arrayBuffer());
    expect(received).toEqual(bytes);
    expect(done).toBe(1);
  });

  it('says it is gone when the client leaves halfway', async () => {
    let done = 0;
    const reader = sendOnce(new Uint8Array(300_000), () => done++).getReader();
    await reader.read();
    expect(done).toBe(0);
    await reader.cancel();
    expect(done).toBe(1);
  });

  it('sends an empty file', async () => {
    let done = 0;
    expect((await new Response(sendOnce(new Uint8Array(0), () => done++)).arrayBuffer()).byteLength).toBe(0);
    expect(done).toBe(1);
  });
});
