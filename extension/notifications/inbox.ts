/**
 * The page's inbox "Til mig" (docs/NOTIFICATIONS.md): the user's notifications, newest first,
 * fetched when the page's socket connects (so none missed while offline is lost) and added to
 * live as message 101 brings them; reading marks them read on the server. While the socket is
 * connected, the page reports the unread count to the background for the toolbar badge
 * (messaging/notify-messages.ts); the port closing hands the count back to the background.
 */
import type { UnreadReport } from '../messaging/notify-messages.ts';
import {
  fetchNotifications,
  fetchPackets,
  fetchUnreadCount,
  markNotificationsRead,
  type Notification,
  type ServerIdentity,
} from '../sync/server-api.ts';

/** The part of a runtime port the inbox uses. */
interface LivePort {
  postMessage(message: UnreadReport): void;
  disconnect(): void;
}

export interface InboxDeps {
  identity: ServerIdentity;
  /** The packet open on this page: reading a comment here marks its notifications read by comment id. */
  packetId: string;
  /** Opens the port to the background (runtime.connect with NOTIFY_PORT). */
  connect(): LivePort;
  /** Runs a call; once more with a renewed token when the server answers 401 (auth/page-access.ts). */
  withRenewal<T>(call: () => Promise<T>): Promise<T>;
}

export interface Inbox {
  /** Newest first: the first page, and the older pages shown (showOlder). */
  items(): readonly Notification[];
  /** Whether there are older notifications than those shown (the next page is fetched ahead, so this is known). */
  hasOlder(): boolean;
  /** "Vis ældre": the next older page joins the list. */
  showOlder(): Promise<void>;
  unread(): number;
  /** Packet titles by id, as GET /api/packets names them (for notifications on other packets). */
  titles(): ReadonlyMap<string, string | null>;
  /** The page's socket connected (fetch everything, report to the background) or went away. */
  setLive(live: boolean): void;
  /** The JSON of a message 101. */
  received(json: string): void;
  /** The user read this comment (focused its card): its notifications are read. */
  readComment(annotationId: string): Promise<void>;
  /** "Markér alle som læst": every notification on the packet. */
  readPacket(packetId: string): Promise<void>;
  onChange(listener: () => void): () => void;
  /** A failed call, with its error (the UI says it as a problem). */
  onProblem(listener: (error: unknown) => void): () => void;
  destroy(): void;
}

const isNotification = (value: unknown): value is Notification => {
  if (typeof value !== 'object' || value === null) return false;
  const n = value as Record<string, unknown>;
  return (
    typeof n.id === 'string' &&
    typeof n.reason === 'string' &&
    typeof n.packetId === 'string' &&
    typeof n.annotationId === 'string' &&
    typeof (n.actor as { name?: unknown } | undefined)?.name === 'string'
  );
};

export function openInbox(deps: InboxDeps): Inbox {
  let items: Notification[] = [];
  /** The page older than `items`, fetched ahead so the button shows only when there is one; null until known. */
  let older: Notification[] | null = null;
  let unread = 0;
  let titles = new Map<string, string | null>();
  let port: LivePort | null = null;
  /** Comments read on this page: a notification about one that arrives later (or with the list) is read here too. */
  const readHere = new Set<string>();
  let destroyed = false;
  const listeners = new Set<() => void>();
  const problemListeners = new Set<(error: unknown) => void>();
  const changed = () => {
    port?.postMessage({ type: 'rn:unread', count: unread });
    for (const listener of listeners) listener();
  };
  const problem = (error: unknown) => {
    for (const listener of problemListeners) listener(error);
  };
  const byNewest = (a: Notification, b: Notification) => b.id.length - a.id.length || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

  /** Counts are asked for again after every change; only the answer to the newest question is shown. */
  let asked = 0;
  const askCount = async (): Promise<{ count: number; newest: boolean }> => {
    const mine = ++asked;
    const count = await deps.withRenewal(() => fetchUnreadCount(deps.identity));
    return { count, newest: mine === asked };
  };

  async function refreshCount(): Promise<void> {
    const { count, newest } = await askCount();
    if (destroyed || !newest) return;
    unread = count;
    changed();
  }

  async function refresh(): Promise<void> {
    try {
      const [list, answer] = await Promise.all([deps.withRenewal(() => fetchNotifications(deps.identity)), askCount()]);
      if (destroyed) return;
      const count = answer.newest ? answer.count : unread;
      // The server already has what this page read; the list may have been asked for before.
      items = [...list]
        .sort(byNewest)
        .map((n) => (readHere.has(n.annotationId) && n.packetId === deps.packetId ? { ...n, read: true } : n));
      unread = count;
      older = null;
      changed();
      await Promise.all([learnTitles(), fetchOlder()]);
    } catch (error) {
      problem(error);
    }
  }

  /** Fetches the page before the oldest shown, to know whether "Vis ældre" has anything to show. */
  let fetching = 0;
  async function fetchOlder(): Promise<void> {
    const oldest = items.at(-1);
    if (!oldest) return;
    const mine = ++fetching;
    const page = await deps.withRenewal(() => fetchNotifications(deps.identity, { before: oldest.id }));
    // A newer question (the list fetched again) answers instead.
    if (destroyed || mine !== fetching || items.at(-1) !== oldest) return;
    older = page.filter((n) => !items.some((shown) => shown.id === n.id)).sort(byNewest);
    changed();
  }

  /** Titles of packets other than the open one, fetched once a notification names one not known. */
  async function learnTitles(): Promise<void> {
    if (items.every((n) => titles.has(n.packetId))) return;
    try {
      const packets = await deps.withRenewal(() => fetchPackets(deps.identity));
      titles = new Map(packets.map((p) => [p.packetId, p.title]));
      for (const n of items) if (!titles.has(n.packetId)) titles.set(n.packetId, null);
      if (!destroyed) changed();
    } catch {
      // Titles are a courtesy: the entry still says who and why.
    }
  }

  return {
    items: () => items,
    unread: () => unread,
    titles: () => titles,
    hasOlder: () => (older?.length ?? 0) > 0,
    async showOlder() {
      if (!older || older.length === 0) return;
      items = [...items, ...older.map((n) => (readHere.has(n.annotationId) && n.packetId === deps.packetId ? { ...n, read: true } : n))];
      older = null;
      changed();
      try {
        await Promise.all([learnTitles(), fetchOlder()]);
      } catch (error) {
        problem(error);
      }
    },
    setLive(live) {
      if (destroyed) return;
      if (live && !port) {
        port = deps.connect();
        void refresh();
      } else if (!live && port) {
        port.disconnect();
        port = null;
      }
    },
    received(json) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(json);
      } catch {
        return; // not a notification: nothing to show
      }
      if (!isNotification(parsed) || items.some((n) => n.id === parsed.id)) return;
      items = [parsed, ...items].sort(byNewest);
      if (!parsed.read) unread++;
      changed();
      void learnTitles();
      // The server's count is the truth (another page may have read some meanwhile).
      void refreshCount().catch(problem);
    },
    async readComment(annotationId) {
      readHere.add(annotationId);
      const known = items.filter((n) => n.annotationId === annotationId && n.packetId === deps.packetId);
      // Known unread, or not known yet (the list not come, or beyond its first page): the server knows by the comment.
      if (known.length > 0 && known.every((n) => n.read)) return;
      items = items.map((n) => (known.includes(n) ? { ...n, read: true } : n));
      changed();
      try {
        const read = await deps.withRenewal(() =>
          markNotificationsRead(deps.identity, { packetId: deps.packetId, annotationIds: [annotationId] }),
        );
        if (read > 0 || known.length > 0) await refreshCount();
      } catch (error) {
        problem(error);
      }
    },
    async readPacket(packetId) {
      items = items.map((n) => (n.packetId === packetId ? { ...n, read: true } : n));
      changed();
      try {
        await deps.withRenewal(() => markNotificationsRead(deps.identity, { packetId }));
        await refreshCount();
      } catch (error) {
        problem(error);
      }
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onProblem(listener) {
      problemListeners.add(listener);
      return () => problemListeners.delete(listener);
    },
    destroy() {
      destroyed = true;
      port?.disconnect();
      port = null;
      listeners.clear();
      problemListeners.clear();
    },
  };
}
