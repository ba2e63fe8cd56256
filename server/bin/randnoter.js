#!/usr/bin/env node
// The compiled server (`npm run build` makes server/dist). During development
// `node server/src/main.ts` runs the TypeScript sources directly instead.
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('randnoter: the server is not built yet: run `npm run build` in the repository first\n');
  process.exit(2);
}
await import(main.href);
