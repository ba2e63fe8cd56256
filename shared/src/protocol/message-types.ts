/**
 * First varUint of every binary WebSocket message (y-websocket framing, see docs/PROTOCOL.md).
 * 0-3 are y-websocket's own; `ack` is a Randnoter extra sent only to clients that ask with ?ack=1.
 */
export const MessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  /** Server → client: varUint n = the first n document updates received on this socket are durably stored. */
  ack: 100,
  /**
   * Server → client, only on sockets opened with `?notify=1`: varString, the JSON of one new
   * notification of the socket's user (HttpApi's `Notification`), whatever room the socket is on.
   */
  notification: 101,
} as const;

export type MessageType = (typeof MessageType)[keyof typeof MessageType];

/**
 * Second varUint of an `auth` message. y-protocols/auth defines 0 (server → client: permission
 * denied, then a varString reason); Randnoter adds 1 (client → server: varString token), the way
 * to authenticate a socket opened without `?token=` (it must be the socket's first message).
 */
export const AuthMessage = { permissionDenied: 0, token: 1 } as const;
export type AuthMessage = (typeof AuthMessage)[keyof typeof AuthMessage];

/** Sync sub-messages (y-protocols/sync). */
export const SyncStep = { step1: 0, step2: 1, update: 2 } as const;
export type SyncStep = (typeof SyncStep)[keyof typeof SyncStep];
