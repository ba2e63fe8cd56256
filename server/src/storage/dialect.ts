/**
 * The few places where SQLite and PostgreSQL differ (column types in migrations, error codes)
 * ask here, so the rest of the storage code stays one set of kysely queries.
 */
import { type Kysely, PostgresAdapter } from 'kysely';

export function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** PostgreSQL error codes after which a whole transaction may simply run again. */
const RETRYABLE = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '23505', // unique_violation: a concurrent transaction inserted the same key first
]);

/**
 * Runs `transaction` again (a few times) when PostgreSQL aborted it because of a concurrent one.
 * Only for transactions without side effects outside the database. SQLite serialises writers,
 * so there it never retries.
 */
export async function retryConflicts<T>(transaction: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transaction();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= attempts || typeof code !== 'string' || !RETRYABLE.has(code)) throw error;
    }
  }
}
