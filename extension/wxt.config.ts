import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { defineConfig } from 'wxt';

const require = createRequire(import.meta.url);
const pdfjsRoot = dirname(require.resolve('pdfjs-dist/package.json'));

/** pdf.js needs its worker and data files next to the viewer; copy them into the build as /pdfjs/. */
function pdfjsAssets(): Array<{ absoluteSrc: string; relativeDest: string }> {
  const files: Array<{ absoluteSrc: string; relativeDest: string }> = [
    { absoluteSrc: join(pdfjsRoot, 'build/pdf.worker.min.mjs'), relativeDest: 'pdfjs/pdf.worker.min.mjs' },
  ];
  for (const folder of ['cmaps', 'standard_fonts', 'wasm', 'iccs']) {
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else files.push({ absoluteSrc: path, relativeDest: join('pdfjs', relative(pdfjsRoot, path)) });
      }
    };
    walk(join(pdfjsRoot, folder));
  }
  return files;
}

export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  imports: false,
  webExt: { disabled: true },
  // pdf.js alone is over a megabyte; it is loaded from disk, not the network.
  vite: () => ({ build: { chunkSizeWarningLimit: 3000 } }),
  hooks: {
    'build:publicAssets': (_wxt, files) => {
      files.push(...pdfjsAssets());
    },
  },
  manifest: ({ browser }) => ({
    name: 'Randnoter',
    description: 'Noter og delte kommentarer i mødepakker / Notes and shared comments on meeting packets',
    // Each one is explained in docs/DEPLOYMENT.md ("The extension's permissions"). Firefox runs no
    // extension script in its PDF viewer, so it takes PDFs over by their response headers instead.
    // identity: the sign-in window of "Log ind med din organisation" (launchWebAuthFlow), no account access.
    // downloads (Firefox): exports saved without Firefox opening a PDF in a tab in front of the viewer.
    // alarms: the unread count on the toolbar button is asked for every few minutes when no packet is open.
    permissions: [
      'storage',
      'unlimitedStorage',
      'contextMenus',
      'scripting',
      'activeTab',
      'identity',
      'alarms',
      ...(browser === 'firefox' ? ['webRequest', 'downloads'] : []),
    ],
    // No site until one is listed (by IT, or the user at a click): activation/host-access.ts.
    optional_host_permissions: ['*://*/*'],
    // Until the button has been used on a site; there it is named "Randnoter" (activation/start-sites.ts).
    action: { default_title: 'Aktivér Randnoter på dette websted' },
    // What IT may set by policy (settings/managed-policy.ts). Firefox reads policies.json instead
    // and would warn about the key.
    ...(browser === 'firefox' ? {} : { storage: { managed_schema: 'managed-schema.json' } }),
    // The sidebar frame on HTML agenda pages; a per-session URL in Chrome so pages cannot probe for it.
    // (Which pages may frame it, not access to them: the page script puts it on active sites only.)
    // And the viewer's framed copy, for a PDF a portal shows in a frame or <embed>, replaced in
    // place (inplace/replace-pdf-frames.ts); viewer.html itself stays a tab page (Chrome would not
    // open it in a tab by its usual address once web-accessible per session).
    web_accessible_resources: [
      browser === 'firefox'
        ? { resources: ['sidebar.html', 'framed-viewer.html'], matches: ['*://*/*'] }
        : { resources: ['sidebar.html', 'framed-viewer.html'], matches: ['*://*/*'], use_dynamic_url: true },
    ],

    content_security_policy: {
      // pdf.js decodes some images with WebAssembly.
      extension_pages: "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'",
    },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'randnoter@randnoter.dk',
              strict_min_version: '128.0',
              // Quoted document text and notes go to the Randnoter server the user configures.
              data_collection_permissions: { required: ['websiteContent'] },
            },
          },
        }
      : {}),
  }),
});
