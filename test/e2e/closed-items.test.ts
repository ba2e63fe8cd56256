/**
 * A closed agenda item in the viewer (docs/CLOSED-ITEMS.md): the secretary closes it in
 * Indhold; a member with closed access comments on it and sees the comment, which the server
 * keeps in the item's room; a member without closed access sees the padlock and nothing of the
 * comment, not even a count; when the first member's access is revoked, the comment leaves their
 * view and their browser's storage. A secretary can exclude a member with closed access from an
 * item in the viewer, and change the exclusions again.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { api } from '../support/api.ts';
import { type ExtensionBrowser, launchWithExtension, openViewer, selectText, signIn } from '../support/browser.ts';
import { needs } from '../support/needs.ts';
import { startTestServer, type TestServer } from '../support/test-server.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/packets/rdm-2023-01');
const BODY = 'Personalesagen: hvem har set indstillingen?';

/** The keys of the extension's local storage that hold a closed item's room. */
const closedCopies = (page: Page) =>
  page.evaluate(async () => {
    const storage = (globalThis as unknown as { chrome: { storage: { local: { get(keys: null): Promise<object> } } } }).chrome.storage
      .local;
    return Object.keys(await storage.get(null)).filter((key) => key.includes('/closed/'));
  });

/** The packet's id as the server gave it to the viewer (remembered beside its local copies). */
async function registeredPacketId(viewer: Page): Promise<string> {
  const id = await viewer.evaluate(async () => {
    const storage = (globalThis as unknown as { chrome: { storage: { local: { get(keys: null): Promise<Record<string, unknown>> } } } })
      .chrome.storage.local;
    return String(Object.entries(await storage.get(null)).find(([key]) => key.includes('/packet/'))?.[1] ?? '');
  });
  return encodeURIComponent(id);
}

/** A comment on item 4 (Frivilligpris) posted to the group's open room; the answer's status. */
async function commentOnItem4(server: TestServer, token: string, groupId: string, packetId: string, body: string): Promise<number> {
  const created = await api(server.url, token, 'POST', `/api/groups/${groupId}/packets/${packetId}/annotations`, {
    id: crypto.randomUUID(),
    kind: 'comment',
    body,
    replyTo: null,
    target: { page: 28, agendaItem: { number: 4, title: 'Frivilligpris' } },
    color: null,
    tags: [],
  });
  return created.status;
}

needs('chromium')('closed agenda items in the viewer', () => {
  let server: TestServer;
  let bo: ExtensionBrowser;
  let anne: ExtensionBrowser;
  let carl: ExtensionBrowser;

  beforeAll(async () => {
    server = await startTestServer({ demoDir: FIXTURE });
    [bo, anne, carl] = await Promise.all([launchWithExtension(), launchWithExtension(), launchWithExtension()]);
  });
  afterAll(async () => {
    await Promise.all([bo?.close(), anne?.close(), carl?.close()]);
    await server?.close();
  });

  it("keeps a closed item's comment to those allowed, and takes it away when access is revoked", async () => {
    const users = {
      bo: await server.addUser('Bo Sekretær', 'udvalg'),
      anne: await server.addUser('Anne Jensen', 'udvalg'),
      carl: await server.addUser('Carl Nielsen', 'udvalg'),
    };
    await server.setAccess('udvalg', users.bo.id, { role: 'secretary', closedAccess: true });
    await server.setAccess('udvalg', users.anne.id, { closedAccess: true });
    await Promise.all([
      signIn(bo, server.url, users.bo.token, 'Bo Sekretær'),
      signIn(anne, server.url, users.anne.token, 'Anne Jensen'),
      signIn(carl, server.url, users.carl.token, 'Carl Nielsen'),
    ]);
    const packetUrl = `${server.url}/demo/packet.pdf`;
    const [b, a, c] = await Promise.all([openViewer(bo, packetUrl), openViewer(anne, packetUrl), openViewer(carl, packetUrl)]);
    for (const page of [b, a, c]) await page.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 60_000 });
    const contentsOf = (page: Page) => page.getByRole('navigation', { name: 'Indhold' });
    const item4 = (page: Page) => contentsOf(page).getByRole('button', { name: /^Punkt 4: Frivilligpris/ });

    // Only the secretary may close an item; the button is a button (keyboard: Tab, Enter).
    await expect(
      contentsOf(a)
        .getByRole('button', { name: /Marker som lukket punkt/ })
        .count(),
    ).resolves.toBe(0);
    const close = contentsOf(b).getByRole('button', { name: 'Marker som lukket punkt: Punkt 4: Frivilligpris' });
    await close.focus();
    await close.press('Enter');
    // The form asks whom to exclude; nobody, this time.
    const form = b.getByRole('form', { name: 'Marker som lukket punkt' });
    await form.getByRole('checkbox', { name: 'Anne Jensen' }).waitFor({ timeout: 10_000 });
    await form.getByRole('button', { name: 'Luk punktet' }).press('Enter');
    await contentsOf(b).getByRole('button', { name: 'Fjern lukket punkt: Punkt 4: Frivilligpris' }).waitFor({ timeout: 10_000 });

    // Everyone in the group sees the padlock (the list is asked for every few seconds).
    await contentsOf(a)
      .getByRole('button', { name: /^Punkt 4: Frivilligpris, Lukket punkt$/ })
      .waitFor({ timeout: 15_000 });
    await contentsOf(c)
      .getByRole('button', { name: /^Punkt 4: Frivilligpris, Lukket punkt, du har ikke adgang$/ })
      .waitFor({ timeout: 15_000 });

    // Anne comments on a passage of item 4: it goes to the item's room, and she sees it under the item.
    await item4(a).click();
    await a.getByLabel('Sidenummer').fill('28');
    await a.getByLabel('Sidenummer').press('Enter');
    await a.locator('.page[data-page-number="28"] .textLayer span').first().waitFor({ timeout: 30_000 });
    await selectText(a, 28, '180-200 mandetimer');
    await a.getByRole('button', { name: 'Del kommentar' }).click();
    await a.getByLabel('Notetekst').fill(BODY);
    await a.getByRole('button', { name: 'Gem' }).click();
    const annesOverview = a.getByRole('complementary', { name: 'Overblik' });
    const annesComment = annesOverview.getByRole('article').filter({ hasText: BODY });
    await annesComment.waitFor({ timeout: 10_000 });
    await contentsOf(a)
      .getByRole('button', { name: /^Punkt 4: Frivilligpris, Lukket punkt, 1 note$/ })
      .waitFor({ timeout: 10_000 });

    // The server has it in the item's room, and not in the open one.
    const { body: listed } = await api<{ packets: Array<{ packetId: string }> }>(server.url, users.anne.token, 'GET', '/api/packets');
    const packetId = encodeURIComponent(listed.packets[0]?.packetId ?? '');
    const inRoom = async (path: string) =>
      (await api<{ items?: Array<{ body?: unknown }> }>(server.url, users.anne.token, 'GET', path)).text.includes(BODY);
    await expect.poll(() => inRoom(`/api/groups/udvalg/packets/${packetId}/items/4/annotations`), { timeout: 10_000 }).toBe(true);
    expect(await inRoom(`/api/groups/udvalg/packets/${packetId}/annotations`)).toBe(false);
    // The secretary, with closed access, sees it too: the room is live.
    const bosOverview = b.getByRole('complementary', { name: 'Overblik' });
    await bosOverview.getByRole('tab', { name: 'Delte kommentarer' }).click();
    await bosOverview.getByText(BODY).waitFor({ timeout: 10_000 });

    // Carl: the padlock, no count, no comment, no local copy of the item's room.
    const carlsOverview = c.getByRole('complementary', { name: 'Overblik' });
    await carlsOverview.getByRole('tab', { name: 'Delte kommentarer' }).click();
    await expect(carlsOverview.getByText(BODY).count()).resolves.toBe(0);
    await expect(item4(c).getAttribute('aria-label')).resolves.toBe('Punkt 4: Frivilligpris, Lukket punkt, du har ikke adgang');
    await expect(closedCopies(c)).resolves.toEqual([]);

    // Exported from the viewer: Anne's file has the comment in its own section; Carl's has no trace.
    const exported = async (viewer: Page) => {
      const overview = viewer.getByRole('complementary', { name: 'Overblik' });
      await overview.getByRole('button', { name: 'Eksporter', exact: true }).click();
      const form = viewer.getByRole('form', { name: 'Eksporter' });
      await form.getByLabel('Format').selectOption({ label: 'Markdown (.md)' });
      const [download] = await Promise.all([viewer.waitForEvent('download'), form.getByRole('button', { name: 'Eksporter nu' }).click()]);
      const text = readFileSync((await download.path()) as string, 'utf8');
      await overview.getByRole('button', { name: 'Eksporter', exact: true }).click();
      return text;
    };
    const annesFile = await exported(a);
    expect(annesFile).toContain('Overblik: Lukkede punkter');
    expect(annesFile.slice(annesFile.indexOf('Overblik: Lukkede punkter'))).toContain(BODY);
    const carlsFile = await exported(c);
    expect(carlsFile).not.toContain(BODY);
    expect(carlsFile).not.toContain('Lukkede punkter');
    expect((await closedCopies(a)).length).toBeGreaterThan(0);

    // Anne's closed access is revoked (as `admin group add-member … --no-closed-access` does): the
    // server closes her socket on the item's room (4404), and the comment leaves her view and storage.
    await server.setAccess('udvalg', users.anne.id, { closedAccess: false });
    await annesComment.waitFor({ state: 'detached', timeout: 15_000 });
    await contentsOf(a)
      .getByRole('button', { name: /^Punkt 4: Frivilligpris, Lukket punkt, du har ikke adgang$/ })
      .waitFor({ timeout: 15_000 });
    await expect.poll(() => closedCopies(a).then((keys) => keys.filter((k) => k.startsWith('doc/'))), { timeout: 10_000 }).toEqual([]);
  });

  it("takes a comment off a member's screen and local copy when the item it is on is closed after it was written", async () => {
    const users = {
      bo: await server.addUser('Bo Sekretær', 'raad'),
      anne: await server.addUser('Anne Jensen', 'raad'),
      carl: await server.addUser('Carl Nielsen', 'raad'),
    };
    await server.setAccess('raad', users.bo.id, { role: 'secretary', closedAccess: true });
    await server.setAccess('raad', users.anne.id, { closedAccess: true });
    const [anne2, carl2] = await Promise.all([launchWithExtension(), launchWithExtension()]);
    try {
      await Promise.all([
        signIn(anne2, server.url, users.anne.token, 'Anne Jensen'),
        signIn(carl2, server.url, users.carl.token, 'Carl Nielsen'),
      ]);
      const packetUrl = `${server.url}/demo/packet.pdf`;
      const [a, c] = await Promise.all([openViewer(anne2, packetUrl), openViewer(carl2, packetUrl)]);
      for (const page of [a, c]) await page.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 60_000 });

      // Anne comments on item 4 while it is open: Carl receives it.
      const text = 'Rohde-sagen bør behandles for lukkede døre';
      const packetId = await registeredPacketId(a);
      expect(await commentOnItem4(server, users.anne.token, 'raad', packetId, text)).toBe(201);
      const carlsOverview = c.getByRole('complementary', { name: 'Overblik' });
      await carlsOverview.getByRole('tab', { name: 'Delte kommentarer' }).click();
      await carlsOverview.getByText(text).waitFor({ timeout: 10_000 });
      const heldBy = (page: Page) =>
        page.evaluate(async (wanted) => {
          const storage = (
            globalThis as unknown as { chrome: { storage: { local: { get(keys: null): Promise<Record<string, unknown>> } } } }
          ).chrome.storage.local;
          const bytes = (value: unknown) => (typeof value === 'string' ? Uint8Array.from(atob(value), (ch) => ch.charCodeAt(0)) : null);
          return Object.entries(await storage.get(null))
            .filter(([key]) => key.startsWith('doc/'))
            .some(([, value]) => new TextDecoder().decode(bytes(value) ?? new Uint8Array()).includes(wanted));
        }, text);
      await expect.poll(() => heldBy(c), { timeout: 10_000 }).toBe(true);

      // The secretary closes item 4: the server moves the comment and rewrites the open room (1012).
      const closed = await api(server.url, users.bo.token, 'PUT', `/api/groups/raad/packets/${packetId}/items/4/access`, { closed: true });
      expect(closed.status).toBe(200);
      await carlsOverview.getByText(text).waitFor({ state: 'detached', timeout: 15_000 });
      await expect.poll(() => heldBy(c), { timeout: 10_000 }).toBe(false);
      // Anne, who may read the item, still has it: now from the item's room.
      const annesOverview = a.getByRole('complementary', { name: 'Overblik' });
      await annesOverview.getByRole('tab', { name: 'Delte kommentarer' }).click();
      await annesOverview.getByText(text).waitFor({ timeout: 15_000 });
      await c
        .getByRole('navigation', { name: 'Indhold' })
        .getByRole('button', { name: /^Punkt 4: Frivilligpris, Lukket punkt, du har ikke adgang$/ })
        .waitFor({ timeout: 15_000 });
    } finally {
      await Promise.all([anne2.close(), carl2.close()]);
    }
  });

  it('lets the secretary exclude a member with closed access from an item in the viewer, and let them back in', async () => {
    const users = {
      bo: await server.addUser('Bo Sekretær', 'byraad'),
      anne: await server.addUser('Anne Jensen', 'byraad'),
      carl: await server.addUser('Carl Nielsen', 'byraad'),
    };
    await server.setAccess('byraad', users.bo.id, { role: 'secretary', closedAccess: true });
    await server.setAccess('byraad', users.anne.id, { closedAccess: true });
    const [bo3, anne3] = await Promise.all([launchWithExtension(), launchWithExtension()]);
    try {
      await Promise.all([
        signIn(bo3, server.url, users.bo.token, 'Bo Sekretær'),
        signIn(anne3, server.url, users.anne.token, 'Anne Jensen'),
      ]);
      const packetUrl = `${server.url}/demo/packet.pdf`;
      const [b, a] = await Promise.all([openViewer(bo3, packetUrl), openViewer(anne3, packetUrl)]);
      for (const page of [b, a]) await page.getByRole('status').filter({ hasText: 'Forbundet' }).waitFor({ timeout: 60_000 });
      const contentsOf = (page: Page) => page.getByRole('navigation', { name: 'Indhold' });

      // Anne comments on item 4 while it is open (the packet's id is the one her viewer registered).
      const text = 'Habilitet: Anne er i familie med ansøgeren';
      const packetId = await registeredPacketId(a);
      expect(await commentOnItem4(server, users.anne.token, 'byraad', packetId, text)).toBe(201);
      const annesOverview = a.getByRole('complementary', { name: 'Overblik' });
      await annesOverview.getByRole('tab', { name: 'Delte kommentarer' }).click();
      await annesOverview.getByText(text).waitFor({ timeout: 10_000 });

      // Bo closes item 4 with the keyboard, excluding Anne; he is not offered himself.
      const close = contentsOf(b).getByRole('button', { name: 'Marker som lukket punkt: Punkt 4: Frivilligpris' });
      await close.focus();
      await close.press('Enter');
      const form = b.getByRole('form', { name: 'Marker som lukket punkt' });
      const anneBox = form.getByRole('checkbox', { name: 'Anne Jensen' });
      await anneBox.waitFor({ timeout: 10_000 });
      await expect(form.getByRole('checkbox').count()).resolves.toBe(2);
      await expect(form.getByRole('checkbox', { name: 'Bo Sekretær' }).count()).resolves.toBe(0);
      await expect.poll(() => anneBox.evaluate((el) => el === document.activeElement)).toBe(true);
      await anneBox.press('Space');
      await form.getByRole('button', { name: 'Luk punktet' }).press('Enter');
      await form.waitFor({ state: 'detached', timeout: 10_000 });
      const unmark = contentsOf(b).getByRole('button', { name: 'Fjern lukket punkt: Punkt 4: Frivilligpris' });
      await unmark.waitFor({ timeout: 10_000 });
      await expect.poll(() => unmark.evaluate((el) => el === document.activeElement), { timeout: 10_000 }).toBe(true);
      const access = await api<{ items: Array<{ itemNumber: number; excluded?: string[] }> }>(
        server.url,
        users.anne.token,
        'GET',
        `/api/groups/byraad/packets/${packetId}/closed-items`,
      );
      expect(access.body.items).toEqual([{ itemNumber: 4, mayRead: false }]);

      // Anne, though she has closed access: the padlock without access, and the comment gone.
      await contentsOf(a)
        .getByRole('button', { name: /^Punkt 4: Frivilligpris, Lukket punkt, du har ikke adgang$/ })
        .waitFor({ timeout: 15_000 });
      await annesOverview.getByText(text).waitFor({ state: 'detached', timeout: 15_000 });

      // "Ret udelukkede": Bo lets her back in, and the comment comes back to her from the item's room.
      await contentsOf(b).getByRole('button', { name: 'Ret udelukkede: Punkt 4: Frivilligpris' }).click();
      const edit = b.getByRole('form', { name: 'Ret udelukkede' });
      const checked = edit.getByRole('checkbox', { name: 'Anne Jensen', checked: true });
      await checked.waitFor({ timeout: 10_000 });
      await checked.uncheck();
      await edit.getByRole('button', { name: 'Gem udelukkede' }).click();
      await edit.waitFor({ state: 'detached', timeout: 10_000 });
      await contentsOf(a)
        .getByRole('button', { name: /^Punkt 4: Frivilligpris, Lukket punkt(, 1 note)?$/ })
        .waitFor({ timeout: 15_000 });
      // Her viewer started again when the item was closed (the group's room was rewritten): its tabs too.
      await annesOverview.getByRole('tab', { name: 'Delte kommentarer' }).click();
      await annesOverview.getByText(text).waitFor({ timeout: 15_000 });
    } finally {
      await Promise.all([bo3.close(), anne3.close()]);
    }
  });
});
