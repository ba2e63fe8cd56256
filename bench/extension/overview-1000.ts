/**
 * How the viewer copes with 1,000 notes on one packet: the built extension in Chromium, a real
 * server, notes spread over the fixture packet's text. Prints the time until all cards show and
 * the cost of one redraw (what every later change costs), as the viewer measures it itself.
 *
 *   npm run bench:overview [-- --notes 1000]
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readPacketFile } from '@randnoter/server/pdf/read-packet';
import { describeRange } from '@randnoter/shared/anchoring/describe-selection';
import { insertAnnotation } from '@randnoter/shared/model/annotation-doc';
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
  await waitFor(async () => (await viewer.locator('.rn-card').count()) >= NOTES, { timeoutMs: 120_000, intervalMs: 20, what: 'all cards' });
  const allCards = performance.now() - opened;

  const redraws = async () => viewer.evaluate(() => performance.getEntriesByName('randnoter:redraw').map((e) => e.duration));
  const before = (await redraws()).length;
  insertAnnotation(
    client.doc,
    { id: 'bench-live', kind: 'note', body: 'Ny note', replyTo: null, target: { page: 3 }, color: null, tags: [] },
    null,
    new Date().toISOString(),
  );
  await waitFor(async () => (await viewer.locator('.rn-card').count()) > NOTES, { timeoutMs: 30_000, what: 'the live note' });
  await waitFor(async () => (await redraws()).length > before, { what: 'redraw measured' });
  const all = await redraws();
  const afterChange = all.slice(before);
  const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
  console.log(`notes: ${NOTES}`);
  console.log(`viewer opened → all cards shown: ${fmt(allCards)} (includes loading the PDF and reading its text)`);
  console.log(`first full redraw: ${fmt(all[0] ?? Number.NaN)}`);
  console.log(
    `redraw after one change (median of ${afterChange.length}): ${fmt(afterChange.sort((a, b) => a - b)[Math.floor(afterChange.length / 2)] ?? Number.NaN)}`,
  );
  client.destroy();
} finally {
  await browser.close();
  await server.close();
}
