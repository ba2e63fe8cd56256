/**
 * The largest frame a socket may send, per socket: tiny until it has authenticated, so a stranger
 * cannot make the server buffer a 32 MiB frame (ws buffers a whole message before we see it).
 * ws keeps the limits on the socket's Receiver and reads them at every frame header; it has no
 * public setter, so this is the one place that reaches into it (its test fails if ws changes).
 */
import type { WebSocket } from 'ws';

interface ReceiverLimits {
  _maxPayload: number;
  _maxFragments: number;
}

function receiverOf(ws: WebSocket): ReceiverLimits {
  const receiver = (ws as unknown as { _receiver?: Partial<ReceiverLimits> })._receiver;
  if (!receiver || typeof receiver._maxPayload !== 'number' || typeof receiver._maxFragments !== 'number') {
    throw new Error('ws internals changed: the frame limit cannot be set per socket (see frame-limit.ts)');
  }
  return receiver as ReceiverLimits;
}

/** `bytes`: the largest message; `fragments`: the most frames one message may be split into. */
export function setFrameLimit(ws: WebSocket, bytes: number, fragments: number): void {
  const receiver = receiverOf(ws);
  receiver._maxPayload = bytes;
  receiver._maxFragments = fragments;
}
