/**
 * The toolbar button. Its name on a site where Randnoter is not active is "Aktivér Randnoter på
 * dette websted" (the same is in its context menu): the click asks for the site's access (the
 * browser asks the user), adds the site to the user's "Mødeportaler", registers the page script
 * there and starts it in the tab at once. Then, as on an active site, it shows or hides the sidebar
 * of an HTML page, and opens anything else (a PDF) in the viewer.
 */
import type { PageRequest } from '../messaging/sidebar-messages.ts';
import { type PermissionsLike, requestHostAccess } from './host-access.ts';
import { hostOfUrl, isActiveOn, patternOf, type SiteAccess } from './site-patterns.ts';

export interface ActivationDeps {
  permissions: PermissionsLike;
  current(): Promise<SiteAccess>;
  addUserHost(host: string): Promise<void>;
  /** Registers the page scripts for the hosts as they are now. */
  sync(): Promise<void>;
  /** Asks the page script in the tab's top frame; rejects when none answers. */
  askPage(tabId: number, request: PageRequest): Promise<unknown>;
  /** Starts the page script in the tab now; rejects when the browser will not (Firefox's PDF viewer). */
  injectPageScript(tabId: number): Promise<unknown>;
  openInViewer(tabId: number, url: string): Promise<unknown>;
  openOptions(): Promise<unknown>;
  /** A short wait between asking a page script that is still starting. */
  pause(): Promise<void>;
}

/** How often to ask a page script just started before giving up on it (with `pause` between). */
const TRIES = 30;

export function activateTab(tab: { id?: number; url?: string }, deps: ActivationDeps): Promise<void> {
  const hostname = hostOfUrl(tab.url);
  if (tab.id === undefined || !tab.url || hostname === null) return deps.openOptions().then(() => {});
  // Before anything is awaited: the browser lets the extension ask only during the user's click.
  const access = requestHostAccess(deps.permissions, [patternOf(hostname)]);
  return showOn(tab.id, tab.url, hostname, access, deps);
}

async function showOn(tabId: number, url: string, hostname: string, access: Promise<boolean>, deps: ActivationDeps): Promise<void> {
  // Refused: nothing changes, and nothing is read from the page.
  if (!(await access)) return;
  if (!isActiveOn(await deps.current(), url)) {
    await deps.addUserHost(hostname);
    await deps.sync();
  }
  const toggled = await deps.askPage(tabId, { type: 'rn:toggle-sidebar' }).catch(() => undefined);
  if (toggled === true) return;
  if (toggled === undefined) {
    // No page script in the tab yet (it loaded before the site was active): start one.
    const started = await deps.injectPageScript(tabId).then(
      () => true,
      () => false,
    );
    if (started && (await sidebarShown(tabId, deps)) === true) return;
  }
  await deps.openInViewer(tabId, url);
}

/** The started script's answer to "show the sidebar" (true; false on a page that is not HTML), once it listens. */
async function sidebarShown(tabId: number, deps: ActivationDeps): Promise<unknown> {
  for (let i = 0; i < TRIES; i++) {
    const shown = await deps.askPage(tabId, { type: 'rn:show-sidebar' }).catch(() => undefined);
    if (shown !== undefined) return shown;
    await deps.pause();
  }
  return undefined;
}
