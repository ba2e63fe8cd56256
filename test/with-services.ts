/**
 * Runs a command with a throwaway PostgreSQL and Redis (test/support/test-services.ts) and their
 * addresses in RANDNOTER_TEST_POSTGRES_URL and RANDNOTER_TEST_REDIS_URL, then stops both:
 *
 *   node test/with-services.ts node bench/scale/run.ts --users 8
 *
 * (`npm test` starts its own.)
 */
import { spawn } from 'node:child_process';
import { startTestServices } from './support/test-services.ts';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  process.stderr.write('usage: node test/with-services.ts <command> [args…]\n');
  process.exit(2);
}
const services = await startTestServices();
process.stderr.write(`PostgreSQL and Redis started (throwaway): ${services.redisUrl}\n`);
const child = spawn(command, args, {
  stdio: 'inherit',
  env: { ...process.env, RANDNOTER_TEST_POSTGRES_URL: services.postgresUrl, RANDNOTER_TEST_REDIS_URL: services.redisUrl },
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.once('exit', (code) => {
  services.stop();
  process.exit(code ?? 1);
});
