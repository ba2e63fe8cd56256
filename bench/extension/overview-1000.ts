/**
 * How the viewer copes with 1,000 notes on one packet: the built extension in Chromium, a real
 * server, notes spread over the fixture packet's text. Prints the time until all notes show, the
 * cost of the render and of a re-render after one note changed (the redraw's script as the viewer
 * measures it, and until the next frame begins, i.e. with style, layout and paint done), and
 * the frames of scrolling the Overblik top to bottom (requestAnimationFrame deltas).
 *
 *   npm run bench:overview [-- --notes 1000]
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readPacketFile } from '@randnoter/server/pdf/read-packet';
import { describeRange } from '@randnoter/shared/anchoring/describe-selection';
import { insertAnnotation, patchAnnotation } from '@randnoter/shared/model/annotation-doc';
import { launchWithExtension, openViewer, signIn } from '../../test/support/browser.ts';
import { startTestServer } from '../../test/support/test-server.ts';
import { waitFor } from '../../test/support/wait-for.ts';
import { connectSynced } from '../../test/support/yjs-clients.ts';

const { values } = parseArgs({ options: { notes: { type: 'string', default: '1000' } } });
const NOTES = Number(values.notes);
const FIXTURE = resolve(import.meta.dirname, '../../test/fixtures/packets/rdm-2023-01');

const server = await startTestServer({ demoDir: FIXTURE });
const browser = await launchWithExtension();
try {
  const anne = await server.addUser('Anne Jensen', 'socialudvalget');
  const packet = await readPacketFile(resolve(FIXTURE, 'packet.pdf'));
  const packetId = `fp-${packet.fingerprint}`;

  // Seed the notes through the server, as another device of Anne's would.
  let seed = 7;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const client = await connectSynced(server.wsUrl, `notes/${packetId}`, anne.token);
  const text = packet.text.text;
  client.doc.transact(() => {
    for (let i = 0; i < NOTES; i++) {
      const start = Math.floor(random() * (text.length - 60));
      const target = describeRange(packet.text, start, start + 20 + Math.floor(random() * 40), {
        packetVersion: `urn:x-pdf:${packet.fingerprint}`,
      });
      if (!target) continue;
      insertAnnotation(
        client.doc,
        { id: `bench-${i}`, kind: 'note', body: `Note ${i}`, replyTo: null, target, color: null, tags: [] },
        { id: anne.id, name: anne.name },
        new Date().toISOString(),
      );
    }
  });
  await waitFor(async () => (await server.rooms.read(`notes/${anne.id}/${packetId}`, (doc) => doc.getMap('annotations').size)) === NOTES, {
    timeoutMs: 60_000,
    what: 'seeded notes on the server',
  });

  await signIn(browser, server.url, anne.token, 'Anne Jensen');
  // Each redraw the viewer measures ('randnoter:redraw', around its script) is also timed from its
  // start to the next frame's start: by then the browser has done its style, layout and paint.
  await browser.context.addInitScript(() => {
    const painted: Array<{ script: number; painted: number }> = [];
    (window as unknown as { benchRedraws: typeof painted }).benchRedraws = painted;
    const measure = performance.measure.bind(performance);
    performance.measure = ((name: string, options?: PerformanceMeasureOptions) => {
      const entry = measure(name, options);
      if (name === 'randnoter:redraw') {
        requestAnimationFrame(() => painted.push({ script: entry.duration, painted: performance.now() - entry.startTime }));
      }
      return entry;
    }) as typeof performance.measure;
  });
  const opened = performance.now();
  const viewer = await openViewer(browser, `${server.url}/demo/packet.pdf`);
  const cardCount = () => viewer.evaluate(() => document.querySelectorAll('#rn-panel-notes .rn-card').length);
  // A note shows as its card, or as its card's place in the virtualised list (card-slots.ts).
  const shownCount = () =>
    viewer.evaluate(() =>
      Math.max(document.querySelectorAll('#rn-panel-notes .rn-card').length, document.querySelectorAll('#rn-panel-notes .rn-slot').length),
    );
  await waitFor(async () => (await shownCount()) >= NOTES, { timeoutMs: 120_000, intervalMs: 20, what: 'all notes in the Overblik' });
  const allCards = performance.now() - opened;

  const redraws = () =>
    viewer.evaluate(() => [...(window as unknown as { benchRedraws: Array<{ script: number; painted: number }> }).benchRedraws]);
  const settle = async (count: number) => {
    await waitFor(async () => (await redraws()).length > count, { timeoutMs: 30_000, what: 'a redraw painted' });
    return (await redraws()).slice(count);
  };
  await settle(0);
  const first = await redraws();
  const biggest = first.reduce((a, b) => (b.script > a.script ? b : a), first[0] ?? { script: Number.NaN, painted: Number.NaN });

  const changes: Array<{ script: number; painted: number }> = [];
  for (let round = 0; round < 7; round++) {
    const before = (await redraws()).length;
    // A note the user sees (its card is built), as when editing it.
    const id = await viewer.evaluate(
      (n) => (document.querySelectorAll('#rn-panel-notes .rn-card')[n] as HTMLElement).dataset.annotationId ?? '',
      round,
    );
    patchAnnotation(client.doc, id, { body: `Ændret ${round}` }, new Date().toISOString());
    await waitFor(
      async () =>
        viewer.evaluate(
          ([id, body]) => document.querySelector(`[data-annotation-id="${id}"] .rn-body`)?.textContent === body,
          [id, `Ændret ${round}`],
        ),
      { timeoutMs: 30_000, what: 'the changed note' },
    );
    changes.push(...(await settle(before)));
  }

  // Scroll the Overblik top to bottom, a fixed step per frame, and time the frames.
  const scroll = await viewer.evaluate(
    ({ step, deadlineMs }) =>
      new Promise<{ frames: number; over16: number; over33: number; longest: number; height: number; ms: number }>((done) => {
        const pane = document.querySelector('.rn-overview') as HTMLElement;
        pane.scrollTop = 0;
        const deltas: number[] = [];
        const began = performance.now();
        let last = began;
        const tick = (now: number) => {
          deltas.push(now - last);
          last = now;
          const atEnd = pane.scrollTop + pane.clientHeight >= pane.scrollHeight - 1;
          if (atEnd || now - began > deadlineMs) {
            deltas.shift();
            done({
              frames: deltas.length,
              over16: deltas.filter((d) => d > 1000 / 60 + 1).length,
              over33: deltas.filter((d) => d > 1000 / 30 + 1).length,
              longest: Math.max(...deltas),
              height: pane.scrollHeight,
              ms: now - began,
            });
            return;
          }
          pane.scrollTop += step;
          requestAnimationFrame(tick);
        };
        requestAnimationFrame((now) => {
          last = now;
          requestAnimationFrame(tick);
        });
      }),
    { step: 120, deadlineMs: 120_000 },
  );

  const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
  console.log(`notes: ${NOTES}; card elements in the DOM: ${await cardCount()}`);
  console.log(`viewer opened → all notes in the Overblik: ${fmt(allCards)} (includes loading the PDF and reading its text)`);
  console.log(`render of the notes (largest redraw): script ${fmt(biggest.script)}, until the next frame ${fmt(biggest.painted)}`);
  console.log(
    `re-render after one note changed (median of ${changes.length}): script ${fmt(median(changes.map((c) => c.script)))}, ` +
      `until the next frame ${fmt(median(changes.map((c) => c.painted)))}`,
  );
  console.log(
    `scroll top to bottom (${scroll.height} px, 120 px a frame): ${scroll.frames} frames in ${fmt(scroll.ms)}, ` +
      `${scroll.over16} over 16.7 ms, ${scroll.over33} over 33 ms, longest ${fmt(scroll.longest)}`,
  );
  client.destroy();
} finally {
  await browser.close();
  await server.close();
}
