import { type DbCtx, fromJson } from '@baton/db';
import { onFlowEvent } from '@baton/flow';
import { onRecordEvent } from '@baton/form';
import { applyRules, ruleTimerHandlers } from '@baton/rule';
import { timerJob } from '@baton/schedule';

/**
 * Runs rules on flow and record events, inside each event's transaction: what the composition root wires in the
 * platform, for pack scenario tests and tools that run packs outside it. Returns the function that unwires.
 * Wire it once per process (rule runs are idempotent per rule and event, but twice is wasted work).
 */
export function wireRules(): () => void {
  const offFlow = onFlowEvent((tx, event) => applyRules(tx, { flow: event }).then(() => undefined));
  const offRecord = onRecordEvent((tx, event) => applyRules(tx, { record: event }).then(() => undefined));
  return () => {
    offFlow();
    offRecord();
  };
}

/**
 * What a worker does for rules: runs the due timers of scheduled and date rules (each occurrence, then each
 * record's run) until none is due. For pack scenario tests on a fake clock; returns how many ran.
 */
export async function runDueRules(ctx: DbCtx): Promise<number> {
  const job = timerJob(ruleTimerHandlers, { owner: 'pack-scenario' });
  let total = 0;
  for (let round = 0; round < 10; round++) {
    const ran = await job.run(ctx);
    total += ran;
    if (ran === 0) break;
  }
  return total;
}

export type QueuedNotice = {
  recipients: string[];
  kind: string;
  title: { zh: string; en: string };
  body?: { zh: string; en: string };
  link?: string;
};

/** Notices rules have queued for delivery (outbox topic `message.send`), oldest first: what a scenario asserts. */
export async function queuedNotices(ctx: DbCtx, kind?: string): Promise<QueuedNotice[]> {
  const rows = await ctx.db
    .selectFrom('baton_db_outbox')
    .select(['payload'])
    .where('topic', '=', 'message.send')
    .orderBy('id')
    .execute();
  const notices = rows.map((row) => fromJson<QueuedNotice>(row.payload));
  return kind ? notices.filter((notice) => notice.kind === kind) : notices;
}
