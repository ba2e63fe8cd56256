/**
 * Makes the bench runnable from a fresh clone: builds our server (it runs compiled, as `npm start`
 * runs it), installs the peers (bench/sync/node_modules, not part of the root install or CI) and
 * builds better-sqlite3 for the Node that runs Hocuspocus. Idempotent and quick when everything
 * is in place. Node built-ins only: it runs before the dependencies exist.
 *
 * Hocuspocus runs on the system Node 20 (BENCH_NODE20, default /usr/bin/node): the better-sqlite3
 * 12 that @hocuspocus/extension-sqlite depends on does not build for Node 24. The build uses
 * Node 20's own headers, so Node 24's (npm_config_nodedir from node24.sh) are taken out of the
 * environment.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const NODE20 = process.env.BENCH_NODE20 ?? '/usr/bin/node';
const REQUIRED = ['@hocuspocus/server', '@hocuspocus/extension-sqlite', '@y/websocket-server', 'y-leveldb', 'yjs', 'ws', 'lib0'];

const say = (line: string) => process.stderr.write(`bench setup: ${line}\n`);

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  execFileSync(command, args, { cwd: BENCH_DIR, env, stdio: ['ignore', 'inherit', 'inherit'] });
}

// Our own server and the load generator run on the root install; without it every scenario
// would fail on its first import, so say so once.
if (!existsSync(join(BENCH_DIR, '..', '..', 'node_modules', 'yjs', 'package.json'))) {
  say('the root dependencies are missing: run `npm install` in the repository first');
  process.exit(1);
}

// Built at every run, so the bench never measures a stale build; BENCH_RANDNOTER_MAIN names
// another checkout's build, made there.
if (!process.env.BENCH_RANDNOTER_MAIN) {
  execFileSync(process.execPath, [join(BENCH_DIR, '..', '..', 'server', 'build.ts')], { stdio: ['ignore', 'inherit', 'inherit'] });
}

if (!REQUIRED.every((name) => existsSync(join(BENCH_DIR, 'node_modules', name, 'package.json')))) {
  say('installing the peers into bench/sync/node_modules');
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error']);
}

function sqliteLoadsOnNode20(): boolean {
  try {
    execFileSync(NODE20, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], { cwd: BENCH_DIR, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

if (!existsSync(NODE20)) throw new Error(`Hocuspocus needs Node 20 at ${NODE20} (set BENCH_NODE20)`);
if (!sqliteLoadsOnNode20()) {
  say(`building better-sqlite3 for ${NODE20}`);
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${join(NODE20, '..')}:/usr/local/bin:/usr/bin:/bin` };
  delete env.npm_config_nodedir;
  run('npm', ['rebuild', 'better-sqlite3'], env);
  if (!sqliteLoadsOnNode20()) throw new Error('better-sqlite3 still does not load on Node 20 after the rebuild');
}
