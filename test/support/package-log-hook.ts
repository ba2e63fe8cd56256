/**
 * Preloaded into a spawned server (`--import`; worker threads run it too): shows which code a
 * server holds. Appends, once per thread, the name of every npm package the process loads to the
 * file named by RANDNOTER_TEST_PACKAGE_LOG, and the URL of every other module file (the server's
 * own code, from its sources or its build) to RANDNOTER_TEST_SOURCE_LOG.
 */
import { appendFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const packageLog = process.env.RANDNOTER_TEST_PACKAGE_LOG;
const sourceLog = process.env.RANDNOTER_TEST_SOURCE_LOG;
const seen = new Set<string>();

function logOnce(file: string | undefined, line: string): void {
  if (!file || seen.has(line)) return;
  seen.add(line);
  appendFileSync(file, `${line}\n`);
}

if (packageLog || sourceLog) {
  registerHooks({
    load(url, context, nextLoad) {
      const name = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
      if (name) logOnce(packageLog, name);
      else if (url.startsWith('file:') && url !== import.meta.url) logOnce(sourceLog, url);
      return nextLoad(url, context);
    },
  });
}
