/**
 * A finished export as a response body that says when it is gone: `done` runs once, when the
 * last chunk has been taken for sending or the client went away. Chunks are taken as the socket
 * drains, so a slow client holds its own file and nothing more.
 */
const CHUNK_BYTES = 64 * 1024;

export function sendOnce(bytes: Uint8Array, done: () => void): ReadableStream<Uint8Array> {
  let offset = 0;
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    done();
  };
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const end = Math.min(bytes.byteLength, offset + CHUNK_BYTES);
        if (end > offset) controller.enqueue(bytes.subarray(offset, end));
        offset = end;
        if (offset >= bytes.byteLength) {
          controller.close();
          finish();
        }
      },
      cancel: finish,
    },
    { highWaterMark: 0 },
  );
}
