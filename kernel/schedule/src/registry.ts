import { newId } from '@baton/core';
import type { DbCtx } from '@baton/db';
import { materialiseSchedules } from './recurring.ts';
import { type RunDueTimersInput, runDueTimers, type TimerHandler } from './timers.ts';

// Engines (flow deadlines and reminders, rule grants …) register their timer topics at the composition root;
// the timer job reads the registry on every run, so registration order against job creation does not matter.
const handlers = new Map<string, TimerHandler>();

/** Registers the handler of `topic`; a topic has one handler. Returns a function that unregisters it (tests). */
export function registerTimerHandler(topic: string, handler: TimerHandler): () => void {
  if (!topic) throw new TypeError('registerTimerHandler: topic is required');
  if (handlers.has(topic)) throw new TypeError(`registerTimerHandler: topic ${topic} already has a handler`);
  handlers.set(topic, handler);
  return () => {
    if (handlers.get(topic) === handler) handlers.delete(topic);
  };
}

/** A snapshot of the registered handlers, by topic. */
export function registeredTimerHandlers(): Readonly<Record<string, TimerHandler>> {
  return Object.freeze(Object.fromEntries(handlers));
}

export type TimerJobOptions = Omit<RunDueTimersInput, 'handlers' | 'owner'> & {
  /** Lease owner recorded on claimed rows (default `timers-<uuid>`, one per job). */
  owner?: string;
  /** Materialise due recurring schedules before running timers (default true). */
  recurring?: boolean;
  /** Job name reported by the worker (default `schedule.timers`). */
  name?: string;
};

/**
 * A worker job (structurally apps/worker's WorkerJob): materialises due recurring schedules, then claims and
 * handles due timers. `handlers` defaults to the registry, read at each run. Returns the items processed.
 */
export function timerJob(
  handlerMap?: Readonly<Record<string, TimerHandler>>,
  options: TimerJobOptions = {},
): { name: string; run(ctx: DbCtx): Promise<number> } {
  const { owner = `timers-${newId()}`, recurring = true, name = 'schedule.timers', ...run } = options;
  return {
    name,
    async run(ctx) {
      let materialised = 0;
      if (recurring) {
        try {
          materialised = await materialiseSchedules(ctx);
        } catch (error) {
          // Due timers must still run when materialising fails (e.g. a transient database error).
          ctx.log.error({ err: error }, 'materialising recurring schedules failed');
        }
      }
      const result = await runDueTimers(ctx, { ...run, owner, handlers: handlerMap ?? registeredTimerHandlers() });
      return materialised + result.claimed;
    },
  };
}
