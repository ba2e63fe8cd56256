/**
 * Hands an export to the user: a download, or for printable HTML the browser's print dialog.
 * The printed HTML sits in a frame of this extension page, so the page's script policy applies to
 * it: even if markup got into an export, no script in it could run.
 */

/** The part of the WebExtension `downloads` API a download needs (Firefox's build has it). */
export interface DownloadsApi {
  download(options: { url: string; filename: string }): Promise<number>;
}

/**
 * Saves the file in the downloads folder (or asks where, if the user told the browser to ask).
 * With `downloads`, through the extension's downloads API: Firefox opens a PDF saved from a page's
 * download link in a new tab in front, leaving the viewer behind (issue 31, point 7), but not
 * one saved through the API. Without it (Chrome and Edge, which only save), a download link.
 */
export async function downloadFile(bytes: Uint8Array, mediaType: string, fileName: string, downloads: DownloadsApi | null): Promise<void> {
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mediaType }));
  // The download has started by then; a minute leaves slow disks time before the URL goes.
  const revokeLater = () => setTimeout(() => URL.revokeObjectURL(url), 60_000);
  if (downloads) {
    try {
      await downloads.download({ url, filename: fileName });
    } finally {
      revokeLater();
    }
    return;
  }
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  revokeLater();
}

const PRINT_FRAME = 'rn-print-frame';

/** Opens the print dialog for an HTML document (one frame at a time; the previous one is replaced). */
export function printHtml(html: string, title: string): Promise<void> {
  document.getElementById(PRINT_FRAME)?.remove();
  const frame = document.createElement('iframe');
  frame.id = PRINT_FRAME;
  frame.title = title;
  // Laid out (a frame that is not rendered prints blank) but out of sight.
  frame.style.cssText = 'position:fixed;right:0;bottom:0;width:0;height:0;border:0;visibility:hidden';
  return new Promise((resolve) => {
    frame.addEventListener(
      'load',
      () => {
        frame.contentWindow?.focus();
        frame.contentWindow?.print();
        resolve();
      },
      { once: true },
    );
    frame.srcdoc = html;
    document.body.append(frame);
  });
}
