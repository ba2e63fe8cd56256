/**
 * `randnoter admin …`: accounts and backups, straight on the database (safe while serving: SQLite
 * WAL, or PostgreSQL's own concurrency; `vacuum` alone wants the server stopped). Changes to rooms go through a running server when there
 * is one (see admin/room-requests.ts).
 */

import type { MemberRole } from '@randnoter/shared/protocol/http-api';
import { parseItemNumber } from '@randnoter/shared/protocol/rooms';
import type { Kysely } from 'kysely';
import { accessLogLine, parseSince } from '../access-log/access-log-line.ts';
import {
  AccountError,
  addMembership,
  createGroup,
  createUser,
  issueToken,
  removeMembership,
  revoke,
  setUserDisabled,
} from '../auth/accounts.ts';
import { silentLogger } from '../log.ts';
import type { RetentionSettings } from '../retention/run-retention.ts';
import { accessEntries } from '../storage/access-log.ts';
import {
  type AdminRequest,
  adminRequestState,
  claimAdminRequest,
  finishAdminRequest,
  insertAdminRequest,
} from '../storage/admin-requests.ts';
import { accessAuditOf } from '../storage/closed-items.ts';
import { backupSqlite, type DatabaseConfig, type OpenedDatabase, openDatabase, vacuumSqlite } from '../storage/database.ts';
import { requestErasure } from '../storage/erasures.ts';
import { migrateToLatest } from '../storage/migrate.ts';
import type { Database } from '../storage/schema.ts';
import { findUser, type MemberAccess, memberAccessOf, setGroupRetention } from '../storage/users.ts';
import type { Rooms } from '../sync/rooms.ts';
import { UsageError } from './usage.ts';

type Flags = Record<string, string | boolean | undefined>;

/** A dry run of retention only reads storage: it is given no rooms. */
const unusedRooms = new Proxy({} as Rooms, {
  get() {
    throw new Error('a dry run changes no room');
  },
});

const ROLES: readonly MemberRole[] = ['member', 'secretary'];

/** `--role member|secretary`, `--closed-access`, `--no-closed-access`: what to change of a membership (absent: unchanged). */
function memberAccessFlags(flags: Flags): Partial<MemberAccess> {
  const { role } = flags;
  if (role !== undefined && !ROLES.includes(role as MemberRole)) throw new UsageError('--role takes member or secretary');
  if (flags['closed-access'] === true && flags['no-closed-access'] === true)
    throw new UsageError('give --closed-access or --no-closed-access, not both');
  const closedAccess = flags['closed-access'] === true ? true : flags['no-closed-access'] === true ? false : undefined;
  return { ...(role !== undefined ? { role: role as MemberRole } : {}), ...(closedAccess !== undefined ? { closedAccess } : {}) };
}

/** `--retention-days N` (days after the meeting date) or `--retention-days default` (the server's setting); absent: unchanged. */
function retentionDaysFlag(flags: Flags): number | null | undefined {
  const value = flags['retention-days'];
  if (value === undefined) return undefined;
  if (value === 'default') return null;
  const days = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(days) || days < 1)
    throw new UsageError('--retention-days takes a whole number of days (at least 1) or default');
  return days;
}

export async function runAdmin(
  positionals: string[],
  flags: Flags,
  config: DatabaseConfig,
  out: (line: string) => void,
  retention: RetentionSettings = { days: null },
): Promise<void> {
  const [area, action, ...rest] = positionals;
  const now = new Date().toISOString();
  const name = typeof flags.name === 'string' ? flags.name : undefined;
  const group = typeof flags.group === 'string' ? flags.group : undefined;
  const oidcFlag = typeof flags['oidc-group'] === 'string' ? flags['oidc-group'] : undefined;
  const need = (n: number, what: string) => {
    if (rest.length !== n) throw new UsageError(`admin ${area} ${action} needs ${what}`);
  };

  const database = await open(config);
  const { db } = database;
  try {
    if (area === 'access-log') {
      if (action !== undefined) throw new UsageError('admin access-log takes only --user, --group and --since');
      return await printAccessLog(db, flags, out);
    }
    switch (`${area} ${action}`) {
      case 'user add': {
        if (!name) throw new UsageError('admin user add needs --name "Full Name"');
        need(0, 'only --name and --group');
        const { user, token, groupCreated } = await createUser(db, name, group, now);
        out(`Created user ${user.id} (${user.name})`);
        if (group) out(`${groupCreated ? 'Created group' : 'Added to group'} ${group}${groupCreated ? ' and added the user' : ''}`);
        out(`Token, shown once: ${token}`);
        return;
      }
      case 'group add': {
        need(1, 'a group id');
        const secretaries = typeof flags['oidc-secretaries'] === 'string' ? flags['oidc-secretaries'] : undefined;
        const closedAccess = typeof flags['oidc-closed-access'] === 'string' ? flags['oidc-closed-access'] : undefined;
        const oidcAccess = {
          ...(secretaries !== undefined ? { secretaries } : {}),
          ...(closedAccess !== undefined ? { closedAccess } : {}),
        };
        const retentionDays = retentionDaysFlag(flags);
        const { group: created, created: isNew, oidcGroup } = await createGroup(db, rest[0] as string, name, now, oidcFlag, oidcAccess);
        out(isNew ? `Created group ${created.id} (${created.name})` : `Group ${created.id} already exists`);
        if (retentionDays !== undefined) {
          await setGroupRetention(db, created.id, retentionDays);
          out(
            retentionDays === null
              ? `Its rooms are kept as the server's RANDNOTER_RETENTION_DAYS says`
              : `Its rooms are removed ${retentionDays} day${retentionDays === 1 ? '' : 's'} after their packet's meeting date`,
          );
        }
        if (oidcFlag !== undefined) out(`Users who sign in with "${oidcGroup}" in their groups claim become members at their next sign-in`);
        if (secretaries !== undefined) out(`Members who sign in with "${secretaries}" in their groups claim are its secretaries`);
        if (closedAccess !== undefined) out(`Members who sign in with "${closedAccess}" in their groups claim may read its closed items`);
        return;
      }
      case 'group add-member': {
        need(2, '<group> <user>');
        const [groupId, userId] = rest as [string, string];
        await addMembership(db, groupId, userId, memberAccessFlags(flags));
        const access = await memberAccessOf(db, groupId, userId);
        out(
          `User ${userId} is a ${access?.role ?? 'member'} of ${groupId}, ${access?.closedAccess ? 'with' : 'without'} access to closed items`,
        );
        if (flags['no-closed-access'] === true)
          out('Their open sockets on closed items close within a second (RANDNOTER_CLOSED_ACCESS_RECHECK_MS)');
        return;
      }
      case 'group remove-member': {
        need(2, '<group> <user>');
        await removeMembership(db, rest[0] as string, rest[1] as string);
        out(
          `User ${rest[1]} is no longer a member of ${rest[0]}: refused at once over HTTP, their open sockets closed at the next re-check`,
        );
        return;
      }
      case 'user disable':
      case 'user enable': {
        need(1, 'a user id');
        const disable = action === 'disable';
        await setUserDisabled(db, rest[0] as string, disable ? now : null);
        out(
          disable
            ? `Disabled user ${rest[0]}: their tokens are refused, their open sockets closed at the next re-check, their data kept`
            : `Enabled user ${rest[0]}`,
        );
        return;
      }
      case 'user erase': {
        need(1, 'a user id');
        const userId = rest[0] as string;
        // Recorded first: should this command or the server applying it stop halfway, a running
        // server finishes the erasure at its next check (erasure/due-erasures.ts).
        if (await findUser(db, userId)) await requestErasure(db, userId, now, now, 'admin');
        out(await requestRoomChange(database, { kind: 'erase-user', userId }));
        return;
      }
      case 'retention run': {
        need(0, 'no arguments besides --dry-run');
        if (flags['dry-run'] === true) {
          // Loaded here: the other admin commands hold only the database's code.
          const { describeRetentionRun, runRetention } = await import('../retention/run-retention.ts');
          const deps = {
            ...database,
            serially: <T>(run: () => Promise<T>) => run(),
            rooms: unusedRooms,
            clock: () => new Date(),
            log: silentLogger,
            retention,
          };
          out(describeRetentionRun(await runRetention(deps, { dryRun: true })));
        } else out(await requestRoomChange(database, { kind: 'retention-run', days: retention.days }));
        return;
      }
      case 'user export': {
        need(1, 'a user id and -o FILE');
        const file = typeof flags.output === 'string' ? flags.output : undefined;
        if (!file) throw new UsageError('admin user export needs -o FILE (a new file: an existing one is not overwritten)');
        const { writeOwnData } = await import('../own-data/write-own-data.ts');
        const { NoSuchUser } = await import('../own-data/own-data-json.ts');
        try {
          const bytes = await writeOwnData({ db, docs: database.docs, clock: () => new Date() }, rest[0] as string, file);
          out(`Wrote everything stored about ${rest[0]} to ${file} (${bytes} bytes); recorded in the access log`);
        } catch (error) {
          if (error instanceof NoSuchUser) throw new UsageError(error.message);
          if ((error as { code?: string }).code === 'EEXIST') throw new UsageError(`${file} exists: give a new file`);
          throw error;
        }
        return;
      }
      case 'item-access log': {
        need(2, '<group> <packet>');
        const [groupId, packetId] = rest as [string, string];
        const changes = await accessAuditOf(db, groupId, packetId);
        if (changes.length === 0) out(`No item of ${packetId} in ${groupId} was ever closed`);
        for (const c of changes) {
          const excluded = c.excluded.length > 0 ? `, excluding ${c.excluded.join(' ')}` : '';
          out(`${c.at} ${c.actorId} ${c.closed ? 'closed' : 'opened'} item ${c.itemNumber}${excluded}; ${c.moved} moved`);
        }
        return;
      }
      case 'comment remove': {
        need(3, '<group> <packet> <annotation id>');
        const [groupId, packetId, annotationId] = rest as [string, string, string];
        // --item N: a comment on a closed agenda item, in that item's room (docs/CLOSED-ITEMS.md).
        const item = typeof flags.item === 'string' ? parseItemNumber(flags.item) : undefined;
        if (item === null) throw new UsageError('--item takes an agenda item number');
        const room = item === undefined ? `shared/${groupId}/${packetId}` : `closed/${groupId}/${packetId}/${item}`;
        out(await requestRoomChange(database, { kind: 'remove-comment', room, annotationId }));
        return;
      }
      case 'room reset': {
        need(1, 'a room: shared/<group>/<packet> or notes/<user>/<packet>');
        out(await requestRoomChange(database, { kind: 'reset-room', room: rest[0] as string }));
        return;
      }
      case 'token add': {
        need(1, 'a user id');
        out(`Token, shown once: ${await issueToken(db, rest[0] as string, now)}`);
        return;
      }
      case 'token revoke': {
        need(1, 'a token or a user id');
        const count = await revoke(db, rest[0] as string, now);
        out(`Revoked ${count} token${count === 1 ? '' : 's'}`);
        return;
      }
      default:
        throw new UsageError(`unknown admin command "${positionals.join(' ')}"`);
    }
  } catch (error) {
    if (error instanceof AccountError) throw new UsageError(error.message);
    throw error;
  } finally {
    await database.close();
  }
}

/** `admin access-log [--user ID] [--group ID] [--since DATE]`: JSON lines, oldest first (access-log-line.ts). */
async function printAccessLog(db: Kysely<Database>, flags: Flags, out: (line: string) => void): Promise<void> {
  const since = typeof flags.since === 'string' ? parseSince(flags.since) : undefined;
  if (since === null) throw new UsageError('--since takes a date (2026-12-01) or an ISO time (2026-12-01T09:00:00Z)');
  const query = {
    ...(typeof flags.user === 'string' ? { userId: flags.user } : {}),
    ...(typeof flags.group === 'string' ? { groupId: flags.group } : {}),
    ...(since !== undefined ? { since } : {}),
  };
  // Page by page: a year of a large municipality's log is not held in memory at once.
  let after: { at: string; id: number } | undefined;
  for (;;) {
    const page = await accessEntries(db, { ...query, ...(after ? { after } : {}), limit: ACCESS_LOG_PAGE });
    for (const entry of page) out(accessLogLine(entry));
    const last = page.at(-1);
    if (!last || page.length < ACCESS_LOG_PAGE) return;
    after = { at: last.at, id: last.id };
  }
}

/** Entries read from the database at a time. */
const ACCESS_LOG_PAGE = 1_000;

/** Safe while a server writes to the database: the copy is one consistent snapshot (see backupSqlite). */
export async function runBackup(file: string | undefined, config: DatabaseConfig, out: (line: string) => void): Promise<void> {
  if (!file) throw new UsageError('admin backup needs a target file');
  // PostgreSQL has its own online backups; docs/DEPLOYMENT.md shows pg_dump.
  if (config.kind !== 'sqlite') throw new UsageError('admin backup copies a SQLite file; back up PostgreSQL with pg_dump');
  const dbPath = config.path;
  try {
    backupSqlite(dbPath, file);
  } catch (error) {
    throw new UsageError(`backup failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  out(`Backed up ${dbPath} to ${file}`);
}

/** Offline: while no server runs on the file (see vacuumSqlite). */
export async function runVacuum(config: DatabaseConfig, out: (line: string) => void): Promise<void> {
  if (config.kind !== 'sqlite') throw new UsageError('admin vacuum rewrites a SQLite file; PostgreSQL has its own VACUUM');
  let sizes: { before: number; after: number };
  try {
    sizes = vacuumSqlite(config.path);
  } catch (error) {
    throw new UsageError(`vacuum failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  out(`Vacuumed ${config.path}: ${mib(sizes.before)} -> ${mib(sizes.after)}; free pages are now released whenever a server stops`);
}

/** How long a room change waits for a running server to take it on before applying it itself. */
const SERVER_PICKUP_MS = 2_500;

/**
 * Stores the request for a running server, which applies it to its live rooms within a second;
 * with no server taking it on, applies it here, through rooms of this process's own.
 */
async function requestRoomChange(database: OpenedDatabase, request: AdminRequest): Promise<string> {
  const { db } = database;
  const id = await insertAdminRequest(db, request, new Date().toISOString());
  const waitFor = async (until: (state: Awaited<ReturnType<typeof adminRequestState>>) => boolean, ms: number) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const state = await adminRequestState(db, id);
      if (until(state) || Date.now() > deadline) return state;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const picked = await waitFor((state) => state?.claimed != null, SERVER_PICKUP_MS);
  if (!picked?.claimed && (await claimAdminRequest(db, id, 'command', new Date().toISOString()))) {
    const { applyHere } = await import('../admin/apply-here.ts');
    const result = await applyHere(database, request);
    await finishAdminRequest(db, id, result, new Date().toISOString());
    return result;
  }
  const finished = await waitFor((state) => state?.done != null, 60_000);
  if (!finished?.done)
    throw new UsageError(`request ${id} was taken on by ${finished?.claimed ?? 'a server'} but not finished within a minute`);
  return finished.result ?? '';
}

async function open(config: DatabaseConfig): Promise<OpenedDatabase> {
  const database = openDatabase(config);
  await migrateToLatest(database.db as Kysely<unknown>);
  return database;
}
