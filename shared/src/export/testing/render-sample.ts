/** Overview models of the sample packet for renderer tests: the ordinary one and one full of hostile strings. */
import { createAnchorer } from '../../anchoring/anchor.ts';
import type { ExportLanguage } from '../export-labels.ts';
import { buildOverview, type OverviewModel } from '../overview-model.ts';
import { HOSTILE, hostileNotes, hostileOutline, sampleNotes, sampleOutline, samplePacket, sampleShared } from './sample-packet.ts';

const NOW = new Date('2023-01-22T07:00:00Z');

export function sampleModel(language: ExportLanguage = 'da', includeEmptyItems = false): OverviewModel {
  return buildOverview({
    title: 'Byrådet 23. januar',
    outline: sampleOutline,
    notes: sampleNotes,
    shared: sampleShared,
    anchor: createAnchorer(samplePacket, { outline: sampleOutline }),
    language,
    includeEmptyItems,
    timeZone: 'Europe/Copenhagen',
    now: NOW,
  });
}

/** Every user-written string hostile: bodies, names, group names, agenda titles and the packet title. */
export function hostileModel(): OverviewModel {
  const notes = hostileNotes();
  return buildOverview({
    title: HOSTILE[0],
    outline: hostileOutline,
    notes,
    shared: notes.map((n, i) => ({ ...n, id: `s${i}`, kind: 'comment' as const })),
    anchor: createAnchorer(samplePacket, { outline: hostileOutline }),
    includeEmptyItems: true,
    timeZone: 'Europe/Copenhagen',
    now: NOW,
  });
}
