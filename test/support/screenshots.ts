/**
 * Where the e2e tests put the screenshots the README shows: into docs/screenshots only when asked
 * (`npm run screenshots`), otherwise into a folder of this run under the system's temporary
 * folder, so that `npm test` leaves the working tree as it found it. Either way the screenshot is
 * taken, so a page that cannot be drawn still fails the test.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';

const DOCS = resolve(import.meta.dirname, '../../docs/screenshots');

/** The file a screenshot named `name` (e.g. `viewer-dark.png`) is written to on this run. */
export function screenshotPath(name: string): string {
  const dir = process.env.RANDNOTER_SCREENSHOTS === '1' ? DOCS : resolve(tmpdir(), 'randnoter-screenshots');
  mkdirSync(dir, { recursive: true });
  return resolve(dir, name);
}
