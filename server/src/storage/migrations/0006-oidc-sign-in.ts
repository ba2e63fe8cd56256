/**
 * Frozen: never edit a released migration; add the next number instead.
 *
 * Sign-in through the organisation's OpenID Connect provider (docs/SECURITY.md, "Sign-in"):
 * - `users.email`: from the ID token at each sign-in; null for users made on the command line.
 * - `groups.oidc_group`: the groups-claim value that makes a signed-in user a member; null means
 *   the group's own id.
 * - `memberships.source`: `admin` (made on the command line: sign-in never removes it) or `oidc`
 *   (made by a sign-in: the next sign-in without the group removes it). Rows before: `admin`.
 * - `oidc_identities`: who a user is at the provider, issuer + subject (Entra ID: tenant + object id).
 * - `login_codes`: one-time codes (sha256 only) that the extension trades for tokens within 60 s.
 * - `refresh_families`: one row per sign-in: the sha256 of its one current refresh token, and
 *   when the sign-in and that token end. Ending a sign-in deletes its row (and access tokens).
 * - `access_tokens`: sha256 of short-lived access tokens, each of one sign-in.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // One column per statement: SQLite adds one at a time.
  await db.schema.alterTable('users').addColumn('email', 'text').execute();
  await db.schema.alterTable('groups').addColumn('oidc_group', 'text').execute();
  await db.schema
    .alterTable('memberships')
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('admin'))
    .execute();
  await db.schema
    .createTable('oidc_identities')
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().unique().references('users.id').onDelete('cascade'))
    .addColumn('created', 'text', (c) => c.notNull())
    .addColumn('last_sign_in', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('oidc_identities_pk', ['issuer', 'subject'])
    .execute();
  await db.schema
    .createTable('login_codes')
    .addColumn('hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('code_challenge', 'text', (c) => c.notNull())
    .addColumn('expires', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_codes_expires').on('login_codes').column('expires').execute();
  await db.schema
    .createTable('refresh_families')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created', 'text', (c) => c.notNull())
    .addColumn('expires', 'text', (c) => c.notNull())
    .addColumn('refresh_hash', 'text', (c) => c.notNull())
    .addColumn('refresh_expires', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('refresh_families_user').on('refresh_families').column('user_id').execute();
  await db.schema.createIndex('refresh_families_expires').on('refresh_families').column('expires').execute();
  await db.schema
    .createTable('access_tokens')
    .addColumn('hash', 'text', (c) => c.primaryKey())
    .addColumn('family_id', 'text', (c) => c.notNull().references('refresh_families.id').onDelete('cascade'))
    .addColumn('expires', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('access_tokens_family').on('access_tokens').column('family_id').execute();
  await db.schema.createIndex('access_tokens_expires').on('access_tokens').column('expires').execute();
}
