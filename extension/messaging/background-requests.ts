/**
 * What extension pages and the PDF-takeover page script ask the background (runtime.sendMessage),
 * besides the content script's language (page-settings.ts). Web pages cannot send these; the
 * background still checks who sent each one (activation/site-requests.ts).
 */

export type BackgroundRequest =
  /** Options page → background: the hosts changed; answer once the page scripts are registered for them. */
  | { type: 'rn:sites-changed' }
  /** PDF-takeover script → background: this tab shows a PDF; open it in the viewer if the settings say so. */
  | { type: 'rn:open-pdf' };

export const SITES_CHANGED: BackgroundRequest = { type: 'rn:sites-changed' };
export const OPEN_PDF: BackgroundRequest = { type: 'rn:open-pdf' };

const TYPES = new Set<string>([SITES_CHANGED.type, OPEN_PDF.type]);

export function isBackgroundRequest(message: unknown): message is BackgroundRequest {
  return typeof message === 'object' && message !== null && TYPES.has((message as { type?: unknown }).type as string);
}
