// Row shapes as Kysely sees them (camelCase through CamelCasePlugin; SQL is snake_case).

export type TimerState = 'pending' | 'done' | 'failed' | 'cancelled';

export type TimerTable = {
  id: string;
  topic: string;
  /** Caller's idempotency key, unique per topic. */
  key: string;
  /** When the timer fires; kept as given across retries (the handler sees the real due time). */
  dueAt: string;
  /** JSON text (toJson / fromJson). */
  payload: string;
  state: TimerState;
  /** Claims so far, the current one included. */
  attempts: number;
  leaseOwner: string | null;
  /** New for every claim: a handler completes only while the row still carries the token it was given. */
  leaseToken: string | null;
  /** A claim's lease end, or, with no owner, the earliest retry after a failure. */
  leaseUntil: string | null;
  lastError: string | null;
  createdAt: string;
  /** When it left `pending` (done, failed or cancelled). */
  doneAt: string | null;
};

export type RecurringTable = {
  id: string;
  key: string;
  cron: string;
  timeZone: string;
  topic: string;
  payload: string;
  /** The next occurrence to materialise as a timer; null when the expression has no more. */
  nextDueAt: string | null;
  /** Written true/false, read back 1/0. */
  enabled: number | boolean;
  createdAt: string;
  updatedAt: string;
};

declare module '@baton/db' {
  interface BatonDatabase {
    baton_schedule_timer: TimerTable;
    baton_schedule_recurring: RecurringTable;
  }
}
