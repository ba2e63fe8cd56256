/**
 * `npm test`: everything the tests need, then every test, then one line:
 * `N passed, N failed, N skipped`.
 *
 *   1. The machine (system-parts.ts): missing Debian packages are installed when this runs as
 *      root on Debian or Ubuntu (as CI does; not with RANDNOTER_TEST_NO_INSTALL=1); otherwise one
 *      line per missing part says what cannot run and how to get it, and those suites count as
 *      skipped.
 *   2. Typecheck, lint and the build (the end-to-end tests drive the built extension). A failed
 *      step counts as a failed suite; the tests run all the same.
 *   3. A throwaway PostgreSQL and Redis on free loopback ports (test-services.ts), stopped after.
 *   4. vitest, every project. Arguments after `--` go to vitest (then steps 2's typecheck and
 *      lint are left out: a targeted run).
 *
 * With CI=true a part that is still missing is a failure, and its suites run (and fail).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { SYSTEM_PARTS, type SystemPart, type SystemPartId } from './support/system-parts.ts';
import { startTestServices, type TestServices } from './support/test-services.ts';

const SUMMARY_DIR = 'test-results';
const ci = process.env.CI === 'true';
const vitestArgs = process.argv.slice(2);
const out = (line: string) => process.stdout.write(`${line}\n`);

/** Steps of this run that failed outside vitest (typecheck, lint, build, services, parts). */
const failedSteps: string[] = [];

function missingNow(): SystemPartId[] {
  return (Object.entries(SYSTEM_PARTS) as Array<[SystemPartId, SystemPart]>).filter(([, part]) => !part.present()).map(([id]) => id);
}

/** Installs the Debian packages of the missing parts, when this process may. */
function install(missing: SystemPartId[]): void {
  const packages = [...new Set(missing.flatMap((id) => SYSTEM_PARTS[id].packages))];
  if (packages.length === 0) return;
  const root = process.getuid?.() === 0;
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
  // RANDNOTER_TEST_NO_INSTALL=1: not even as root (a machine whose packages are not ours to change).
  if (!root || !apt || process.env.RANDNOTER_TEST_NO_INSTALL === '1') return;
  out(`npm test: installing ${packages.join(' ')} (Debian packages the tests need)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
  if (update.status !== 0) return;
  spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...packages], { stdio: 'inherit', env });
}

function runStep(name: string, command: string, args: string[]): void {
  out(`npm test: ${name}`);
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) {
    out(`npm test: ${name} failed`);
    failedSteps.push(name);
  }
}

function runVitest(env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn('npx', ['vitest', 'run', '--config', 'test/vitest.config.ts', ...vitestArgs], { stdio: 'inherit', env });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.once('exit', (code) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? 1);
    });
  });
}

function readCounts(): { passed: number; failed: number; skipped: number } | null {
  try {
    return JSON.parse(readFileSync(`${SUMMARY_DIR}/summary.json`, 'utf8')) as { passed: number; failed: number; skipped: number };
  } catch {
    return null;
  }
}

async function main(): Promise<number> {
  rmSync(`${SUMMARY_DIR}/summary.json`, { force: true });
  // 1. The machine.
  let missing = missingNow();
  if (missing.length > 0) install(missing);
  missing = missingNow();
  const reasons: Record<string, string> = {};
  for (const id of missing) {
    const part: SystemPart = SYSTEM_PARTS[id];
    const packages = part.packages.join(' ');
    const get = process.getuid?.() === 0 ? `apt-get install ${packages}` : `sudo apt-get install ${packages}, or run npm test as root`;
    reasons[id] = part.remedy ? `not possible here: ${part.remedy}` : `${packages} is not installed`;
    const what = part.remedy ? `${id} is not possible here` : `${packages} is not installed`;
    out(`npm test: ${what}, so ${ci ? 'these fail' : 'these are skipped'}: ${part.for}. Get it with: ${part.remedy ?? get}`);
    if (ci) failedSteps.push(`${id} missing`);
  }

  // 2. Checks and the build.
  if (vitestArgs.length === 0) {
    runStep('typecheck', 'npm', ['run', 'typecheck', '--silent']);
    runStep('lint', 'npm', ['run', 'lint', '--silent']);
  }
  runStep('build', 'npm', ['run', 'build', '--silent']);

  // 3. Services for the PostgreSQL project.
  let services: TestServices | null = null;
  // RANDNOTER_TEST_RUNNER: the summary line is this script's to print (it counts failed steps too).
  const env: NodeJS.ProcessEnv = { ...process.env, RANDNOTER_TEST_MISSING: JSON.stringify(reasons), RANDNOTER_TEST_RUNNER: '1' };
  if (ci) env.RANDNOTER_TEST_REQUIRE_ALL = '1';
  if (!reasons.postgres && !reasons.redis) {
    try {
      services = await startTestServices();
      env.RANDNOTER_TEST_POSTGRES_URL = services.postgresUrl;
      env.RANDNOTER_TEST_REDIS_URL = services.redisUrl;
      out(`npm test: PostgreSQL at ${services.postgresUrl.replace(/:[^:@/]+@/, ':…@')}, Redis at ${services.redisUrl} (throwaway)`);
    } catch (error) {
      out(`npm test: PostgreSQL or Redis did not start, so ${ci ? 'these fail' : 'these are skipped'}: ${SYSTEM_PARTS.postgres.for}`);
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      if (ci) failedSteps.push('test services');
    }
  }

  // 4. The tests.
  let code: number;
  try {
    code = await runVitest(env);
  } finally {
    services?.stop();
  }
  const counts = readCounts();
  const passed = counts?.passed ?? 0;
  const failed = (counts?.failed ?? 1) + failedSteps.length;
  const skipped = counts?.skipped ?? 0;
  const line = `${passed} passed, ${failed} failed, ${skipped} skipped`;
  mkdirSync(SUMMARY_DIR, { recursive: true });
  writeFileSync(`${SUMMARY_DIR}/summary.txt`, `${line}\n`);
  if (failedSteps.length > 0) out(`npm test: failed outside the tests: ${failedSteps.join(', ')}`);
  out(line);
  return failed > 0 || code !== 0 ? 1 : 0;
}

process.exitCode = await main();
