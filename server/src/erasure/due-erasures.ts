/**
 * Users' own erasures (`DELETE /api/me`) are carried out by a running server once their grace
 * period has ended; the request is in the database, so a restart does not lose it, and an erasure
 * cut short is tried again at the next check.
 */
import { dueErasures } from '../storage/erasures.ts';
import { type ErasureDeps, ErasureError, eraseUser } from './erase-user.ts';

/** How long a user may take back their own erasure (DESIGN: "24 h grace"). */
export const ERASURE_GRACE_MS = 24 * 3600 * 1000;

/** Erases every user whose erasure is due now; returns how many. */
export async function eraseDue(deps: ErasureDeps): Promise<number> {
  let erased = 0;
  for (const { userId, by } of await dueErasures(deps.db, deps.clock().toISOString())) {
    try {
      await eraseUser(deps, userId, by);
      erased++;
    } catch (error) {
      if (!(error instanceof ErasureError)) throw error;
      // Nothing left of the user (erased meanwhile): the request goes.
      await deps.db.deleteFrom('erasure_requests').where('user_id', '=', userId).execute();
    }
  }
  return erased;
}
