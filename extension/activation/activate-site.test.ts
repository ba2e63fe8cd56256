/**
 * The toolbar button on a site where Randnoter is not active asks for the site at the click,
 * lists it, starts the page script at once and shows the sidebar; refused, it changes nothing.
 * The browser's APIs are small fakes that behave as Chrome's do.
 */
import { describe, expect, it } from 'vitest';
import type { PageRequest } from '../messaging/sidebar-messages.ts';
import { type ActivationDeps, activateTab } from './activate-site.ts';
import type { SiteAccess } from './site-patterns.ts';

interface Fake extends ActivationDeps {
  log: string[];
  hosts: string[];
}

/** A tab whose page script answers only once started (or was there already), and a user who answers the browser's question. */
function fake(options: { userSays: boolean; scriptRunning?: boolean; html?: boolean; startsAfter?: number }): Fake {
  const log: string[] = [];
  const hosts: string[] = [];
  let running = options.scriptRunning ?? false;
  let asksUntilListening = 0;
  let granted = false;
  return {
    log,
    hosts,
    permissions: {
      // Called during the click: the only moment the browser asks.
      request: ({ origins }) => {
        log.push(`request ${origins.join(',')}`);
        granted = options.userSays;
        return Promise.resolve(granted);
      },
      contains: async () => granted,
    },
    current: async (): Promise<SiteAccess> => ({ hosts: [...hosts], takeover: 'off' }),
    addUserHost: async (host) => {
      log.push(`add ${host}`);
      hosts.push(host);
    },
    sync: async () => {
      log.push('sync');
    },
    askPage: async (_tabId: number, request: PageRequest) => {
      if (!running || asksUntilListening-- > 0) throw new Error('Could not establish connection. Receiving end does not exist.');
      log.push(request.type);
      return options.html ?? true;
    },
    injectPageScript: async () => {
      log.push('inject');
      running = true;
      asksUntilListening = options.startsAfter ?? 0;
    },
    openInViewer: async (_tabId, url) => {
      log.push(`viewer ${url}`);
    },
    openOptions: async () => {
      log.push('options');
    },
    pause: async () => {},
  };
}

const AGENDA = { id: 7, url: 'https://dagsorden.aarhus.dk/moede/12' };

describe('the toolbar button', () => {
  it('asks for the site first, lists it, starts the page script now and shows the sidebar once it listens', async () => {
    const deps = fake({ userSays: true, startsAfter: 3 });
    await activateTab(AGENDA, deps);
    expect(deps.log).toEqual(['request *://dagsorden.aarhus.dk/*', 'add dagsorden.aarhus.dk', 'sync', 'inject', 'rn:show-sidebar']);
  });

  it('asks before anything else is awaited: the browser allows the question only during the click', () => {
    const deps = fake({ userSays: true });
    void activateTab(AGENDA, deps);
    expect(deps.log).toEqual(['request *://dagsorden.aarhus.dk/*']);
  });

  it('changes nothing and reads nothing from the page when the user says no', async () => {
    const deps = fake({ userSays: false });
    await activateTab(AGENDA, deps);
    expect(deps.log).toEqual(['request *://dagsorden.aarhus.dk/*']);
    expect(deps.hosts).toEqual([]);
  });

  it('on an active site with its script running, toggles the sidebar; a PDF there opens in the viewer', async () => {
    const deps = fake({ userSays: true, scriptRunning: true });
    deps.hosts.push('dagsorden.aarhus.dk');
    await activateTab(AGENDA, deps);
    expect(deps.log).toEqual(['request *://dagsorden.aarhus.dk/*', 'rn:toggle-sidebar']);

    const pdf = fake({ userSays: true, scriptRunning: true, html: false });
    pdf.hosts.push('dagsorden.aarhus.dk');
    await activateTab({ id: 8, url: 'https://dagsorden.aarhus.dk/pakke.pdf' }, pdf);
    expect(pdf.log.slice(1)).toEqual(['rn:toggle-sidebar', 'viewer https://dagsorden.aarhus.dk/pakke.pdf']);
  });

  it('opens the viewer where no page script can start (Firefox’s PDF viewer), and the options on a non-web page', async () => {
    const deps = fake({ userSays: true });
    deps.injectPageScript = async () => {
      deps.log.push('inject refused');
      throw new Error('Missing host permission for the tab');
    };
    await activateTab({ id: 9, url: 'https://dagsorden.aarhus.dk/pakke.pdf' }, deps);
    expect(deps.log.slice(-2)).toEqual(['inject refused', 'viewer https://dagsorden.aarhus.dk/pakke.pdf']);

    const blank = fake({ userSays: true });
    await activateTab({ id: 10, url: 'chrome://newtab/' }, blank);
    expect(blank.log).toEqual(['options']);
  });
});
