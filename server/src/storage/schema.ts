/** The one `Database` interface kysely checks every query against. */
import type { Generated, Insertable, Selectable } from 'kysely';

export interface UsersTable {
  id: string;
  name: string;
  created: string;
}

export interface TokensTable {
  id: Generated<number>;
  user_id: string;
  /** sha256 of the token, hex. The token itself is shown once and never stored. */
  hash: string;
  created: string;
  revoked: string | null;
}

export interface GroupsTable {
  id: string;
  name: string;
  created: string;
}

export interface MembershipsTable {
  group_id: string;
  user_id: string;
}

/** Append-only Yjs update log per room; compaction folds a prefix of it into `doc_snapshots`. */
export interface DocUpdatesTable {
  room: string;
  seq: number;
  data: Uint8Array;
}

export interface DocSnapshotsTable {
  room: string;
  /** The highest update seq folded into `data`. */
  seq: number;
  data: Uint8Array;
  updated: string;
}

/** PostgreSQL only: the highest seq given out per room; every write to a room's log or snapshot locks this row first. */
export interface DocHeadsTable {
  room: string;
  seq: number;
}

export interface PacketsTable {
  id: string;
  title: string;
  created: string;
  meeting_date: string | null;
  page_count: number | null;
  /** JSON of the latest AgendaOutline, for grouping and export on the server. */
  outline: string | null;
}

/** Fingerprint, normalised-URL and content-hash aliases that resolve to a packet. */
export interface PacketAliasesTable {
  alias: string;
  packet_id: string;
}

export interface PacketVersionsTable {
  packet_id: string;
  /** `urn:x-pdf:<fingerprint>` */
  version: string;
  first_seen: string;
  page_count: number | null;
}

export interface Database {
  users: UsersTable;
  tokens: TokensTable;
  groups: GroupsTable;
  memberships: MembershipsTable;
  doc_updates: DocUpdatesTable;
  doc_snapshots: DocSnapshotsTable;
  doc_heads: DocHeadsTable;
  packets: PacketsTable;
  packet_aliases: PacketAliasesTable;
  packet_versions: PacketVersionsTable;
}

export type User = Selectable<UsersTable>;
export type Group = Selectable<GroupsTable>;
export type NewUser = Insertable<UsersTable>;
