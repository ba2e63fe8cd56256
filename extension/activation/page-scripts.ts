/**
 * The extension's scripts in web pages are registered at run time for exactly the active hosts
 * (scripting.registerContentScripts); the manifest lists none, so no other page gets one. A
 * registration is kept across browser restarts and brought up to date whenever the hosts change.
 * The browser also needs the host's access (host-access.ts) before it runs one there.
 */
import type { SiteAccess } from './site-patterns.ts';
import { EVERY_SITE, patternOf } from './site-patterns.ts';

/** The built content scripts (WXT names them after their entrypoints). */
const AGENDA_JS = 'content-scripts/agenda.js';
const PDF_TAKEOVER_JS = 'content-scripts/pdf-takeover.js';
const PROBE_JS = 'content-scripts/pdfjs-probe.js';
const INPLACE_JS = 'content-scripts/inplace.js';
const AGENDA_ID = 'randnoter-agenda';
const PDF_TAKEOVER_ID = 'randnoter-pdf-takeover';
const PROBE_ID = 'randnoter-pdfjs-probe';
const INPLACE_ID = 'randnoter-inplace';
const OURS = [AGENDA_ID, PDF_TAKEOVER_ID, PROBE_ID, INPLACE_ID];

export interface PageScript {
  id: string;
  js: string[];
  matches: string[];
  runAt: 'document_start' | 'document_idle';
  allFrames: boolean;
  /** The page's own JavaScript world (only the read-only probe) or the extension's isolated one (the default). */
  world?: 'MAIN' | 'ISOLATED';
  persistAcrossSessions: boolean;
}

export interface ScriptingLike {
  getRegisteredContentScripts(filter?: { ids?: string[] }): Promise<Array<{ id: string }>>;
  registerContentScripts(scripts: PageScript[]): Promise<unknown>;
  updateContentScripts(scripts: PageScript[]): Promise<unknown>;
  unregisterContentScripts(filter?: { ids?: string[] }): Promise<unknown>;
}

const script = (id: string, js: string, matches: string[], runAt: PageScript['runAt']): PageScript => ({
  id,
  js: [js],
  matches,
  runAt,
  allFrames: false,
  persistAcrossSessions: true,
});

/**
 * The scripts the hosts call for: the agenda script (sidebar, highlights) and the in-place overlay
 * of pdf.js viewers on every active host;
 * where PDFs open in the viewer by themselves and the browser runs scripts in a PDF tab (Chrome,
 * Edge; not Firefox, which uses webRequest instead: pdf-takeover.ts), a script that only looks at
 * the document's type, on the hosts that applies to.
 */
export function pageScriptsFor(sites: SiteAccess, takeoverByScript: boolean): PageScript[] {
  const hostPatterns = sites.hosts.map(patternOf);
  const scripts: PageScript[] = [];
  if (hostPatterns.length > 0) scripts.push(script(AGENDA_ID, AGENDA_JS, hostPatterns, 'document_idle'));
  const takeoverPatterns = sites.takeover === 'all' ? [EVERY_SITE] : sites.takeover === 'listedHosts' ? hostPatterns : [];
  if (takeoverByScript && takeoverPatterns.length > 0)
    scripts.push(script(PDF_TAKEOVER_ID, PDF_TAKEOVER_JS, takeoverPatterns, 'document_start'));
  // The in-place overlay on a portal's pdf.js viewer, in every frame (portals frame their viewers):
  // the read-only probe in the page's world, and the overlay in the extension's.
  if (hostPatterns.length > 0) {
    scripts.push({ ...script(PROBE_ID, PROBE_JS, hostPatterns, 'document_idle'), allFrames: true, world: 'MAIN' });
    scripts.push({ ...script(INPLACE_ID, INPLACE_JS, hostPatterns, 'document_idle'), allFrames: true });
  }
  return scripts;
}

/** Makes the registered scripts exactly `wanted`: updates what is there, adds what is not, removes the rest of ours. */
export async function registerPageScripts(scripting: ScriptingLike, wanted: PageScript[]): Promise<void> {
  const registered = new Set((await scripting.getRegisteredContentScripts({ ids: OURS })).map((s) => s.id));
  const update = wanted.filter((s) => registered.has(s.id));
  const add = wanted.filter((s) => !registered.has(s.id));
  const remove = [...registered].filter((id) => !wanted.some((s) => s.id === id));
  if (remove.length > 0) await scripting.unregisterContentScripts({ ids: remove });
  if (update.length > 0) await scripting.updateContentScripts(update);
  if (add.length > 0) await scripting.registerContentScripts(add);
}

/** The agenda script's file, for injecting it into a tab at once (activate-site.ts). */
export const AGENDA_SCRIPT_FILE = `/${AGENDA_JS}`;
