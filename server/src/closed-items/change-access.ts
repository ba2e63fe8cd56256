/**
 * A secretary's change of an item's access: stored and audited in one transaction.
 */
import type { Kysely } from 'kysely';
import { type AccessChange, writeItemAccess } from '../storage/closed-items.ts';
import type { Database } from '../storage/schema.ts';

export interface ItemAccessDeps {
  db: Kysely<Database>;
}

export type AccessRequest = Omit<AccessChange, 'moved'>;

export async function changeItemAccess(deps: ItemAccessDeps, request: AccessRequest): Promise<{ moved: number; at: string }> {
  await deps.db.transaction().execute((trx) => writeItemAccess(trx, { ...request, moved: 0 }));
  return { moved: 0, at: request.at };
}
