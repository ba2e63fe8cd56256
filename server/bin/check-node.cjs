#!/usr/bin/env node
// Randnoter needs Node.js 22.18 or newer (TypeScript run as is, better-sqlite3 13, WXT, vitest).
// On an older Node: one line saying what to do, exit 1, instead of a stack trace further on.
// Plain old JavaScript on purpose: it must run on the Node it refuses.
'use strict';
var parts = process.versions.node.split('.');
var major = Number(parts[0]);
var minor = Number(parts[1]);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(
    'Randnoter needs Node.js 22.18 or newer and this is ' +
      process.version +
      ': install Node.js 24 (https://nodejs.org/en/download, or `nvm install 24`), then run the command again.',
  );
  process.exit(1);
}
