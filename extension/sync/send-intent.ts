/**
 * One queued shared-comment intent sent as the route of the contract it stands for
 * (shared/protocol/http-api.ts), and what the outbox is to do with it after the answer.
 */
import type { Intent, SendResult } from './outbox.ts';
import { ApiError, createComment, deleteComment, editComment, type ServerIdentity, type SharedPlace } from './server-api.ts';

/**
 * `reroute`: asked when the server answers 409 (a comment on a closed item sent to the open
 * room, the message naming where it belongs); resolves true when it took the intent elsewhere.
 */
export function intentSender(
  identity: ServerIdentity,
  place: SharedPlace,
  reroute?: (intent: Intent, message: string) => Promise<boolean>,
): (intent: Intent) => Promise<SendResult> {
  return async (intent) => {
    try {
      if (intent.op === 'create') await createComment(identity, place, intent.draft);
      else if (intent.op === 'edit') await editComment(identity, place, intent.id, intent.patch);
      else await deleteComment(identity, place, intent.id);
      return { ok: true };
    } catch (error) {
      const status = error instanceof ApiError ? error.status : 0;
      if (status === 409 && reroute && (await reroute(intent, (error as ApiError).message))) return { ok: true };
      // Not reached, server trouble, too many requests at once, or a token to fix: keep it and try
      // again later. Any other refusal is for good.
      return { ok: false, retry: status === 0 || status === 401 || status === 429 || status >= 500, status };
    }
  };
}
