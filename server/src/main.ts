#!/usr/bin/env node
/**
 * The `randnoter` command. The composition root: the only place that turns flags and the
 * environment into running things, and that installs signal handlers. The commands other than
 * `serve` are imported when run: a server does not hold their code (pdf.js, the exporters), and
 * `admin` does not load the server's (Hono, WebSockets, Yjs).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createUser } from './auth/accounts.ts';
import { USAGE, UsageError } from './cli/usage.ts';
import { printWelcome } from './cli/welcome.ts';
import { ConfigError, databaseOf, readServerConfig, retentionOf } from './config.ts';
import { createLogger } from './log.ts';
import { describeDatabase } from './storage/database.ts';
import { countUsers } from './storage/users.ts';

const FLAG_OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  db: { type: 'string' },
  database: { type: 'string' },
  redis: { type: 'string' },
  durability: { type: 'string' },
  'log-level': { type: 'string' },
  demo: { type: 'string' },
  'bootstrap-user': { type: 'string' },
  'bootstrap-group': { type: 'string' },
  extension: { type: 'string' },
  'oidc-issuer': { type: 'string' },
  'oidc-client-id': { type: 'string' },
  'oidc-groups-claim': { type: 'string' },
  'oidc-subject-claim': { type: 'string' },
  'oidc-scopes': { type: 'string' },
  'oidc-redirects': { type: 'string' },
  'public-url': { type: 'string' },
  'oidc-group': { type: 'string' },
  'oidc-secretaries': { type: 'string' },
  'oidc-closed-access': { type: 'string' },
  item: { type: 'string' },
  role: { type: 'string' },
  'closed-access': { type: 'boolean' },
  'no-closed-access': { type: 'boolean' },
  name: { type: 'string' },
  group: { type: 'string' },
  user: { type: 'string' },
  since: { type: 'string' },
  json: { type: 'boolean' },
  annotations: { type: 'string' },
  format: { type: 'string' },
  output: { type: 'string', short: 'o' },
  lang: { type: 'string' },
  'all-items': { type: 'boolean' },
  'retention-days': { type: 'string' },
  'dry-run': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function main(argv: string[]): Promise<void> {
  const { values: flags, positionals } = parseArgs({ args: argv, options: FLAG_OPTIONS, allowPositionals: true, strict: true });
  const [command, ...rest] = positionals;
  const out = (line: string) => process.stdout.write(`${line}\n`);
  if (flags.help || !command) {
    out(USAGE);
    return;
  }
  if (command === 'serve') return serve(flags);
  if (command === 'admin') {
    const { runAdmin, runBackup, runVacuum } = await import('./cli/admin.ts');
    const database = databaseOf(flags, process.env);
    if (rest[0] === 'backup') return runBackup(rest[1], database, out);
    if (rest[0] === 'vacuum' && rest.length === 1) return runVacuum(database, out);
    return runAdmin(rest, flags, database, out, retentionOf(process.env));
  }
  if (command === 'agenda') return (await import('./cli/packet-commands.ts')).runAgenda(rest, flags, out);
  if (command === 'anchor') return (await import('./cli/packet-commands.ts')).runAnchor(rest, flags, out);
  if (command === 'export') return (await import('./cli/export-command.ts')).runExport(rest, flags, out);
  throw new UsageError(`unknown command "${command}" (try --help)`);
}

async function serve(flags: Record<string, string | boolean | undefined>): Promise<void> {
  const config = readServerConfig(flags, process.env);
  const log = createLogger(config.logLevel);
  const { startServer } = await import('./server.ts');
  const server = await startServer(config, log);
  let token: string | null = null;
  if (config.bootstrap && (await countUsers(server.db)) === 0) {
    ({ token } = await createUser(server.db, config.bootstrap.userName, config.bootstrap.groupId, new Date().toISOString()));
  }
  if (config.bootstrap || config.demoDir) {
    printWelcome({
      url: server.url,
      token,
      groupId: config.bootstrap?.groupId ?? null,
      database: config.database.kind === 'sqlite' ? resolve(config.database.path) : describeDatabase(config.database),
      extensionDir: config.extensionDir ? resolve(config.extensionDir) : null,
      demo: Boolean(config.demoDir),
    });
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('signal', { signal });
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error('shutdown failed', { error: String(error) });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const expected =
    error instanceof UsageError || error instanceof ConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  process.stderr.write(`randnoter: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(expected ? 2 : 1);
});
