import type { DbCtx } from '@baton/db';

export type RecordEventType = 'created' | 'updated' | 'voided';

export type RecordEvent = {
  type: RecordEventType;
  pack: string;
  key: string;
  recordId: string;
  /** The record's version after the change: with the id it names this change exactly. */
  version: number;
  at: string;
  /** A member id or `system:<name>`. */
  actorId: string;
  flowInstanceId: string | null;
  /** For `updated`: the values before the change (references as bare ids, subtables as rows). */
  before?: Readonly<Record<string, unknown>>;
};

/** Called inside the write's transaction: a throw rolls the whole write (and the action around it) back. */
export type RecordListener = (ctx: DbCtx, event: RecordEvent) => Promise<void> | void;

const listeners = new Set<RecordListener>();

/**
 * Subscribes to record writes of every form (rules wire here in the composition root; the form engine never
 * imports what reacts to it). Returns the function that unsubscribes.
 */
export function onRecordEvent(listener: RecordListener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

export async function emitRecordEvent(ctx: DbCtx, event: RecordEvent): Promise<void> {
  for (const listener of [...listeners]) await listener(ctx, event);
}
