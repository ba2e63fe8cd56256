/**
 * For tests of what must never run inside someone else's kysely transaction: a transaction that
 * does `work`, then stays open until `release()`, and rolls back.
 */
import type { Kysely, Transaction } from 'kysely';

export interface HeldTransaction {
  release(): void;
  /** Resolves with the rollback's error message once released. */
  readonly rolledBack: Promise<string>;
}

export async function holdTransaction<DB>(db: Kysely<DB>, work: (trx: Transaction<DB>) => Promise<unknown>): Promise<HeldTransaction> {
  const inside = Promise.withResolvers<void>();
  const release = Promise.withResolvers<void>();
  const rolledBack = db
    .transaction()
    .execute(async (trx) => {
      await work(trx);
      inside.resolve();
      await release.promise;
      throw new Error('rolled back on purpose');
    })
    .catch((error: Error) => error.message);
  await inside.promise;
  return { release: () => release.resolve(), rolledBack };
}
