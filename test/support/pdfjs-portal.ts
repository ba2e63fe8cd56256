/**
 * A meeting portal that shows packets in its own pdf.js viewer, as most do: `portal.html` frames
 * `viewer.html?file=…`, a page built from pdfjs-dist's viewer components (`web/pdf_viewer.mjs`)
 * that exposes `PDFViewerApplication` the way pdf.js's generic viewer does (pdfDocument,
 * pdfViewer, eventBus, url; pdfjs-dist does not ship the generic viewer itself). The page's own
 * script records every message posted in its windows and everything it can reach, for the
 * security checks (`window.__seen`). `components.html` is the same viewer without the application
 * object; `frame.html` and `embed.html` show the packet with the browser's own PDF viewer instead.
 */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

const viewerHtml = (LOADER: string) => `<!doctype html>
<html lang="da"><head><meta charset="utf-8"><title>Mødeportal – dokument</title>
<link rel="stylesheet" href="pdf_viewer.css">
<style>body { margin: 0; } #viewerContainer { position: absolute; inset: 40px 0 0 0; overflow: auto; } #toolbar { height: 40px; background: #234; color: #fff; }</style>
</head><body>
<div id="toolbar">Portalens værktøjslinje</div>
<div id="viewerContainer"><div id="viewer" class="pdfViewer"></div></div>
<script>
  // The portal's own script, watching what crosses its windows (a hostile page would).
  window.__seen = [];
  window.addEventListener('message', (event) => { try { window.__seen.push(JSON.stringify(event.data)); } catch {} });
</script>
${LOADER}
</body></html>`;

/** How each pdf.js major version's viewer components are loaded: ES modules since 4, globals before. */
const LOADERS = {
  '6': `<script type="module">
  import * as pdfjsLib from './pdf.mjs';
  import { EventBus, PDFLinkService, PDFViewer } from './pdf_viewer.mjs';
  pdfjsLib.GlobalWorkerOptions.workerSrc = './pdf.worker.mjs';
  const container = document.getElementById('viewerContainer');
  const eventBus = new EventBus();
  const pdfLinkService = new PDFLinkService({ eventBus });
  const pdfViewer = new PDFViewer({ container, eventBus, linkService: pdfLinkService });
  pdfLinkService.setViewer(pdfViewer);
  eventBus.on('pagesinit', () => { pdfViewer.currentScaleValue = 'page-width'; });
  const url = new URLSearchParams(location.search).get('file');
  const pdfDocument = await pdfjsLib.getDocument({ url }).promise;
  pdfViewer.setDocument(pdfDocument);
  pdfLinkService.setDocument(pdfDocument);
  // As pdf.js's generic viewer (web/app.js) exposes it.
  window.PDFViewerApplication = { initialized: true, url, pdfDocument, pdfViewer, pdfLinkService, eventBus, documentInfo: null };
</script>`,
  '4': `<script type="module">
  import * as pdfjsLib from './pdf.mjs';
  import { EventBus, PDFLinkService, PDFViewer } from './pdf_viewer.mjs';
  pdfjsLib.GlobalWorkerOptions.workerSrc = './pdf.worker.mjs';
  const container = document.getElementById('viewerContainer');
  const eventBus = new EventBus();
  const pdfLinkService = new PDFLinkService({ eventBus });
  const pdfViewer = new PDFViewer({ container, eventBus, linkService: pdfLinkService });
  pdfLinkService.setViewer(pdfViewer);
  eventBus.on('pagesinit', () => { pdfViewer.currentScaleValue = 'page-width'; });
  const url = new URLSearchParams(location.search).get('file');
  const pdfDocument = await pdfjsLib.getDocument({ url }).promise;
  pdfViewer.setDocument(pdfDocument);
  pdfLinkService.setDocument(pdfDocument);
  // As pdf.js's generic viewer (web/app.js) exposes it.
  window.PDFViewerApplication = { initialized: true, url, pdfDocument, pdfViewer, pdfLinkService, eventBus, documentInfo: null };
</script>`,
  '3': `<script src="pdf.js"></script>
<script src="pdf_viewer.js"></script>
<script>
  (async () => {
  const { pdfjsLib } = window;
  const { EventBus, PDFLinkService, PDFViewer } = window.pdfjsViewer;
  pdfjsLib.GlobalWorkerOptions.workerSrc = './pdf.worker.js';
  const container = document.getElementById('viewerContainer');
  const eventBus = new EventBus();
  const pdfLinkService = new PDFLinkService({ eventBus });
  const pdfViewer = new PDFViewer({ container, eventBus, linkService: pdfLinkService });
  pdfLinkService.setViewer(pdfViewer);
  eventBus.on('pagesinit', () => { pdfViewer.currentScaleValue = 'page-width'; });
  const url = new URLSearchParams(location.search).get('file');
  const pdfDocument = await pdfjsLib.getDocument({ url }).promise;
  pdfViewer.setDocument(pdfDocument);
  pdfLinkService.setDocument(pdfDocument);
  // As pdf.js's generic viewer (web/app.js) exposes it.
  window.PDFViewerApplication = { initialized: true, url, pdfDocument, pdfViewer, pdfLinkService, eventBus, documentInfo: null };
  })();
</script>`,
} as const;

/** The pdfjs-dist versions the portal can be built from (installed side by side under npm aliases). */
export type PdfjsVersion = keyof typeof LOADERS;
const PACKAGES: Record<PdfjsVersion, { root: () => string; files: Record<string, string> }> = {
  '6': {
    root: () => dirname(require.resolve('pdfjs-dist/package.json')),
    files: {
      'pdf.mjs': 'build/pdf.mjs',
      'pdf.worker.mjs': 'build/pdf.worker.mjs',
      'pdf_viewer.mjs': 'web/pdf_viewer.mjs',
      'pdf_viewer.css': 'web/pdf_viewer.css',
    },
  },
  '4': {
    root: () => dirname(require.resolve('pdfjs-dist-4/package.json')),
    files: {
      'pdf.mjs': 'build/pdf.mjs',
      'pdf.worker.mjs': 'build/pdf.worker.mjs',
      'pdf_viewer.mjs': 'web/pdf_viewer.mjs',
      'pdf_viewer.css': 'web/pdf_viewer.css',
    },
  },
  '3': {
    root: () => dirname(require.resolve('pdfjs-dist-3/package.json')),
    files: {
      'pdf.js': 'build/pdf.js',
      'pdf.worker.js': 'build/pdf.worker.js',
      'pdf_viewer.js': 'web/pdf_viewer.js',
      'pdf_viewer.css': 'web/pdf_viewer.css',
    },
  },
};

const PORTAL_HTML = `<!doctype html>
<html lang="da"><head><meta charset="utf-8"><title>Mødeportal</title>
<style>body { margin: 0; font: 14px sans-serif; } header { height: 48px; } iframe { border: 0; width: 100%; height: calc(100vh - 48px); }</style>
</head><body>
<header><h1>Rådmandsmøde 23. januar 2023</h1></header>
<iframe id="document" src="viewer.html?file=packet.pdf" title="Dokument"></iframe>
<script>
  window.__seen = [];
  window.addEventListener('message', (event) => { try { window.__seen.push(JSON.stringify(event.data)); } catch {} });
</script>
</body></html>`;

/** Portal pages that show the packet with the browser's own PDF viewer, in a frame or an <embed>. */
const BROWSER_VIEWER_PAGES = {
  'frame.html': '<iframe id="document" src="packet.pdf" title="Dokument" style="width: 100%; height: 800px; border: 0"></iframe>',
  'embed.html': '<embed id="document" src="packet.pdf" type="application/pdf" style="width: 100%; height: 800px">',
};

/** A folder for startStaticServer: the portal, its pdf.js viewer (of that major version) and `packet.pdf` (a copy of `pdfFile`). */
export function pdfjsPortalDir(pdfFile: string, version: PdfjsVersion = '6'): string {
  const dir = mkdtempSync(join(tmpdir(), 'randnoter-portal-'));
  const { files } = PACKAGES[version];
  const root = PACKAGES[version].root();
  for (const [to, from] of Object.entries(files)) copyFileSync(join(root, from), join(dir, to));
  copyFileSync(pdfFile, join(dir, 'packet.pdf'));
  const viewer = viewerHtml(LOADERS[version]);
  writeFileSync(join(dir, 'viewer.html'), viewer);
  // pdf.js's viewer components alone, without the application object (the second adapter).
  writeFileSync(join(dir, 'components.html'), viewer.replace(/\n.*window\.PDFViewerApplication = .*\n/, '\n'));
  writeFileSync(join(dir, 'portal.html'), PORTAL_HTML);
  for (const [name, element] of Object.entries(BROWSER_VIEWER_PAGES)) {
    writeFileSync(
      join(dir, name),
      `<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Mødeportal</title></head><body><h1>Rådmandsmøde</h1>${element}</body></html>`,
    );
  }
  return dir;
}
