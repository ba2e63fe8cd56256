/**
 * The last step of a user's erasure, in one transaction with its record: every row about the
 * user goes. A feature that stores more about users adds its own step to ACCOUNT_STEPS.
 */
import type { Transaction } from 'kysely';
import { removeAccount } from '../storage/erasures.ts';
import { eraseUserNotifications } from '../storage/notifications.ts';
import type { Database } from '../storage/schema.ts';

export type AccountStep = (trx: Transaction<Database>, userId: string) => Promise<void>;

/**
 * What is removed of an erased user besides their rooms, in this order: their notifications and
 * those whose actor they are, their notification settings and unsent e-mail; a feature that keys
 * more by the user's id adds its step here. The account itself (`removeAccount`) goes last: the
 * steps before may still look it up.
 */
export const ACCOUNT_STEPS: readonly AccountStep[] = [eraseUserNotifications, removeAccount];
