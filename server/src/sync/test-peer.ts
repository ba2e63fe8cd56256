/** A room's peer for unit tests: counts the Yjs updates relayed to it and the acks it got. */
import { MessageType, SyncStep } from '@randnoter/shared/protocol/message-types';
import * as decoding from 'lib0/decoding';
import type { Peer } from './peer.ts';

export interface TestPeer extends Peer {
  /** Updates relayed to this peer. */
  updates: number;
  /** Its own updates the room acknowledged as committed. */
  acked: number;
}

export function testPeer(): TestPeer {
  return {
    userId: 'u',
    userName: 'U',
    closed: false,
    updates: 0,
    acked: 0,
    awarenessIds: new Set(),
    claimAwarenessId(id) {
      (this.awarenessIds as Set<number>).add(id);
    },
    cork() {},
    uncork() {},
    answer(message) {
      this.send(message);
    },
    spend() {},
    send(message) {
      const d = decoding.createDecoder(message);
      if (decoding.readVarUint(d) === MessageType.sync && decoding.readVarUint(d) === SyncStep.update) this.updates++;
    },
    close() {},
    committed(count) {
      this.acked += count;
    },
  };
}
