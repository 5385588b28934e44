import { type Clock, type Logger, newId, systemActor, systemClock } from '@baton/core';
import { type Database, type DbCtx, DbErrors, type OutboxMessage, outbox } from '@baton/db';

/** Delivers one outbox message to the outside world. Throwing means "retry later". */
export type OutboxHandler = (message: OutboxMessage, ctx: DbCtx) => Promise<void>;

/**
 * A unit of background work run on every tick, e.g. the schedule engine's due-row claimer.
 * Returns how many items it processed, so an idle worker can back off.
 */
export type WorkerJob = { name: string; run(ctx: DbCtx): Promise<number> };

export type WorkerOptions = {
  database: Database;
  logger: Logger;
  clock?: Clock;
  /** Identifies this worker's leases; unique per process. */
  owner?: string;
  handlers?: Readonly<Record<string, OutboxHandler>>;
  jobs?: ReadonlyArray<WorkerJob>;
  pollMs?: number;
  batchSize?: number;
  leaseMs?: number;
  maxAttempts?: number;
};

export type TickResult = { delivered: number; retried: number; dead: number; jobs: number };

export type Worker = {
  readonly owner: string;
  /** One pass: claim and deliver due outbox rows, then run every job once. */
  tick(): Promise<TickResult>;
  start(): void;
  /** Finishes the pass in progress, then stops. */
  stop(): Promise<void>;
};

export function createWorker(options: WorkerOptions): Worker {
  const owner = options.owner ?? `worker-${newId()}`;
  const clock = options.clock ?? systemClock;
  const log = options.logger.child({ worker: owner });
  const handlers = options.handlers ?? {};
  const topics = Object.keys(handlers);
  const jobs = options.jobs ?? [];
  const pollMs = options.pollMs ?? 500;
  const batchSize = options.batchSize ?? 20;
  const leaseMs = options.leaseMs ?? 60_000;
  const ctx = (): DbCtx => ({ db: options.database.db, actor: systemActor('worker'), clock, log });

  async function deliverOutbox(): Promise<Omit<TickResult, 'jobs'>> {
    const result = { delivered: 0, retried: 0, dead: 0 };
    // Only topics this process can deliver are claimed, so a worker of an older build never
    // burns another's attempts on messages it does not understand.
    if (topics.length === 0) return result;
    const messages = await outbox.claim(ctx(), { owner, limit: batchSize, leaseMs, topics });
    for (const message of messages) {
      const handler = handlers[message.topic];
      try {
        if (!handler) throw new Error(`no handler for topic ${message.topic}`);
        // The effect happens outside any transaction: the receiver sees the idempotency key and
        // must tolerate a repeat if this process dies before `complete` commits.
        await handler(message, ctx());
        if (await outbox.complete(ctx(), { id: message.id, owner })) result.delivered += 1;
        else log.warn({ messageId: message.id }, 'outbox lease lost before completion; another worker will retry');
      } catch (error) {
        let outcome: 'retry' | 'dead';
        try {
          outcome = await outbox.fail(ctx(), {
            id: message.id,
            owner,
            error: error instanceof Error ? error.message : String(error),
            ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
          });
        } catch (failError) {
          // Our lease expired while delivering: the row already belongs to another claimer.
          if (!DbErrors.leaseLost.is(failError)) throw failError;
          log.warn({ messageId: message.id }, 'outbox lease lost before recording the failure');
          continue;
        }
        if (outcome === 'dead') result.dead += 1;
        else result.retried += 1;
        log.warn({ messageId: message.id, topic: message.topic, outcome, err: error }, 'outbox delivery failed');
      }
    }
    return result;
  }

  async function tick(): Promise<TickResult> {
    const result: TickResult = { ...(await deliverOutbox()), jobs: 0 };
    for (const job of jobs) {
      try {
        result.jobs += await job.run(ctx());
      } catch (error) {
        log.error({ job: job.name, err: error }, 'worker job failed');
      }
    }
    return result;
  }

  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<unknown> | undefined;

  function schedule(delay: number) {
    if (!running) return;
    timer = setTimeout(() => {
      current = tick()
        .then((r) => schedule(r.delivered + r.retried + r.dead + r.jobs > 0 ? 0 : pollMs))
        .catch((error: unknown) => {
          log.error({ err: error }, 'worker tick failed');
          schedule(pollMs * 4);
        });
    }, delay);
    // The worker must not keep a finished CLI command alive on its own.
    timer.unref();
  }

  return {
    owner,
    tick,
    start() {
      if (running) return;
      running = true;
      log.info({ topics, jobs: jobs.map((j) => j.name), pollMs }, 'worker started');
      schedule(0);
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      await current;
      log.info('worker stopped');
    },
  };
}
