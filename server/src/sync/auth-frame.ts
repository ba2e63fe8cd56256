/**
 * The auth message a socket opened without `?token=` sends first (docs/PROTOCOL.md; its bytes are
 * in shared/src/protocol/wire.ts): anything else as a first frame is not an auth message.
 */
import { MessageType } from '@randnoter/shared/protocol/message-types';
import { decodeMessage } from '@randnoter/shared/protocol/wire';

/** Larger first frames are not an auth message; refusing them early bounds what strangers can make us hold. */
const MAX_AUTH_FRAME_BYTES = 1024;

/** The token carried by an auth message, or null when the frame is anything else. */
export function readAuthToken(frame: Uint8Array): string | null {
  if (frame.byteLength > MAX_AUTH_FRAME_BYTES) return null;
  try {
    const message = decodeMessage(frame, { whole: true });
    return message.type === MessageType.auth ? message.token : null;
  } catch {
    return null;
  }
}
