/**
 * WebSocket binary frames (RFC 6455, server to client: unmasked, one fragment), framed once per
 * message however many sockets it goes to. A relay sends one message to every peer of a room in
 * a row, so remembering the last message's frame frames a broadcast once instead of once per
 * socket, and each socket gets one buffer (one `write`) instead of a header and a payload.
 */

const FIN_BINARY = 0x82;

export function binaryFrame(payload: Uint8Array): Buffer {
  const length = payload.byteLength;
  const headerLength = length < 126 ? 2 : length < 0x10000 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = FIN_BINARY;
  if (length < 126) {
    frame[1] = length;
  } else if (length < 0x10000) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.set(payload, headerLength);
  return frame;
}

/**
 * Relays are small; a big message (a first sync) goes to one socket, and remembering it would
 * only keep it alive until the next message.
 */
const REMEMBERED_BYTES = 64 * 1024;

let lastPayload: Uint8Array | null = null;
let lastFrame: Buffer | null = null;

/**
 * The frame of `payload`, made once while the same message goes to one socket after another.
 * Messages are never changed once sent, so the same array means the same bytes.
 */
export function frameOf(payload: Uint8Array): Buffer {
  if (payload === lastPayload && lastFrame !== null) return lastFrame;
  const frame = binaryFrame(payload);
  if (payload.byteLength <= REMEMBERED_BYTES) {
    lastPayload = payload;
    lastFrame = frame;
  }
  return frame;
}
