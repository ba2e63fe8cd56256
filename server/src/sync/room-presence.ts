/**
 * A room's presence (Yjs awareness): who has the packet open and where they are reading. The
 * server itself is not present. Names are overwritten with the authenticated user's, and a peer
 * may only speak for the awareness client ids it introduced (awareness-filter.ts). With several
 * processes, each speaks for its own peers and relays to them what it hears from the others.
 */
import { encodeAwarenessMessage } from '@randnoter/shared/protocol/wire';
import * as awarenessProtocol from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { FanoutKind, type RoomMessage } from '../fanout/fanout-message.ts';
import type { Logger } from '../log.ts';
import { filterAwareness, MAX_AWARENESS_IDS_PER_PEER, type PresenceRedactor, rewriteAwareness } from './awareness-filter.ts';
import type { Peer } from './peer.ts';

/** Awareness client ids whose owner a room remembers (8 per socket; far more than a room's readers use). */
const MAX_OWNED_IDS = 10_000;

/** Origin of presence another process announced. */
const REMOTE = Symbol('remote');
/** Origin of the presence removal when a peer leaves (published to the other processes). */
const LEFT = Symbol('left');

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

export class RoomPresence {
  readonly awareness: awarenessProtocol.Awareness;
  readonly #peers: ReadonlySet<Peer>;
  /** To the other processes that have the room loaded (a no-op on a single server). */
  readonly #publish: (message: RoomMessage) => void;
  readonly #log: Logger;
  readonly #room: string;
  /**
   * Awareness client ids whose presence another process announced. A y-websocket client echoes
   * every presence it hears, so a local peer may take over such an id only with a newer clock
   * (the same client, moved here from a process that died).
   */
  readonly #remoteIds = new Set<number>();
  /**
   * The user who first spoke for each awareness client id here. It stays theirs after they leave
   * (a y-websocket client keeps its id across reconnects): nobody else may take it over while
   * they are offline and so hide their presence when they return.
   */
  readonly #owners = new Map<number, string>();
  /** JSON characters of each present client's state, and their sum, held under maxBytes. */
  readonly #stateChars = new Map<number, number>();
  #totalChars = 0;
  readonly #maxChars: number;
  readonly #redact: PresenceRedactor | undefined;

  constructor(
    room: string,
    doc: Y.Doc,
    peers: ReadonlySet<Peer>,
    publish: (message: RoomMessage) => void,
    log: Logger,
    maxChars = Number.POSITIVE_INFINITY,
    redact?: PresenceRedactor,
  ) {
    this.#room = room;
    this.#redact = redact;
    this.#maxChars = maxChars;
    this.#peers = peers;
    this.#publish = publish;
    this.#log = log;
    this.awareness = new awarenessProtocol.Awareness(doc);
    this.awareness.setLocalState(null); // the server itself is not present
    this.awareness.on('update', ({ added, updated, removed }: AwarenessChange, origin: unknown) => {
      const changed = [...added, ...updated, ...removed];
      for (const id of removed) {
        this.#remoteIds.delete(id);
        this.#setChars(id, 0);
      }
      const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
      const message = encodeAwarenessMessage(update);
      for (const peer of this.#peers) peer.send(message);
      if (this.#peers.has(origin as Peer)) (origin as Peer).spend(message.byteLength * this.#peers.size);
      // A process speaks for its own peers only (not for what it heard, nor for timeouts).
      if (origin === LEFT || this.#peers.has(origin as Peer)) this.#publish({ kind: FanoutKind.awareness, update });
    });
  }

  /** A peer's presence. Throws on bad input. */
  receive(update: Uint8Array, from: Peer): void {
    const rewritten = rewriteAwareness(
      update,
      from,
      (clientId, clock) => {
        const owner = this.#owners.get(clientId);
        if (owner !== undefined && owner !== from.userId) return false;
        for (const peer of this.#peers) if (peer !== from && peer.awarenessIds.has(clientId)) return false;
        return !this.#remoteIds.has(clientId) || clock > (this.awareness.meta.get(clientId)?.clock ?? 0);
      },
      this.#redact,
    );
    if (rewritten.clientIds.length === 0) return;
    const introduced = new Set([...from.awarenessIds, ...rewritten.clientIds]);
    if (introduced.size > MAX_AWARENESS_IDS_PER_PEER) throw new Error('too many awareness client ids');
    // A room's presence stays small: an update that would grow it past the cap is dropped.
    const grows = rewritten.stateChars.reduce(
      (sum, chars, i) => sum + chars - (this.#stateChars.get(rewritten.clientIds[i] as number) ?? 0),
      0,
    );
    if (grows > 0 && this.#totalChars + grows > this.#maxChars) {
      this.#log.debug('presence dropped: the room holds as much as it may', { room: this.#room });
      return;
    }
    for (const id of rewritten.clientIds) {
      from.claimAwarenessId(id);
      this.#remoteIds.delete(id);
      this.#own(id, from.userId);
    }
    awarenessProtocol.applyAwarenessUpdate(this.awareness, rewritten.update, from);
    this.#countStates(rewritten.clientIds, rewritten.stateChars);
  }

  #own(clientId: number, userId: string): void {
    if (this.#owners.has(clientId)) return;
    // Bounded: the oldest owner goes first (a Map keeps insertion order).
    if (this.#owners.size >= MAX_OWNED_IDS) this.#owners.delete(this.#owners.keys().next().value as number);
    this.#owners.set(clientId, userId);
  }

  #countStates(clientIds: readonly number[], stateChars: readonly number[]): void {
    // Entries older than what the room holds are ignored by applyAwarenessUpdate: count what it kept.
    const states = this.awareness.getStates();
    clientIds.forEach((id, i) => {
      this.#setChars(id, states.has(id) ? (stateChars[i] ?? 0) : 0);
    });
  }

  #setChars(clientId: number, chars: number): void {
    this.#totalChars += chars - (this.#stateChars.get(clientId) ?? 0);
    if (chars > 0) this.#stateChars.set(clientId, chars);
    else this.#stateChars.delete(clientId);
  }

  /** Answers a query for presence with every known state; `onSent` once it has left (or at once). */
  sendTo(peer: Peer, onSent?: () => void): void {
    const ids = [...this.awareness.getStates().keys()];
    if (ids.length > 0) peer.answer(encodeAwarenessMessage(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids)), onSent);
    else onSent?.();
  }

  /** A peer that left (already out of the room's peers): its presence goes, here and elsewhere. */
  leave(peer: Peer): void {
    if (peer.awarenessIds.size > 0) awarenessProtocol.removeAwarenessStates(this.awareness, [...peer.awarenessIds], LEFT);
  }

  /** Presence another process announced, or its query for ours. */
  hear(message: Extract<RoomMessage, { kind: typeof FanoutKind.awareness | typeof FanoutKind.awarenessQuery }>): void {
    if (message.kind === FanoutKind.awareness) {
      try {
        // Our own peers' presence is ours to say; the rest is relayed to them.
        const { update, clientIds, stateChars } = filterAwareness(
          message.update,
          (id) => ![...this.#peers].some((p) => p.awarenessIds.has(id)),
        );
        if (clientIds.length === 0) return;
        awarenessProtocol.applyAwarenessUpdate(this.awareness, update, REMOTE);
        this.#countStates(clientIds, stateChars);
        for (const id of clientIds) if (this.awareness.getStates().has(id)) this.#remoteIds.add(id);
      } catch (error) {
        this.#log.warn('unreadable presence from another process', { room: this.#room, error: String(error) });
      }
    } else {
      const ours = [...this.#peers].flatMap((p) => [...p.awarenessIds]).filter((id) => this.awareness.getStates().has(id));
      if (ours.length > 0)
        this.#publish({ kind: FanoutKind.awareness, update: awarenessProtocol.encodeAwarenessUpdate(this.awareness, ours) });
    }
  }

  destroy(): void {
    this.awareness.destroy();
  }
}
