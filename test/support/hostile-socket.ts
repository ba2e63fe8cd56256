/**
 * A WebSocket client that does not play by the rules, for the security tests: it upgrades, then
 * follows a plan (a frame header announcing a huge payload sent as fast as TCP takes it, the same
 * trickled, silence, or the auth message one byte at a time) and never answers a close frame.
 * It reports when the server ended the TCP connection, which is what bounds what it holds.
 */
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';

export type HostilePlan =
  | { kind: 'hugeFrame'; bytes: number }
  | { kind: 'trickle'; bytes: number; bytesPerSecond: number }
  | { kind: 'silent' }
  | { kind: 'slowBytes'; payload: Uint8Array; msPerByte: number }
  /** Sends these messages (after a `?token=` upgrade, say), then stops reading: what it is sent piles up. */
  | { kind: 'sendThenStopReading'; messages: Uint8Array[] };

export interface HostileOutcome {
  /** HTTP status of the upgrade answer (0 when the connection ended before one). */
  status: number;
  /** Milliseconds from the upgrade answer (or the connect, when refused) until the TCP connection ended. */
  heldMs: number;
  /** Payload bytes this client managed to write. */
  sent: number;
}

/** A masked binary frame header announcing `length` payload bytes, with an all-zero mask. */
function header(length: number): Buffer {
  const out = Buffer.alloc(14);
  out[0] = 0x82;
  out[1] = 0x80 | 127;
  out.writeBigUInt64BE(BigInt(length), 2);
  return out; // the last four bytes: the mask key, zeros
}

export interface HostileSocket {
  /** The upgrade answer's status (0 when the connection ended before one). */
  readonly answered: Promise<number>;
  readonly outcome: Promise<HostileOutcome>;
  destroy(): void;
}

export function hostileSocket(port: number, path: string, plan: HostilePlan, { giveUpMs = 30_000 } = {}): HostileSocket {
  const answered = Promise.withResolvers<number>();
  const socket = connect(port, '127.0.0.1');
  const outcome = new Promise<HostileOutcome>((resolve) => {
    let status = 0;
    let since = performance.now();
    let sent = 0;
    let answer = Buffer.alloc(0);
    const timers: NodeJS.Timeout[] = [];
    const giveUp = setTimeout(() => socket.destroy(), giveUpMs);
    socket.on('connect', () => {
      since = performance.now();
      socket.write(
        [
          `GET ${path} HTTP/1.1`,
          'Host: 127.0.0.1',
          'Upgrade: websocket',
          'Connection: Upgrade',
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
          'Sec-WebSocket-Version: 13',
          '',
          '',
        ].join('\r\n'),
      );
    });
    socket.on('data', (chunk: Buffer) => {
      if (status !== 0) return; // frames from the server, a close frame among them: ignored
      answer = Buffer.concat([answer, chunk]);
      const end = answer.indexOf('\r\n\r\n');
      if (end < 0) return;
      status = Number(answer.subarray(0, end).toString('latin1').split(' ')[1]);
      since = performance.now();
      answered.resolve(status);
      if (status === 101) follow();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(giveUp);
      for (const t of timers) clearTimeout(t);
      answered.resolve(status);
      resolve({ status, heldMs: performance.now() - since, sent });
    });

    const chunk = Buffer.alloc(64 * 1024);
    function follow(): void {
      if (plan.kind === 'silent') return;
      if (plan.kind === 'sendThenStopReading') {
        socket.pause();
        for (const message of plan.messages) {
          socket.write(Buffer.concat([header(message.byteLength), Buffer.from(message)]));
          sent += message.byteLength;
        }
        return;
      }
      if (plan.kind === 'slowBytes') {
        const frame = Buffer.concat([header(plan.payload.byteLength), Buffer.from(plan.payload)]);
        let at = 0;
        const next = () => {
          if (socket.destroyed || at >= frame.length) return;
          socket.write(frame.subarray(at, at + 1));
          at++;
          sent++;
          timers.push(setTimeout(next, plan.msPerByte));
        };
        next();
        return;
      }
      socket.write(header(plan.bytes));
      if (plan.kind === 'hugeFrame') {
        const pump = () => {
          while (!socket.destroyed && sent < plan.bytes) {
            sent += chunk.length;
            if (!socket.write(chunk)) {
              socket.once('drain', pump);
              return;
            }
          }
        };
        pump();
      } else {
        const every = Math.max(1, Math.round((chunk.length / plan.bytesPerSecond) * 1000));
        const tick = () => {
          if (socket.destroyed || sent >= plan.bytes) return;
          if (socket.writableLength < chunk.length * 4) {
            socket.write(chunk);
            sent += chunk.length;
          }
          timers.push(setTimeout(tick, every));
        };
        tick();
      }
    }
  });
  return { answered: answered.promise, outcome, destroy: () => socket.destroy() };
}
