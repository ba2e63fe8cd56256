/**
 * The server writes its sync and awareness messages itself (shared/src/protocol/wire.ts), in one
 * allocation; standard clients read them with y-protocols. The bytes must be y-protocols' own,
 * and what y-protocols writes must decode.
 */
import { MessageType, SyncStep } from '@randnoter/shared/protocol/message-types';
import { decodeMessage, encodeAwarenessMessage, encodeSyncMessage } from '@randnoter/shared/protocol/wire';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';

function yProtocols(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

describe('the wire format against y-protocols', () => {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, 'x'.repeat(300));
  const update = Y.encodeStateAsUpdate(doc);
  const stateVector = Y.encodeStateVector(doc);

  it('writes sync step 1, step 2 and update as y-protocols does', () => {
    const header = (e: encoding.Encoder) => encoding.writeVarUint(e, MessageType.sync);
    expect(encodeSyncMessage(SyncStep.step1, stateVector)).toEqual(
      yProtocols((e) => {
        header(e);
        syncProtocol.writeSyncStep1(e, doc);
      }),
    );
    expect(encodeSyncMessage(SyncStep.step2, update)).toEqual(
      yProtocols((e) => {
        header(e);
        syncProtocol.writeSyncStep2(e, doc);
      }),
    );
    expect(encodeSyncMessage(SyncStep.update, update)).toEqual(
      yProtocols((e) => {
        header(e);
        syncProtocol.writeUpdate(e, update);
      }),
    );
  });

  it('writes an awareness message as y-websocket does, and reads it back', () => {
    const awareness = new awarenessProtocol.Awareness(doc);
    awareness.setLocalState({ user: { name: 'Anne' } });
    const state = awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]);
    const expected = yProtocols((e) => {
      encoding.writeVarUint(e, MessageType.awareness);
      encoding.writeVarUint8Array(e, state);
    });
    expect(encodeAwarenessMessage(state)).toEqual(expected);
    expect(decodeMessage(expected)).toEqual({ type: MessageType.awareness, update: state });
    awareness.destroy();
  });
});
