/**
 * The background keeps the page scripts registered for the active hosts: at every start and after
 * every change of the user's settings or the organisation's policy, one registration at a time,
 * each for the hosts as they are when it begins.
 */
import { type PageScript, pageScriptsFor, registerPageScripts, type ScriptingLike } from './page-scripts.ts';
import type { SiteAccess } from './site-patterns.ts';

export interface SiteDeps {
  load(): Promise<SiteAccess>;
  scripting: ScriptingLike;
  /** Whether PDFs are taken over by a page script (Chrome, Edge) rather than webRequest (Firefox). */
  takeoverByScript: boolean;
  /** Calls back when the settings or the policy change, until the returned function is called. */
  watch(onChange: () => void): () => void;
}

export interface FollowedSites {
  /** Registers for the hosts as they are now; resolves once that registration is done. */
  sync(): Promise<void>;
  /** The hosts as last read. */
  current(): Promise<SiteAccess>;
  stop(): void;
}

export function followSites(deps: SiteDeps): FollowedSites {
  let sites: Promise<SiteAccess> = deps.load();
  let registrations = Promise.resolve();
  const register = (wanted: Promise<SiteAccess>) => {
    registrations = registrations
      .then(async () => {
        const scripts: PageScript[] = pageScriptsFor(await wanted, deps.takeoverByScript);
        await registerPageScripts(deps.scripting, scripts);
      })
      .catch((error: unknown) => console.error('Randnoter: registering the page scripts failed', error));
    return registrations;
  };
  const sync = () => {
    sites = deps.load();
    return register(sites);
  };
  void register(sites);
  const stop = deps.watch(() => void sync());
  return { sync, current: () => sites, stop };
}
