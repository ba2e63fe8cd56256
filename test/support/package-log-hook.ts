/**
 * Preloaded into a spawned server (`--import`): appends the name of every npm package the process
 * loads, once, to the file named by RANDNOTER_TEST_PACKAGE_LOG. Shows which code a server holds.
 */
import { appendFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const logFile = process.env.RANDNOTER_TEST_PACKAGE_LOG;
const seen = new Set<string>();

if (logFile) {
  registerHooks({
    load(url, context, nextLoad) {
      const name = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
      if (name && !seen.has(name)) {
        seen.add(name);
        appendFileSync(logFile, `${name}\n`);
      }
      return nextLoad(url, context);
    },
  });
}
