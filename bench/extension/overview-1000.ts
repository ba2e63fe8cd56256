/**
 * How the viewer copes with 1,000 notes on one packet: the built extension in Chromium, a real
 * server, notes spread over the fixture packet's text. Prints the time until all notes show, the
 * cost of the render and of a re-render after one note changed (the redraw's script as the viewer
 * measures it, and the whole frame with style, layout and paint from Long Animation Frames), and
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
  const opened = performance.now();
  const viewer = await openViewer(browser, `${server.url}/demo/packet.pdf`);
  // Frames longer than 50 ms (script, style, layout and paint), kept from the page's start.
  await viewer.evaluate(() => {
    const frames: Array<{ startTime: number; duration: number }> = [];
    (window as unknown as { benchFrames: typeof frames }).benchFrames = frames;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) frames.push({ startTime: e.startTime, duration: e.duration });
    }).observe({ type: 'long-animation-frame', buffered: true });
  });
  const cardCount = () => viewer.evaluate(() => document.querySelectorAll('#rn-panel-notes .rn-card').length);
  // A note shows as its card, or as its card's place in the virtualised list (card-slots.ts).
  const shownCount = () =>
    viewer.evaluate(() =>
      Math.max(document.querySelectorAll('#rn-panel-notes .rn-card').length, document.querySelectorAll('#rn-panel-notes .rn-slot').length),
    );
  await waitFor(async () => (await shownCount()) >= NOTES, { timeoutMs: 120_000, intervalMs: 20, what: 'all notes in the Overblik' });
  const allCards = performance.now() - opened;

  /** Each redraw (JS) with the whole frame it ran in (JS + style + layout + paint) when that frame was long. */
  const redraws = () =>
    viewer.evaluate(() => {
      const frames = (window as unknown as { benchFrames: Array<{ startTime: number; duration: number }> }).benchFrames;
      return performance.getEntriesByName('randnoter:redraw').map((e) => {
        const frame = frames.find((f) => f.startTime <= e.startTime + 0.5 && e.startTime <= f.startTime + f.duration);
        return { script: e.duration, frame: frame?.duration ?? null };
      });
    });
  /** The redraw and its frame, waited for until the frame (if long) is reported. */
  const settle = async (count: number) => {
    await waitFor(async () => (await redraws()).length > count, { timeoutMs: 30_000, what: 'a redraw' });
    // A long frame is reported once it ended; give the observer two frames.
    await viewer.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    return (await redraws()).slice(count);
  };
  const first = await redraws();
  const biggest = first.reduce((a, b) => (b.script > a.script ? b : a), first[0] ?? { script: Number.NaN, frame: null });

  const changes: Array<{ script: number; frame: number | null }> = [];
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

  const fmt = (ms: number | null) => (ms === null ? 'under 50 ms (no long frame)' : `${ms.toFixed(1)} ms`);
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
  console.log(`notes: ${NOTES}; card elements in the DOM: ${await cardCount()}`);
  console.log(`viewer opened → all notes in the Overblik: ${fmt(allCards)} (includes loading the PDF and reading its text)`);
  console.log(`render of the notes (largest redraw): script ${fmt(biggest.script)}, whole frame ${fmt(biggest.frame)}`);
  console.log(
    `re-render after one note changed (median of ${changes.length}): script ${fmt(median(changes.map((c) => c.script)))}, ` +
      `whole frame ${fmt(changes.some((c) => c.frame === null) ? null : median(changes.map((c) => c.frame ?? 0)))}`,
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
