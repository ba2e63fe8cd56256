/**
 * The worker side of agenda-detector.ts: keeps the pages it is sent and detects the agenda (and,
 * when asked for the last time, the meeting date) on them.
 */
import { detectAgenda } from '@randnoter/shared/agenda/detect-agenda';
import { detectMeetingDate } from '@randnoter/shared/agenda/meeting-date';
import type { PageText } from '@randnoter/shared/text/page-text';
import type { DetectionAnswer, DetectionRequest } from './agenda-detector.ts';

const pages: PageText[] = [];

addEventListener('message', (event: MessageEvent<DetectionRequest>) => {
  const request = event.data;
  pages.push(...request.pages);
  if (!request.detect) return;
  const answer: DetectionAnswer = {
    id: request.detect.id,
    outline: detectAgenda(pages, { outline: request.detect.bookmarks }),
    meetingDate: request.detect.meetingDate ? detectMeetingDate(pages) : null,
  };
  postMessage(answer);
});
