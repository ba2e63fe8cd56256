/**
 * The page scripts are registered for the active sites and nothing else, kept up to date as the
 * sites change (a fake of the browser's scripting API that keeps its registrations as Chrome does).
 */
import { describe, expect, it } from 'vitest';
import { followSites } from './follow-sites.ts';
import { type PageScript, pageScriptsFor, registerPageScripts, type ScriptingLike } from './page-scripts.ts';
import type { SiteAccess } from './site-patterns.ts';

/** Registrations as the browser keeps them; registering an id twice, or updating a missing one, fails as in Chrome. */
function fakeScripting(): ScriptingLike & { scripts: Map<string, PageScript>; calls: string[] } {
  const scripts = new Map<string, PageScript>();
  const calls: string[] = [];
  return {
    scripts,
    calls,
    async getRegisteredContentScripts(filter) {
      return [...scripts.values()].filter((s) => !filter?.ids || filter.ids.includes(s.id));
    },
    async registerContentScripts(list) {
      calls.push(`register ${list.map((s) => s.id).join(',')}`);
      for (const s of list) {
        if (scripts.has(s.id)) throw new Error(`Duplicate script ID '${s.id}'`);
        if (s.matches.length === 0) throw new Error('matches must not be empty');
      }
      for (const s of list) scripts.set(s.id, s);
    },
    async updateContentScripts(list) {
      calls.push(`update ${list.map((s) => s.id).join(',')}`);
      for (const s of list) {
        if (!scripts.has(s.id)) throw new Error(`No script with ID '${s.id}'`);
        scripts.set(s.id, s);
      }
    },
    async unregisterContentScripts(filter) {
      calls.push(`unregister ${filter?.ids?.join(',')}`);
      for (const id of filter?.ids ?? [...scripts.keys()]) scripts.delete(id);
    },
  };
}

const matchesOf = (scripting: ReturnType<typeof fakeScripting>) =>
  Object.fromEntries([...scripting.scripts.values()].map((s) => [s.id, [s.runAt, ...s.matches]]));

describe('the page scripts the sites call for', () => {
  const sites: SiteAccess = { hosts: ['dagsorden.aarhus.dk', '*.odense.dk'], takeover: 'listedHosts' };

  it('the agenda script on the active sites, and the PDF look where PDFs open in the viewer', () => {
    const [agenda, takeover] = pageScriptsFor(sites, true);
    expect(agenda).toMatchObject({
      js: ['content-scripts/agenda.js'],
      matches: ['*://dagsorden.aarhus.dk/*', '*://*.odense.dk/*'],
      runAt: 'document_idle',
      allFrames: false,
    });
    expect(takeover).toMatchObject({ js: ['content-scripts/pdf-takeover.js'], matches: agenda?.matches, runAt: 'document_start' });
    expect(pageScriptsFor({ ...sites, takeover: 'all' }, true)[1]?.matches).toEqual(['*://*/*']);
    // Firefox takes PDFs over by webRequest; nothing runs where PDFs are left alone.
    expect(pageScriptsFor(sites, false).map((s) => s.id)).not.toContain('randnoter-pdf-takeover');
    expect(pageScriptsFor({ ...sites, takeover: 'off' }, true).map((s) => s.id)).not.toContain('randnoter-pdf-takeover');
    // The in-place overlay of portals' pdf.js viewers, in every frame of the active sites: only the
    // read-only probe runs in the page's own world.
    const inPlace = pageScriptsFor(sites, false).filter((s) => s.allFrames);
    expect(inPlace.map(({ js, matches, world }) => ({ js, matches, world }))).toEqual([
      { js: ['content-scripts/pdfjs-probe.js'], matches: agenda?.matches, world: 'MAIN' },
      { js: ['content-scripts/inplace.js'], matches: agenda?.matches, world: undefined },
    ]);
    // No site: no script at all, not even on every page.
    expect(pageScriptsFor({ hosts: [], takeover: 'listedHosts' }, true)).toEqual([]);
  });

  it('registers, updates and removes exactly what changed, leaving others’ scripts alone', async () => {
    const scripting = fakeScripting();
    scripting.scripts.set('someone-else', {
      id: 'someone-else',
      js: ['x.js'],
      matches: ['*://x.example/*'],
      runAt: 'document_idle',
      allFrames: false,
      persistAcrossSessions: true,
    });
    await registerPageScripts(scripting, pageScriptsFor(sites, true));
    expect(matchesOf(scripting)).toEqual({
      'someone-else': ['document_idle', '*://x.example/*'],
      'randnoter-agenda': ['document_idle', '*://dagsorden.aarhus.dk/*', '*://*.odense.dk/*'],
      'randnoter-pdf-takeover': ['document_start', '*://dagsorden.aarhus.dk/*', '*://*.odense.dk/*'],
      'randnoter-pdfjs-probe': ['document_idle', '*://dagsorden.aarhus.dk/*', '*://*.odense.dk/*'],
      'randnoter-inplace': ['document_idle', '*://dagsorden.aarhus.dk/*', '*://*.odense.dk/*'],
    });
    await registerPageScripts(scripting, pageScriptsFor({ hosts: ['dagsorden.aarhus.dk'], takeover: 'off' }, true));
    expect(matchesOf(scripting)).toEqual({
      'someone-else': ['document_idle', '*://x.example/*'],
      'randnoter-agenda': ['document_idle', '*://dagsorden.aarhus.dk/*'],
      'randnoter-pdfjs-probe': ['document_idle', '*://dagsorden.aarhus.dk/*'],
      'randnoter-inplace': ['document_idle', '*://dagsorden.aarhus.dk/*'],
    });
    await registerPageScripts(scripting, []);
    expect([...scripting.scripts.keys()]).toEqual(['someone-else']);
  });
});

describe('following the sites', () => {
  it('registers at start and after every change, one registration at a time, ending with the sites as they are', async () => {
    const scripting = fakeScripting();
    let sites: SiteAccess = { hosts: [], takeover: 'off' };
    let changed = () => {};
    const followed = followSites({
      load: async () => sites,
      scripting,
      takeoverByScript: true,
      watch: (onChange) => {
        changed = onChange;
        return () => {};
      },
    });
    await followed.sync();
    expect(scripting.scripts.size).toBe(0);

    sites = { hosts: ['a.example'], takeover: 'off' };
    changed();
    sites = { hosts: ['a.example', 'b.example'], takeover: 'listedHosts' };
    changed();
    await followed.sync();
    expect(matchesOf(scripting)).toEqual({
      'randnoter-agenda': ['document_idle', '*://a.example/*', '*://b.example/*'],
      'randnoter-pdf-takeover': ['document_start', '*://a.example/*', '*://b.example/*'],
      'randnoter-pdfjs-probe': ['document_idle', '*://a.example/*', '*://b.example/*'],
      'randnoter-inplace': ['document_idle', '*://a.example/*', '*://b.example/*'],
    });
    await expect(followed.current()).resolves.toEqual(sites);
  });
});
