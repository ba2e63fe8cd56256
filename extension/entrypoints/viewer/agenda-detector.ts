/**
 * Agenda detection for the viewer, in a worker of its own that ends once the packet is read.
 * While a big packet streams, detection runs again and again over the pages read so far
 * (contents-preview.ts), so the browser compiles its functions and patterns to machine code: in
 * the page, that stayed for as long as the packet was open (0.2 MB of its heap), though nothing
 * detects again after opening. In a worker it goes with the worker (docs/PERFORMANCE.md,
 * "Memory"). Where no worker starts, detection runs in the page, as before.
 */
import type { PdfOutlineEntry } from '@randnoter/shared/agenda/agenda-references';
import { detectAgenda } from '@randnoter/shared/agenda/detect-agenda';
import { detectMeetingDate } from '@randnoter/shared/agenda/meeting-date';
import type { AgendaOutline } from '@randnoter/shared/agenda/outline';
import type { PageText } from '@randnoter/shared/text/page-text';

/** To the worker: the pages it has not had yet, and whether to detect on all it has. */
export interface DetectionRequest {
  pages: PageText[];
  detect: { id: number; bookmarks: readonly PdfOutlineEntry[]; meetingDate: boolean } | null;
}

/** From the worker. */
export interface DetectionAnswer {
  id: number;
  outline: AgendaOutline;
  meetingDate: string | null;
}

export interface Detection {
  outline: AgendaOutline;
  /** Only when asked for (the first pages of the whole packet). */
  meetingDate: string | null;
}

export interface AgendaDetector {
  /** Detection on `pages`: every page read so far, in page order (those already sent are not sent again). */
  detect(pages: readonly PageText[], options?: { meetingDate?: boolean }): Promise<Detection>;
  /** Ends the worker; no detection is asked for after. */
  close(): void;
}

interface Waiting {
  pages: readonly PageText[];
  meetingDate: boolean;
  resolve(detection: Detection): void;
  reject(error: unknown): void;
}

export function startAgendaDetector(bookmarks: readonly PdfOutlineEntry[]): AgendaDetector {
  const inPage = (pages: readonly PageText[], meetingDate: boolean): Detection => ({
    outline: detectAgenda(pages, { outline: bookmarks }),
    meetingDate: meetingDate ? detectMeetingDate(pages) : null,
  });
  const waiting = new Map<number, Waiting>();
  let worker = startWorker();
  let sent = 0;
  let nextId = 0;

  function startWorker(): Worker | null {
    try {
      const started = new Worker(new URL('./agenda-worker.ts', import.meta.url), { type: 'module' });
      started.addEventListener('message', (event: MessageEvent<DetectionAnswer>) => {
        const { id, outline, meetingDate } = event.data;
        waiting.get(id)?.resolve({ outline, meetingDate });
        waiting.delete(id);
      });
      started.addEventListener('error', (event) => {
        event.preventDefault();
        console.error('Randnoter: agenda detection runs in the page (its worker failed)', event.message);
        fallBack();
      });
      return started;
    } catch (error) {
      console.error('Randnoter: agenda detection runs in the page (no worker)', error);
      return null;
    }
  }

  /** The worker failed: what it was asked is answered in the page, and so is everything after. */
  function fallBack(): void {
    worker?.terminate();
    worker = null;
    for (const [id, request] of waiting) {
      waiting.delete(id);
      try {
        request.resolve(inPage(request.pages, request.meetingDate));
      } catch (error) {
        request.reject(error);
      }
    }
  }

  return {
    detect(pages, options = {}) {
      const meetingDate = options.meetingDate === true;
      if (!worker) return Promise.resolve().then(() => inPage(pages, meetingDate));
      const id = nextId++;
      const request: DetectionRequest = { pages: pages.slice(sent), detect: { id, bookmarks, meetingDate } };
      sent = pages.length;
      return new Promise<Detection>((resolve, reject) => {
        waiting.set(id, { pages: pages.slice(), meetingDate, resolve, reject });
        worker?.postMessage(request);
      });
    },
    close() {
      worker?.terminate();
      worker = null;
    },
  };
}
