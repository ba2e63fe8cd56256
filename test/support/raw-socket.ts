/**
 * A hand-written WebSocket client on a bare TCP socket, for hostile tests: it sends the request
 * path byte for byte (no URL normalisation of `..`, `%2e`, double slashes or unicode), and can put
 * arbitrary bytes on the wire. Frames from the server are parsed just enough to read messages and
 * the close code.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

export interface RawSocket {
  /** HTTP status of the upgrade answer (101 when upgraded). */
  readonly status: number;
  /** Binary messages received so far. */
  readonly messages: Uint8Array[];
  /** Resolves with the server's close code (1006 when the connection ended without one). */
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly isClosed: boolean;
  sendBinary(payload: Uint8Array): void;
  sendText(text: string): void;
  /** Bytes straight onto the TCP stream (e.g. a malformed frame header). */
  sendRaw(bytes: Uint8Array): void;
  /** Waits until `count` messages arrived, or the socket closed. */
  waitForMessages(count: number, timeoutMs?: number): Promise<Uint8Array[]>;
  destroy(): void;
}

const OPCODE = { text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;

export function frame(opcode: number, payload: Uint8Array, { mask = true, fin = true } = {}): Uint8Array {
  const length = payload.byteLength;
  const header: number[] = [(fin ? 0x80 : 0) | opcode];
  const maskBit = mask ? 0x80 : 0;
  if (length < 126) header.push(maskBit | length);
  else if (length < 65536) header.push(maskBit | 126, length >> 8, length & 0xff);
  else {
    header.push(maskBit | 127, 0, 0);
    const high = Math.floor(length / 2 ** 32);
    header.push((high >> 8) & 0xff, high & 0xff, (length >>> 24) & 0xff, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff);
  }
  const key = mask ? randomBytes(4) : Buffer.alloc(0);
  const out = new Uint8Array(header.length + key.length + length);
  out.set(header, 0);
  out.set(key, header.length);
  const body = out.subarray(header.length + key.length);
  for (let i = 0; i < length; i++) body[i] = (payload[i] as number) ^ (mask ? (key[i & 3] as number) : 0);
  return out;
}

/** Opens `ws://127.0.0.1:<port><rawPath>` with the path sent exactly as given (UTF-8 bytes). */
export function openRawSocket(port: number, rawPath: string, { timeoutMs = 5_000, answerPings = true } = {}): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    const messages: Uint8Array[] = [];
    let buffer = Buffer.alloc(0);
    let status = 0;
    let isClosed = false;
    let closeInfo: { code: number; reason: string } | null = null;
    const closed = Promise.withResolvers<{ code: number; reason: string }>();
    const waiters = new Set<() => void>();
    const notify = () => {
      for (const w of waiters) w();
    };
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no upgrade answer for ${rawPath}`));
    }, timeoutMs);

    const api: RawSocket = {
      get status() {
        return status;
      },
      messages,
      closed: closed.promise,
      get isClosed() {
        return isClosed;
      },
      sendBinary: (payload) => void socket.write(frame(OPCODE.binary, payload)),
      sendText: (text) => void socket.write(frame(OPCODE.text, new TextEncoder().encode(text))),
      sendRaw: (bytes) => void socket.write(bytes),
      waitForMessages(count, wait = 10_000) {
        return new Promise((done, fail) => {
          const check = () => {
            if (messages.length >= count || isClosed) {
              waiters.delete(check);
              clearTimeout(t);
              done(messages);
            }
          };
          const t = setTimeout(() => {
            waiters.delete(check);
            fail(new Error(`timed out waiting for ${count} messages (got ${messages.length})`));
          }, wait);
          waiters.add(check);
          check();
        });
      },
      destroy: () => socket.destroy(),
    };

    const finish = (code: number, reason: string) => {
      if (isClosed) return;
      isClosed = true;
      closeInfo ??= { code, reason };
      closed.resolve(closeInfo);
      notify();
    };

    socket.on('connect', () => {
      const request = [
        `GET ${rawPath} HTTP/1.1`,
        `Host: 127.0.0.1:${port}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
        'Sec-WebSocket-Version: 13',
        '',
        '',
      ].join('\r\n');
      socket.write(Buffer.from(request, 'utf8'));
    });
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (status === 0) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        status = Number(buffer.subarray(0, end).toString('latin1').split(' ')[1]);
        buffer = buffer.subarray(end + 4);
        clearTimeout(timer);
        resolve(api);
        if (status !== 101) {
          finish(1006, `HTTP ${status}`);
          socket.destroy();
          return;
        }
      }
      for (;;) {
        if (buffer.length < 2) return;
        const opcode = (buffer[0] as number) & 0x0f;
        let length = (buffer[1] as number) & 0x7f;
        let offset = 2;
        if (length === 126) {
          if (buffer.length < 4) return;
          length = buffer.readUInt16BE(2);
          offset = 4;
        } else if (length === 127) {
          if (buffer.length < 10) return;
          length = Number(buffer.readBigUInt64BE(2));
          offset = 10;
        }
        if (buffer.length < offset + length) return;
        const payload = new Uint8Array(buffer.subarray(offset, offset + length));
        buffer = buffer.subarray(offset + length);
        if (opcode === OPCODE.binary || opcode === OPCODE.text) {
          messages.push(payload);
          notify();
        } else if (opcode === OPCODE.close) {
          const code = payload.length >= 2 ? (payload[0] as number) * 256 + (payload[1] as number) : 1005;
          closeInfo = { code, reason: Buffer.from(payload.subarray(2)).toString('utf8') };
          socket.write(frame(OPCODE.close, payload.subarray(0, 2)));
          socket.end();
          finish(code, closeInfo.reason);
        } else if (opcode === OPCODE.ping && answerPings) {
          socket.write(frame(OPCODE.pong, payload));
        }
      }
    });
    socket.on('error', () => finish(1006, 'socket error'));
    socket.on('close', () => {
      clearTimeout(timer);
      if (status === 0) reject(new Error(`connection closed before an upgrade answer for ${rawPath}`));
      finish(1006, 'connection ended');
    });
  });
}
