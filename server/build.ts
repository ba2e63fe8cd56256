/**
 * Builds the server into plain JavaScript: `server/dist/main.js` and the chunks it imports when a
 * command or a route first needs them. A server that starts from TypeScript pays for type
 * stripping at every start (Node's stripper is a WebAssembly module, 15 MiB of RSS) and for
 * resolving and compiling some 430 modules one by one (kysely alone is 257 files), so the
 * server, `shared` and the pure-JavaScript packages become a few files. Left outside: the
 * native addons better-sqlite3 and bufferutil (ws unmasks a 13 MB frame with it in 0.5 ms, in
 * JavaScript in 13 ms), and what a server loads only when asked (pg, @redis/client, nodemailer,
 * pdf.js, pdf-lib and fontkit): they stay packages in node_modules, loaded on first use.
 *
 * Worker threads are entry points of their own: `new URL('./name.ts', import.meta.url)` in the
 * sources becomes `./name.js` here, and every file lands in one folder, so the URL still points
 * at the worker from whichever chunk holds that line.
 *
 *   node server/build.ts [--out-dir DIR]      (default server/dist; `npm run build` runs it; silent)
 */
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build, type Plugin } from 'rolldown';

const SERVER_DIR = dirname(fileURLToPath(import.meta.url));
/** Packages loaded from node_modules at run time, not bundled (see above). */
const EXTERNAL = [
  'better-sqlite3',
  'bufferutil',
  'pg',
  '@redis/client',
  'nodemailer',
  'pdfjs-dist',
  '@napi-rs/canvas',
  'pdf-lib',
  '@pdf-lib/fontkit',
];
const WORKER_URL = /new URL\((['"])\.\/([\w-]+)\.ts\1, import\.meta\.url\)/g;

/** Finds worker URLs in the sources, emits each worker as an entry of its own, points the URL at its .js. */
function workerEntries(): Plugin {
  const emitted = new Map<string, string>();
  return {
    name: 'randnoter-worker-entries',
    transform(code, id) {
      if (!code.includes('import.meta.url')) return null;
      let changed = false;
      const rewritten = code.replace(WORKER_URL, (_match, quote: string, name: string) => {
        const source = join(dirname(id), `${name}.ts`);
        const known = emitted.get(name);
        if (known !== undefined && known !== source) throw new Error(`two workers named ${name}: ${known} and ${source}`);
        if (known === undefined) {
          emitted.set(name, source);
          this.emitFile({ type: 'chunk', id: source, fileName: `${name}.js` });
        }
        changed = true;
        // Same length as the original, so positions in the source map stay right.
        return `new URL(${quote}./${name}.js${quote}, import.meta.url)`;
      });
      return changed ? { code: rewritten, map: null } : null;
    },
  };
}

export async function buildServer(outDir: string): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  await build({
    input: { main: join(SERVER_DIR, 'src', 'main.ts') },
    platform: 'node',
    external: (id) => EXTERNAL.some((name) => id === name || id.startsWith(`${name}/`)),
    plugins: [workerEntries()],
    logLevel: 'warn',
    output: {
      dir: outDir,
      format: 'esm',
      entryFileNames: '[name].js',
      chunkFileNames: '[name]-[hash].js',
      sourcemap: true,
    },
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { 'out-dir': { type: 'string' } } });
  const outDir = resolve(values['out-dir'] ?? join(SERVER_DIR, 'dist'));
  await buildServer(outDir);
}
