export const USAGE = `Usage: randnoter <command>

  serve [--port 8787] [--host 127.0.0.1] [--db ./data/randnoter.sqlite] [--durability normal|full]
        [--database postgres://USER:PASSWORD@HOST/DB] [--redis redis://HOST:6379]
        [--log-level info] [--demo DIR] [--bootstrap-user NAME] [--bootstrap-group ID] [--extension DIR]
        [--oidc-issuer URL --oidc-client-id ID --public-url URL --oidc-redirects URL,URL]
        (sign-in through OpenID Connect; the client secret only in RANDNOTER_OIDC_CLIENT_SECRET)
  admin user add --name "Anne Jensen" [--group GROUP] [--db FILE]
  admin group add <id> [--name "Socialudvalget"] [--oidc-group CLAIM-VALUE] [--db FILE]
        (--oidc-group: signed-in users whose groups claim holds this value are members; default: the id)
        [--oidc-secretaries CLAIM-VALUE] [--oidc-closed-access CLAIM-VALUE]
        (signed-in members whose groups claim holds the value are secretaries / may read closed items)
        [--retention-days N | default]
        (its rooms are removed N days after the meeting date; default: RANDNOTER_RETENTION_DAYS; again on an existing group: changes it)
  admin group add-member <group> <user> [--role member|secretary] [--closed-access | --no-closed-access] [--db FILE]
        (again on a member: changes what is given; a secretary marks items closed, closed access reads them)
  admin group remove-member <group> <user> [--db FILE]
  admin item-access log <group> <packet> [--db FILE]      who closed and opened which agenda items, when
  admin user disable <user> | admin user enable <user> [--db FILE]
  admin user erase <user> [--db FILE]                     erases the user now, no prompt: notes rooms, comment texts
        (left as "[slettet]"), name, tokens, memberships; a record without content stays
  admin retention run [--dry-run] [--db FILE]             removes (--dry-run: lists) packets' rooms past retention
  admin user export <user> -o FILE [--db FILE]            everything stored about the person, as one JSON file
  admin token add <user> [--db FILE]
  admin token revoke <token | user> [--db FILE]
  admin comment remove <group> <packet> <annotation id> [--item N] [--db FILE]  any author's shared comment
        (--item N: a comment on closed agenda item N, in that item's room)
  admin room reset <shared/GROUP/PACKET | closed/GROUP/PACKET/ITEM | notes/USER/PACKET> [--db FILE] empties the room for good
  (comment remove, room reset, user erase and retention run go through the running server when there is one)
  admin access-log [--user ID] [--group ID] [--since DATE] [--db FILE]  who opened which group room, who exported
        what: JSON lines, oldest first (docs/OPERATIONS.md, "Access log")
  admin backup <file> [--db FILE]                         (SQLite; PostgreSQL: pg_dump)
  admin vacuum [--db FILE]                                (SQLite, server stopped) rewrite the file without free pages
  (admin commands take --database postgres://… instead of --db, as serve does)
  agenda <packet.pdf> [--json]                            agenda items and attachments with their pages
  anchor <packet.pdf> --annotations <w3c.json> [--json]   where each annotation is in this packet
  export <packet.pdf> --annotations <w3c.json> --format md|html|docx|csv|jsonld|pdf|overview-pdf -o FILE
        [--lang da|en] [--all-items]                     the Overblik per agenda item; pdf = the annotated packet
`;

/** A user mistake on the command line: printed as one line, exit code 2. */
export class UsageError extends Error {}
