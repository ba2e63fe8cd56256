import { detectAgenda } from '@randnoter/shared/agenda/detect-agenda';
import { buildPageText } from '@randnoter/shared/text/page-text';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type DetectionRequest, startAgendaDetector } from './agenda-detector.ts';

const page = (n: number, ...lines: string[]) =>
  buildPageText(
    n,
    lines.map((str) => ({ str, hasEOL: true })),
  );
const pages = [
  page(1, 'Mødedato: 23.01.2023', 'Dagsorden', 'Punkt 1: Budget', 'Punkt 2: Skoler'),
  page(2, 'Punkt 1: Budget', 'Tekst om budgettet'),
  page(3, 'Punkt 2: Skoler', 'Tekst om skolerne'),
];

/** A browser worker that records what it is sent and answers only when told to. */
class RecordingWorker extends EventTarget {
  static started: RecordingWorker[] = [];
  sent: DetectionRequest[] = [];
  terminated = false;
  constructor() {
    super();
    RecordingWorker.started.push(this);
  }
  postMessage(request: DetectionRequest): void {
    this.sent.push(request);
  }
  terminate(): void {
    this.terminated = true;
  }
  fail(): void {
    this.dispatchEvent(Object.assign(new Event('error', { cancelable: true }), { message: 'failed to load' }));
  }
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  RecordingWorker.started = [];
});

describe('agenda detection for the viewer', () => {
  it('sends the worker only the pages it has not had, and ends it when closed', async () => {
    vi.stubGlobal('Worker', RecordingWorker);
    const detector = startAgendaDetector([]);
    const worker = RecordingWorker.started[0] as RecordingWorker;
    void detector.detect(pages.slice(0, 2));
    const last = detector.detect(pages, { meetingDate: true });
    expect(worker.sent.map((r) => r.pages.map((p) => p.page))).toEqual([[1, 2], [3]]);
    expect(worker.sent.map((r) => r.detect?.meetingDate)).toEqual([false, true]);
    const answer = { id: worker.sent[1]?.detect?.id, outline: detectAgenda(pages), meetingDate: '2023-01-23' };
    worker.dispatchEvent(new MessageEvent('message', { data: answer }));
    expect(await last).toEqual({ outline: answer.outline, meetingDate: '2023-01-23' });
    detector.close();
    expect(worker.terminated).toBe(true);
  });

  it('detects in the page when the worker fails, what was asked included', async () => {
    vi.stubGlobal('Worker', RecordingWorker);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const detector = startAgendaDetector([]);
    const asked = detector.detect(pages, { meetingDate: true });
    (RecordingWorker.started[0] as RecordingWorker).fail();
    const inPage = { outline: detectAgenda(pages), meetingDate: '2023-01-23' };
    expect(inPage.outline.items.map((i) => i.title)).toEqual(['Budget', 'Skoler']);
    expect(await asked).toEqual(inPage);
    expect(await detector.detect(pages.slice(0, 1))).toEqual({ outline: detectAgenda(pages.slice(0, 1)), meetingDate: null });
    expect(logged).toHaveBeenCalledOnce();
  });

  it('detects in the page where no worker can start', async () => {
    vi.stubGlobal('Worker', undefined);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const detector = startAgendaDetector([]);
    expect(await detector.detect(pages, { meetingDate: true })).toEqual({ outline: detectAgenda(pages), meetingDate: '2023-01-23' });
    expect(logged).toHaveBeenCalledOnce();
  });
});
