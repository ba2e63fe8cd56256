/** What a room needs from a connection (connection.ts is the real one; test-peer.ts a small one). */
export interface Peer {
  readonly userId: string;
  readonly userName: string;
  readonly closed: boolean;
  /** `onSent` runs once the message has left the server's buffers (or the socket is gone). */
  send(message: Uint8Array, onSent?: () => void): void;
  /** Sends an answer to the peer's own request (it counts against the peer's user's share). */
  answer(message: Uint8Array, onSent?: () => void): void;
  /** The server sent `bytes` to other peers on this peer's behalf. */
  spend(bytes: number): void;
  close(code: number, reason: string): void;
  /** Called once per committed batch with how many of this peer's updates it held. */
  committed(count: number): void;
  /** Messages sent between cork and uncork leave together, in one write to the socket. */
  cork(): void;
  uncork(): void;
  /** Awareness client ids this peer introduced; it may only update those. */
  readonly awarenessIds: ReadonlySet<number>;
  claimAwarenessId(id: number): void;
}
