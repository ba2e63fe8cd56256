/**
 * Why an export was not made, as the HTTP answer says it: the status, one line for the user, and
 * when a retry may succeed. `reason` names it in logs and metrics.
 */
export const RefusalReason = {
  /** The user already has an export running (429). */
  userBusy: 'user-busy',
  /** Every export worker is busy and the queue is full (503). */
  queueFull: 'queue-full',
  /** The worker ran past the time limit and was ended (504). */
  timeout: 'timeout',
  /** The worker's heap ran full (503). */
  memory: 'memory',
  /** The file would be larger than the limit (503). */
  tooLarge: 'too-large',
  /** The worker failed otherwise (500). */
  failed: 'failed',
} as const;
export type RefusalReason = (typeof RefusalReason)[keyof typeof RefusalReason];

export class ExportRefused extends Error {
  readonly reason: RefusalReason;
  readonly status: 429 | 500 | 503 | 504;
  /** Seconds after which trying again may succeed (the Retry-After header), if at all. */
  readonly retryAfterS: number | null;

  /** `cause`: what went wrong inside, for the log only. */
  constructor(reason: RefusalReason, status: 429 | 500 | 503 | 504, message: string, retryAfterS: number | null = null, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.reason = reason;
    this.status = status;
    this.retryAfterS = retryAfterS;
  }
}
