/**
 * Replicas of a notes room (devices of one user, partly offline) make random edits while their
 * updates arrive late, out of order and twice. Once everything is delivered, every replica holds
 * the same annotations, and a delete made anywhere wins over edits made elsewhere meanwhile.
 */

import type { AnnotationDraft } from '@randnoter/shared/model/annotation';
import { insertAnnotation, patchAnnotation, readAnnotations } from '@randnoter/shared/model/annotation-doc';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { seededRandom } from '../support/seeded-random.ts';

const draft = (id: string, body: string): AnnotationDraft => ({
  id,
  kind: 'note',
  body,
  replyTo: null,
  target: { page: 1 + (body.length % 40) },
  color: null,
  tags: [],
});

function run(seed: number): void {
  const random = seededRandom(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
  const replicas = Array.from({ length: 4 }, () => new Y.Doc());
  const inbox: Array<{ to: number; update: Uint8Array }> = [];
  replicas.forEach((doc, from) => {
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'remote') return;
      for (let to = 0; to < replicas.length; to++) if (to !== from) inbox.push({ to, update });
    });
  });
  const deletedSomewhere = new Set<string>();
  const ids: string[] = [];
  for (let step = 0; step < 300; step++) {
    const r = pick(replicas.map((_, i) => i));
    const doc = replicas[r] as Y.Doc;
    const op = random();
    const now = new Date(Date.UTC(2026, 0, 1, 0, 0, step)).toISOString();
    if (op < 0.3 || ids.length === 0) {
      const id = `n${seed}-${step}`;
      ids.push(id);
      insertAnnotation(doc, draft(id, `note ${step}`), null, now);
    } else if (op < 0.6) {
      patchAnnotation(doc, pick(ids), { body: `edit ${step} on ${r}` }, now);
    } else if (op < 0.75) {
      patchAnnotation(doc, pick(ids), { resolved: random() < 0.5 }, now);
    } else if (op < 0.85) {
      const id = pick(ids);
      if (patchAnnotation(doc, id, { deleted: true, body: '' }, now)) deletedSomewhere.add(id);
    }
    // Deliver some of what is waiting, in random order, sometimes twice.
    const deliveries = Math.floor(random() * 4);
    for (let d = 0; d < deliveries && inbox.length > 0; d++) {
      const index = Math.floor(random() * inbox.length);
      const message = inbox[index] as { to: number; update: Uint8Array };
      if (random() < 0.8) inbox.splice(index, 1);
      Y.applyUpdate(replicas[message.to] as Y.Doc, message.update, 'remote');
    }
  }
  while (inbox.length > 0) {
    const message = inbox.splice(Math.floor(random() * inbox.length), 1)[0] as { to: number; update: Uint8Array };
    Y.applyUpdate(replicas[message.to] as Y.Doc, message.update, 'remote');
  }

  const views = replicas.map((doc) => readAnnotations(doc).sort((a, b) => a.id.localeCompare(b.id)));
  for (const view of views.slice(1)) expect(view).toEqual(views[0]);
  const deleted = new Set((views[0] ?? []).filter((a) => a.deleted).map((a) => a.id));
  for (const id of deletedSomewhere) expect(deleted.has(id), `${id} deleted on one device stays deleted`).toBe(true);
}

describe('annotation replicas converge', () => {
  const seeds = Number(process.env.RANDNOTER_SEEDS ?? 12);
  it(`under late, reordered and duplicated delivery (${seeds} seeds)`, () => {
    for (let seed = 1; seed <= seeds; seed++) run(seed);
  });
});
