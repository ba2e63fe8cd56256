/**
 * The server as it ships: built with `server/build.ts` into a temporary folder (fresh, whatever
 * `server/dist` holds), with the repository's node_modules beside it for the packages the build
 * leaves outside. Pass `main` to spawnServer / runAdmin.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface BuiltServer {
  /** The folder holding the build (`dist/`) and a link to node_modules. */
  readonly dir: string;
  readonly main: string;
  remove(): void;
}

export async function buildServer(): Promise<BuiltServer> {
  const dir = mkdtempSync(join(tmpdir(), 'randnoter-built-'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const dist = join(dir, 'dist');
  await promisify(execFile)(process.execPath, [join(ROOT, 'server', 'build.ts'), '--out-dir', dist], { cwd: ROOT });
  return { dir, main: join(dist, 'main.js'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
