/**
 * Reads the viewer's document through the probe: what it is (fingerprint, pages), every page's
 * text and own rotation, and the bookmarks, each answer checked (messaging/probe-messages.ts). A
 * page whose text does not come, or comes malformed, counts as a page without text: its text
 * layer will then not match, so nothing is anchored on it rather than something anchored wrongly.
 */
import { type TextItemLike, textItemsOf } from '@randnoter/shared/text/page-text';
import type { InPlaceDocument } from '../messaging/inplace-messages.ts';
import { type ProbeInfo, readProbeOutline, readProbePageText, readProbeRotations } from '../messaging/probe-messages.ts';
import type { ProbeClient } from './probe-client.ts';

export async function readViewerDocument(probe: ProbeClient, info: ProbeInfo): Promise<InPlaceDocument> {
  const pages: TextItemLike[][] = [];
  for (let page = 1; page <= info.pages; page++) {
    pages.push(textItemsOf(readProbePageText(await probe.ask({ ask: 'page-text', page })) ?? []));
  }
  // Unknown rotations read as none turned: only region notes on pages printed turned are off then.
  const rotations = readProbeRotations(await probe.ask({ ask: 'rotations' }), info.pages) ?? [];
  const outline = readProbeOutline(await probe.ask({ ask: 'outline' }), info.pages);
  return { kind: info.kind, fingerprint: info.fingerprint, url: info.url, title: info.title, pages, rotations, outline };
}
