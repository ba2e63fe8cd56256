/**
 * The last step of a user's erasure, in one transaction with its record: every row about the
 * user goes. A feature that stores more about users adds its own step to ACCOUNT_STEPS.
 */
import type { Transaction } from 'kysely';
import { removeAccount } from '../storage/erasures.ts';
import type { Database } from '../storage/schema.ts';

export type AccountStep = (trx: Transaction<Database>, userId: string) => Promise<void>;

/**
 * What is removed of an erased user besides their rooms, in this order. Add here:
 * - the user's notifications, and the notifications whose actor they are (`eraseNotifications`,
 *   once notifications exist: issue 30);
 * - anything else keyed by the user's id.
 * The account itself (`removeAccount`) goes last: the steps before may still look it up.
 */
export const ACCOUNT_STEPS: readonly AccountStep[] = [removeAccount];
