/**
 * Acknowledged comments lost after SIGKILL. One writer per kill point, each in its own room of
 * the same server; the server is killed (SIGKILL, from inside the callback that observes the
 * acknowledgement, so nothing can happen in between on our side), restarted, and a fresh client
 * counts which acknowledged comments survived.
 *
 * "Acknowledged" is what each server offers a client: Randnoter's ack (committed), Hocuspocus's
 * SyncStatus (applied), and for the reference server, which has none, being relayed to another
 * client (an observer in the room).
 *
 * Kill points:
 *   after-burst   a burst of `burst` comments; killed as the last one is acknowledged
 *   mid-burst     the same burst; killed at its first acknowledgement, while the rest is still
 *                 being sent
 *   steady        one comment every 20 ms; killed as the `steady`-th is acknowledged
 *   first-write   a room never opened before; killed as its first comment is acknowledged
 */
import { type CommentStream, commentStream } from '../comments.ts';
import { closeAll, openSynced, type ServerUnderTest, settled, within, yieldToIo } from '../harness.ts';
import type { SyncClient } from '../sync-client.ts';

export const KILL_POINTS = ['after-burst', 'mid-burst', 'steady', 'first-write'] as const;
type KillPoint = (typeof KILL_POINTS)[number];

export interface KillParams {
  burst: number;
  steady: number;
  points: readonly KillPoint[];
}

interface KillOutcome {
  acknowledged: number;
  lost: number;
  /** Comments found after the restart, acknowledged or not. */
  recovered: number;
}

export type KillResult = Record<string, KillOutcome> & { worstLost: number };

const STEADY_INTERVAL_MS = 20;
const RELOAD_GRACE_MS = 1_000;

export async function killScenarios(server: ServerUnderTest, params: KillParams): Promise<KillResult> {
  const outcomes: Record<string, KillOutcome> = {};
  for (const point of params.points) {
    const count = point === 'steady' ? params.steady * 2 : point === 'first-write' ? 1 : params.burst;
    const stopAt = point === 'mid-burst' ? 1 : point === 'steady' ? params.steady : count;
    outcomes[point] = await killOnce(server, `kill-${point}`, commentStream(`kill-${point}`, count), stopAt, point === 'steady');
  }
  const worstLost = Math.max(...Object.values(outcomes).map((o) => o.lost));
  return Object.assign(outcomes, { worstLost }) as KillResult;
}

async function killOnce(
  server: ServerUnderTest,
  room: string,
  stream: CommentStream,
  killAt: number,
  paced: boolean,
): Promise<KillOutcome> {
  const ackByRelay = server.kind.ackMode === 'relay';
  const clients = await openSynced(2, (index, localAddress) => server.client(room, { localAddress, applyRemote: index === 1 }));
  const [writer, observer] = clients as [SyncClient, SyncClient];
  await settled(server, writer);
  const handshake = writer.sent;
  let acknowledgedIds: string[] | null = null;
  const killed = new Promise<void>((resolve) => {
    const observe = () => {
      if (acknowledgedIds) return;
      const count = ackByRelay ? observer.comments : Math.max(0, writer.acked - handshake);
      if (count < killAt) return;
      const ids = ackByRelay ? [...observer.annotations.keys()] : stream.ids.slice(0, count);
      acknowledgedIds = ids;
      void server.killNow().then(resolve);
    };
    if (ackByRelay) observer.doc.on('afterTransaction', observe);
    else writer.onAck(observe);
  });
  const sending = paced ? sendPaced(writer, stream, killed) : sendBurst(writer, stream);
  await within(killed, 60_000, `${server.kind.id} ${room}: ${killAt} comments acknowledged`);
  await sending;
  closeAll(clients);
  await server.respawnAfterKill();
  const acknowledged: string[] = acknowledgedIds ?? [];
  const reader = server.client(room, { applyRemote: true });
  try {
    // Everything acknowledged must come back. The reference server may send what it loads from
    // LevelDB just after its first sync (it does not wait for the load), so allow a moment.
    await within(reader.synced, 30_000, 'a sync after the restart');
    await within(reader.whenComments(acknowledged.length), RELOAD_GRACE_MS, 'acknowledged comments').catch(() => {});
    const present = new Set(reader.annotations.keys());
    const lost = acknowledged.filter((id) => !present.has(id)).length;
    return { acknowledged: acknowledged.length, lost, recovered: present.size };
  } finally {
    reader.terminate();
  }
}

async function sendBurst(writer: SyncClient, stream: CommentStream): Promise<void> {
  for (let from = 0; from < stream.updates.length; from += 250) {
    if (!writer.open) return;
    for (const update of stream.updates.slice(from, from + 250)) writer.sendUpdate(update);
    await yieldToIo();
  }
}

async function sendPaced(writer: SyncClient, stream: CommentStream, killed: Promise<void>): Promise<void> {
  let stop = false;
  void killed.then(() => {
    stop = true;
  });
  for (const update of stream.updates) {
    if (stop || !writer.open) return;
    writer.sendUpdate(update);
    await new Promise((resolve) => setTimeout(resolve, STEADY_INTERVAL_MS));
  }
}
