/**
 * For tests of what must never run inside someone else's kysely transaction: a transaction that
 * does `work`, then stays open until `release()`, and rolls back.
 */
import type { Kysely, Transaction } from 'kysely';

export interface HeldTransaction<DB> {
  /**
   * Runs `work` inside the held transaction. Whatever else is waiting for the connection (an
   * append, a load) has had every chance to run by the time it resolves, unless it waits for
   * the transaction: deterministic, where a sleep passes whether the code waits or is slow.
   */
  inside<T>(work: (trx: Transaction<DB>) => Promise<T>): Promise<T>;
  release(): void;
  /** Resolves with the rollback's error message once released. */
  readonly rolledBack: Promise<string>;
}

export async function holdTransaction<DB>(db: Kysely<DB>, work: (trx: Transaction<DB>) => Promise<unknown>): Promise<HeldTransaction<DB>> {
  const inside = Promise.withResolvers<Transaction<DB>>();
  const release = Promise.withResolvers<void>();
  const rolledBack = db
    .transaction()
    .execute(async (trx) => {
      await work(trx);
      inside.resolve(trx);
      await release.promise;
      throw new Error('rolled back on purpose');
    })
    .catch((error: Error) => error.message);
  const trx = await inside.promise;
  return { inside: (more) => more(trx), release: () => release.resolve(), rolledBack };
}
