/**
 * The auth message a socket opened without `?token=` sends first (docs/PROTOCOL.md):
 * varUint 2 (auth), varUint 1 (token), varString token.
 */
import { AuthMessage, MessageType } from '@randnoter/shared/protocol/message-types';
import * as decoding from 'lib0/decoding';

/** Larger first frames are not an auth message; refusing them early bounds what strangers can make us hold. */
export const MAX_AUTH_FRAME_BYTES = 1024;

/** The token carried by an auth message, or null when the frame is anything else. */
export function readAuthToken(frame: Uint8Array): string | null {
  if (frame.byteLength > MAX_AUTH_FRAME_BYTES) return null;
  try {
    const decoder = decoding.createDecoder(frame);
    if (decoding.readVarUint(decoder) !== MessageType.auth) return null;
    if (decoding.readVarUint(decoder) !== AuthMessage.token) return null;
    const token = decoding.readVarString(decoder);
    return decoding.hasContent(decoder) ? null : token;
  } catch {
    return null;
  }
}
