/** The one `Database` interface kysely checks every query against. */
import type { MemberRole } from '@randnoter/shared/protocol/http-api';
import type { ColumnType, Generated, Selectable } from 'kysely';

interface UsersTable {
  id: string;
  name: string;
  created: string;
  /** When an administrator disabled the user; null while active (migration 0004). */
  disabled: string | null;
  /** From the ID token at each sign-in; null for users made on the command line (migration 0006). */
  email: ColumnType<string | null, string | null | undefined, string | null>;
}

interface TokensTable {
  id: Generated<number>;
  user_id: string;
  /** sha256 of the token, hex. The token itself is shown once and never stored. */
  hash: string;
  created: string;
  revoked: string | null;
}

interface GroupsTable {
  id: string;
  name: string;
  created: string;
  /** The groups-claim value that makes a signed-in user a member; null: the group's id (migration 0006). */
  oidc_group: ColumnType<string | null, string | null | undefined, string | null>;
  /** The groups-claim value that makes a signed-in member a secretary; null: sign-in leaves the role alone (migration 0007). */
  oidc_secretaries: ColumnType<string | null, string | null | undefined, string | null>;
  /** The groups-claim value that gives a signed-in member closed access; null: sign-in leaves it alone (migration 0007). */
  oidc_closed_access: ColumnType<string | null, string | null | undefined, string | null>;
  /** Days after the meeting date the group's rooms are kept; null: the server's setting (migration 0008). */
  retention_days: ColumnType<number | null, number | null | undefined, number | null>;
}

/** Who made a membership: sign-in removes only its own (migration 0006). */
export type MembershipSource = 'admin' | 'oidc';

interface MembershipsTable {
  group_id: string;
  user_id: string;
  source: ColumnType<MembershipSource, MembershipSource | undefined, MembershipSource>;
  role: ColumnType<MemberRole, MemberRole | undefined, MemberRole>;
  /** 1: may read closed items (unless excluded from one); 0: may not (migration 0007). */
  closed_access: ColumnType<number, number | undefined, number>;
}

/** A closed item of a group's packet (migration 0007); an item without a row is open. */
interface ClosedItemsTable {
  group_id: string;
  packet_id: string;
  item_number: number;
  /** JSON array of the user ids excluded from this item (conflict of interest). */
  excluded: string;
  updated_by: string;
  updated: string;
}

/** Every change of an item's access: who, when, what (migration 0007). */
interface ItemAccessAuditTable {
  id: Generated<number>;
  at: string;
  actor_id: string;
  group_id: string;
  packet_id: string;
  item_number: number;
  /** 1: the change left the item closed; 0: open. */
  closed: number;
  /** JSON array of the user ids excluded after the change. */
  excluded: string;
  /** Comments moved between the open room and the item's room by the change. */
  moved: number;
}

/** A user as the OpenID Connect provider knows them (migration 0006). */
interface OidcIdentitiesTable {
  issuer: string;
  subject: string;
  user_id: string;
  created: string;
  last_sign_in: string;
}

/** A one-time login code, stored as its sha256 until it is used or expires. */
interface LoginCodesTable {
  hash: string;
  user_id: string;
  /** The extension's PKCE challenge (S256) that the code's verifier must match. */
  code_challenge: string;
  expires: string;
}

/** One sign-in: its current refresh token (sha256) and when it ends. */
interface RefreshFamiliesTable {
  id: string;
  user_id: string;
  created: string;
  /** The sign-in ends then, however often it was refreshed. */
  expires: string;
  refresh_hash: string;
  refresh_expires: string;
}

interface AccessTokensTable {
  hash: string;
  family_id: string;
  expires: string;
}

/** Append-only Yjs update log per room; compaction folds a prefix of it into `doc_snapshots`. */
interface DocUpdatesTable {
  room: string;
  seq: number;
  data: Uint8Array;
}

interface DocSnapshotsTable {
  room: string;
  /** The highest update seq folded into `data`. */
  seq: number;
  /** The Yjs state, encoded as `encoding` says (snapshot-codec.ts). */
  data: Uint8Array;
  /** `yjs` or `yjs-brotli` (migration 0005; older rows `yjs`). */
  encoding: string;
  /** Bytes of the Yjs state itself; null on rows from before migration 0005, whose `data` is that state. */
  size: number | null;
  updated: string;
}

/** PostgreSQL only: the highest seq given out per room; every write to a room's log or snapshot locks this row first. */
interface DocHeadsTable {
  room: string;
  seq: number;
}

/**
 * A packet id that has been registered. Since migration 0003 only `id` and `created` are written
 * (title '' and the rest null); older rows keep what was registered before, the fallback that
 * packet-view.ts shows to users who have a room on the packet.
 */
export interface PacketsTable {
  id: string;
  title: string;
  created: string;
  meeting_date: string | null;
  page_count: number | null;
  /** JSON of an AgendaOutline. */
  outline: string | null;
}

/** Before migration 0003: aliases shared by all users. Read only, see resolve-packet.ts. */
interface PacketAliasesTable {
  alias: string;
  packet_id: string;
}

/** Before migration 0003: versions registered by anyone. Read only, as `PacketsTable`'s old columns. */
interface PacketVersionsTable {
  packet_id: string;
  /** `urn:x-pdf:<fingerprint>` */
  version: string;
  first_seen: string;
  page_count: number | null;
}

/** What one user registered of one version of a packet: the only source of what they see of it. */
export interface PacketRegistrationsTable {
  user_id: string;
  packet_id: string;
  /** `urn:x-pdf:<fingerprint>` */
  version: string;
  /** When this user first and last registered this version. */
  first_seen: string;
  last_seen: string;
  title: string;
  meeting_date: string | null;
  page_count: number | null;
  /** JSON of the validated AgendaOutline (parse-registration.ts), or null. */
  outline: string | null;
}

/** Fingerprint, normalised-URL, content-hash and agenda aliases that one user's registrations gave a packet. */
interface PacketUserAliasesTable {
  user_id: string;
  alias: string;
  packet_id: string;
  created: string;
}

/** A change to a room asked for on the command line, applied by a running server (migration 0004). */
interface AdminRequestsTable {
  id: Generated<number>;
  kind: string;
  /** JSON of the request's arguments. */
  args: string;
  created: string;
  /** Who took it on (`server <pid>@<host>` or `command`) and when; null until then. */
  claimed: string | null;
  done: string | null;
  /** What came of it, one line for the command to print. */
  result: string | null;
}

/** Who or what erased something (migration 0008). */
export type ErasedBy = 'admin' | 'self' | 'retention';

/** A record that something was erased, without any of its content (migration 0008). */
interface ErasuresTable {
  id: Generated<number>;
  at: string;
  /** `user` (subject_id: the user's id) or `packet` (subject_id: the packet's id). */
  subject_kind: 'user' | 'packet';
  subject_id: string;
  by: ErasedBy;
  rooms_removed: number;
  rooms_rewritten: number;
  /** Annotations emptied to a placeholder. */
  annotations: number;
}

/** A user's erasure waiting for its time (migration 0008). */
interface ErasureRequestsTable {
  user_id: string;
  requested: string;
  erase_at: string;
  by: ErasedBy;
}

/** Who opened which group's room, who exported what (migration 0009); never note text. */
interface AccessLogTable {
  id: Generated<number>;
  at: string;
  user_id: string;
  action: AccessAction;
  via: AccessVia;
  group_id: string | null;
  packet_id: string | null;
  item_number: number | null;
  detail: string | null;
}

/** `opened`: a group's room was read; `exported`: its comments went into a file; `own-data`: a person's own-data export. */
export type AccessAction = 'opened' | 'exported' | 'own-data';
/** How: a WebSocket, an HTTP request, or an administrator's command. */
export type AccessVia = 'socket' | 'http' | 'command';
/** One notification (migration 0010, docs/NOTIFICATIONS.md). */
interface NotificationsTable {
  id: Generated<number>;
  recipient_id: string;
  reason: string;
  actor_id: string;
  actor_name: string;
  group_id: string;
  packet_id: string;
  /** The agenda item the comment is on, when known. */
  item_number: number | null;
  /** 1: the comment is in a closed item's room. */
  closed: number;
  annotation_id: string;
  quote: string | null;
  created: string;
  read_at: string | null;
  /** When e-mail took it (sent, or passed over because read or turned off); null until then. */
  mailed: string | null;
}

/** A member's notification choice for one group; no row: the defaults. */
interface NotificationSettingsTable {
  user_id: string;
  group_id: string;
  level: string;
  /** 1: e-mail on. */
  email: number;
}

/** A member opened a group's packet (for `follow`). */
interface PacketOpensTable {
  user_id: string;
  group_id: string;
  packet_id: string;
  opened: string;
}

/** An e-mail written and not yet accepted by the SMTP server. */
interface MailOutboxTable {
  id: Generated<number>;
  recipient_id: string;
  to_address: string;
  subject: string;
  body: string;
  created: string;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt: string;
  last_error: string | null;
}

/** A day-before-the-meeting digest sent. */
interface MailDigestsTable {
  user_id: string;
  packet_id: string;
  meeting_date: string;
  sent: string;
}

interface ServerSecretsTable {
  name: string;
  value: string;
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
  packet_registrations: PacketRegistrationsTable;
  packet_user_aliases: PacketUserAliasesTable;
  admin_requests: AdminRequestsTable;
  oidc_identities: OidcIdentitiesTable;
  login_codes: LoginCodesTable;
  refresh_families: RefreshFamiliesTable;
  access_tokens: AccessTokensTable;
  closed_items: ClosedItemsTable;
  item_access_audit: ItemAccessAuditTable;
  erasures: ErasuresTable;
  erasure_requests: ErasureRequestsTable;
  access_log: AccessLogTable;
  notifications: NotificationsTable;
  notification_settings: NotificationSettingsTable;
  packet_opens: PacketOpensTable;
  mail_outbox: MailOutboxTable;
  mail_digests: MailDigestsTable;
  server_secrets: ServerSecretsTable;
}

export type User = Pick<Selectable<UsersTable>, 'id' | 'name' | 'created'>;
export type Group = Pick<Selectable<GroupsTable>, 'id' | 'name' | 'created'>;

/** The groups-claim values a group's sign-in access follows (null: not from sign-in). */
export type OidcAccessClaims = { secretaries: string | null; closedAccess: string | null };
