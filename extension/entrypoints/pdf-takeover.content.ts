/**
 * "Åbn PDF'er automatisk" in Chrome and Edge: registered at document start on the hosts where PDFs
 * open in the viewer (activation/page-scripts.ts). It reads nothing but the document's type: a
 * PDF shown as the tab's page is handed to the background, which opens it in the viewer.
 * (Firefox runs no extension script in its PDF viewer; there the background uses webRequest.)
 */
import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { OPEN_PDF } from '../messaging/background-requests.ts';

export default defineContentScript({
  registration: 'runtime',
  runAt: 'document_start',
  main() {
    if (document.contentType === 'application/pdf' && window === window.top) void browser.runtime.sendMessage(OPEN_PDF).catch(() => {});
  },
});
