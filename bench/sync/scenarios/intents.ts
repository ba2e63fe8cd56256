/**
 * Randnoter's shared-room path: a member posts comments as HTTP intents (one at a time, every
 * `intervalMs`); `clients` sockets of another member are connected to the shared room. Latency
 * of each delivery is measured from the intent's 2xx answer (which comes after the commit) and
 * from the moment the request was sent. The server broadcasts right after the commit, so a
 * delivery may arrive before the answer: "from 2xx" is then negative. The first `warmup` intents
 * (the HTTP connection being opened, the route's first run) are sent but not measured.
 *
 * The peers have no server-side writes with validation and authorship, so this runs on
 * Randnoter only.
 */
import { closeAll, openSynced, type ServerUnderTest, until } from '../harness.ts';
import { type Distribution, distribution } from '../stats.ts';

export interface IntentParams {
  clients: number;
  intents: number;
  intervalMs: number;
  warmup: number;
}

export interface IntentResult {
  fromAnswerMs: Distribution;
  fromRequestMs: Distribution;
  answerMs: Distribution;
  delivered: number;
  expected: number;
}

const GROUP_ROOM = 'intents';

export async function intents(server: ServerUnderTest, params: IntentParams): Promise<IntentResult> {
  const { group, posterToken } = server.credentials;
  if (!group || !posterToken) throw new Error(`${server.kind.id} has no shared rooms`);
  const requestedAt: number[] = [];
  const answeredAt: number[] = [];
  const arrivals: number[][] = Array.from({ length: params.intents }, () => []);
  let delivered = 0;
  const readerUrl = `ws://127.0.0.1:${server.port}/sync/shared/${group}/${GROUP_ROOM}?token=${server.credentials.token}`;
  const clients = await openSynced(params.clients, (index, localAddress) => {
    let received = 0;
    return server.client(GROUP_ROOM, {
      localAddress,
      applyRemote: index === 0,
      url: readerUrl,
      onRelayed: (_payload, arrivedAt) => {
        arrivals[received++]?.push(arrivedAt);
        delivered++;
      },
    });
  });
  try {
    const endpoint = `http://127.0.0.1:${server.port}/api/groups/${group}/packets/${GROUP_ROOM}/annotations`;
    for (let i = 0; i < params.intents; i++) {
      const due = performance.now() + params.intervalMs;
      requestedAt.push(performance.now());
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { authorization: `Bearer ${posterToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          id: `intent-${i}`,
          kind: 'comment',
          body: `Shared benchmark comment ${i}: is this within the budget?`,
          target: { page: 1 + (i % 40), selectors: [{ type: 'TextQuoteSelector', exact: 'the budget', prefix: 'Punkt 3: ', suffix: '' }] },
        }),
      });
      answeredAt.push(performance.now());
      if (response.status !== 201) throw new Error(`intent ${i}: HTTP ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    }
    const expected = params.clients * params.intents;
    await until(() => delivered >= expected, 10_000);
    const fromAnswer: number[] = [];
    const fromRequest: number[] = [];
    arrivals.forEach((times, i) => {
      if (i < params.warmup) return;
      for (const t of times) {
        fromAnswer.push(t - (answeredAt[i] as number));
        fromRequest.push(t - (requestedAt[i] as number));
      }
    });
    return {
      fromAnswerMs: distribution(fromAnswer),
      fromRequestMs: distribution(fromRequest),
      answerMs: distribution(answeredAt.slice(params.warmup).map((t, i) => t - (requestedAt[i + params.warmup] as number))),
      delivered,
      expected,
    };
  } finally {
    closeAll(clients);
  }
}
