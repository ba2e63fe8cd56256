/**
 * The folder rules of docs/ARCHITECTURE.md ("Folder rules"), checked by `npm run lint`.
 *
 * Sources are parsed with swc, which sees type-only imports too: a cycle made of `import type`
 * lines is still a cycle between folders. (TypeScript 7 has no compiler API for the tsc parser.)
 */

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'extension-not-to-server',
      comment: 'The extension and the server share code only through the shared package.',
      severity: 'error',
      from: { path: '^extension/' },
      to: { path: '^server/' },
    },
    {
      name: 'server-not-to-extension',
      comment: 'The extension and the server share code only through the shared package.',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: '^extension/' },
    },
    {
      name: 'shared-stands-alone',
      comment: 'shared is the domain both sides import: it imports neither of them, nor tests or benchmarks.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(extension|server|test|bench)/' },
    },
    {
      name: 'shared-no-node',
      comment: 'shared runs in the browser and in Node alike: no Node built-ins outside its tests.',
      severity: 'error',
      from: { path: '^shared/src/', pathNot: '[.]test[.]ts$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'pdf-not-to-sync',
      comment: 'pdf/ knows pdf.js and not Yjs; the entrypoints and the annotator compose the two.',
      severity: 'error',
      from: { path: '^extension/pdf/' },
      to: { path: '^extension/sync/' },
    },
    {
      name: 'sync-not-to-pdf',
      comment: 'sync/ knows Yjs and not pdf.js; the entrypoints and the annotator compose the two.',
      severity: 'error',
      from: { path: '^extension/sync/' },
      to: { path: '^extension/pdf/' },
    },
    {
      name: 'not-to-entrypoints',
      comment: 'Entrypoints build pages from the folders; nothing builds on an entrypoint.',
      severity: 'error',
      from: { pathNot: '^extension/entrypoints/' },
      to: { path: '^extension/entrypoints/' },
    },
    {
      name: 'no-folder-cycles',
      comment: 'Folders depend on each other one way: a type needed on both sides goes to the lower folder.',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-module-cycles',
      comment: 'Modules import each other one way.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    parser: 'swc',
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|[.]output|[.]wxt|[.]tsbuild|dist|test-results)/' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.mjs', '.js', '.cjs', '.d.ts'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
