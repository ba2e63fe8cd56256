/**
 * Fan-out over Redis pub/sub: one channel per room (`<prefix>room:<name>`), to which a process
 * subscribes while it has the room loaded, and one for new notifications (`<prefix>inbox`), to
 * which every process subscribes. Two connections: pub/sub needs one of its own.
 *
 * Redis pub/sub delivers at most once and forgets what a disconnected subscriber missed; that is
 * enough because the database holds every update with its seq: a room that sees a gap, or hears
 * that the connection came back, reads what it missed from storage.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../log.ts';
import type { Fanout, InboxFanout, InboxLine, RoomLink } from './fanout.ts';
import { decodeFanoutMessage, encodeFanoutMessage, type RoomMessage } from './fanout-message.ts';

export interface RedisFanoutOptions {
  url: string;
  /** Channel prefix, so that deployments sharing one Redis do not hear each other (pub/sub ignores database numbers). */
  prefix: string;
  log: Logger;
}

/** Connection attempts at start before giving up with an error. */
const START_ATTEMPTS = 5;

export async function connectRedisFanout({ url, prefix, log }: RedisFanoutOptions): Promise<Fanout & InboxFanout> {
  // Imported here: a single server (no --redis) does not hold the Redis client's code.
  const { createClient } = await import('@redis/client');
  const processId = randomBytes(9).toString('base64url');
  let started = false;
  const reconnectStrategy = (retries: number, cause: Error): number | Error => {
    if (!started && retries >= START_ATTEMPTS) return new Error(`cannot reach Redis: ${cause.message}`);
    return Math.min(50 * 2 ** retries, 2_000);
  };
  // Publishing while disconnected fails at once instead of queueing without bound; receivers
  // find the update in the database.
  const publisher = createClient({ url, socket: { reconnectStrategy }, disableOfflineQueue: true });
  const subscriber = createClient({ url, socket: { reconnectStrategy } });
  for (const [name, client] of [
    ['publisher', publisher],
    ['subscriber', subscriber],
  ] as const) {
    client.on('error', (error: Error) => log.warn('redis connection error', { connection: name, error: error.message }));
  }
  const reconnectListeners: Array<() => void> = [];
  subscriber.on('ready', () => {
    if (!started) return;
    log.info('redis connection back: rooms catch up from the database');
    for (const listener of reconnectListeners) listener();
  });
  try {
    await Promise.all([publisher.connect(), subscriber.connect()]);
  } catch (error) {
    publisher.destroy();
    subscriber.destroy();
    throw error;
  }
  started = true;
  log.info('redis fan-out ready', { process: processId });

  const channel = (room: string) => `${prefix}room:${room}`;

  return {
    async join(room, hear) {
      const listener = (message: Buffer) => {
        try {
          const { from, message: decoded } = decodeFanoutMessage(new Uint8Array(message.buffer, message.byteOffset, message.byteLength));
          if (from !== processId) hear(decoded);
        } catch (error) {
          log.warn('unreadable fan-out message dropped', { error: String(error) });
        }
      };
      const subscribed = subscriber.subscribe(channel(room), listener, true);
      // While Redis is away the subscription waits for the reconnect, which makes every room
      // catch up anyway; the room need not wait for it.
      if (subscriber.isReady) await subscribed;
      else subscribed.catch((error: unknown) => log.warn('redis subscribe failed', { error: String(error) }));
      let closed = false;
      const link: RoomLink = {
        publish(message: RoomMessage) {
          if (closed) return;
          publisher.publish(channel(room), Buffer.from(encodeFanoutMessage(processId, message))).catch((error: unknown) => {
            log.debug('redis publish failed', { error: String(error) });
          });
        },
        close() {
          if (closed) return;
          closed = true;
          subscriber.unsubscribe(channel(room), listener, true).catch((error: unknown) => {
            log.debug('redis unsubscribe failed', { error: String(error) });
          });
        },
      };
      return link;
    },
    onReconnect(listener) {
      reconnectListeners.push(listener);
    },
    async inbox(hear) {
      // At most once, like the rooms' channels: a notification missed here is in the database,
      // and the client's periodic fetch finds it.
      const inboxChannel = `${prefix}inbox`;
      await subscriber.subscribe(inboxChannel, (message: string) => {
        try {
          const { from, userId, json } = JSON.parse(message) as { from: unknown; userId: unknown; json: unknown };
          if (from !== processId && typeof userId === 'string' && typeof json === 'string') hear(userId, json);
        } catch (error) {
          log.warn('unreadable inbox message dropped', { error: String(error) });
        }
      });
      const line: InboxLine = {
        publish(userId, json) {
          publisher.publish(inboxChannel, JSON.stringify({ from: processId, userId, json })).catch((error: unknown) => {
            log.debug('redis publish failed', { error: String(error) });
          });
        },
      };
      return line;
    },
    async close() {
      await Promise.allSettled([publisher.close(), subscriber.close()]);
    },
  };
}
