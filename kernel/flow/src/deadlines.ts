import { systemActor } from '@baton/core';
import { type DbCtx, instant } from '@baton/db';
import { getMember, resolveHeadOf } from '@baton/org';
import {
  addBusinessTime,
  type BusinessCalendar,
  cancelTimer,
  chinaCalendar2026,
  scheduleTimer,
  type TimerHandler,
} from '@baton/schedule';
import { systemApprove, systemTransfer } from './actions.ts';
import type { AssigneeSpec } from './assignee-sources/define.ts';
import { Engine, installTaskTimers } from './engine.ts';
import { type DeadlineOptions, type Duration, deadlineSchema } from './node-kinds/approval/deadline.ts';
import type { Task } from './runtime-types.ts';

/*
 * Deadlines of approval tasks. When a task becomes pending, the engine (through installTaskTimers) schedules,
 * in the same transaction, `flow.deadline` (key task:<id>:deadline) and optionally `flow.reminder`; every way a
 * task leaves pending cancels both. The handlers run as the system actor and do nothing once the task is no
 * longer pending, so a timer that fires late or twice changes nothing.
 */

export const FLOW_DEADLINE_TOPIC = 'flow.deadline';
export const FLOW_REMINDER_TOPIC = 'flow.reminder';
const deadlineKey = (taskId: string) => `task:${taskId}:deadline`;
const reminderKey = (taskId: string) => `task:${taskId}:reminder`;

type Payload = { taskId: string; instanceId: string };

let businessCalendar: BusinessCalendar | undefined;

/** The calendar of `calendar: 'business'` deadlines (default chinaCalendar2026()); set at the composition root. */
export function setFlowBusinessCalendar(calendar: BusinessCalendar | undefined): void {
  businessCalendar = calendar;
}

function calendarOf(): BusinessCalendar {
  businessCalendar ??= chinaCalendar2026();
  return businessCalendar;
}

const MINUTE_MS = 60_000;

function shift(options: DeadlineOptions, from: Date, amount: Duration, sign: 1 | -1): Date {
  const days = (amount.days ?? 0) * sign;
  const hours = (amount.hours ?? 0) * sign;
  const minutes = (amount.minutes ?? 0) * sign;
  if (options.calendar === 'business') return addBusinessTime(calendarOf(), from, { days, hours, minutes });
  return new Date(from.getTime() + (days * 1440 + hours * 60 + minutes) * MINUTE_MS);
}

function deadlineOf(engine: Engine, nodeKey: string): DeadlineOptions | undefined {
  const node = engine.flow.byKey.get(nodeKey) as { deadline?: unknown } | undefined;
  // Validated when the flow was published; parsing again fills in the defaults.
  return node?.deadline ? deadlineSchema.parse(node.deadline) : undefined;
}

async function durationOf(engine: Engine, options: DeadlineOptions): Promise<Duration> {
  if (!options.fromField) return options.after;
  const code = (await engine.values())[options.fromField.field];
  return (typeof code === 'string' ? options.fromField.durations[code] : undefined) ?? options.after;
}

/** Arms the deadline (and reminder) of a task that just became pending; the engine records the due time. */
async function opened(engine: Engine, task: Task): Promise<string | undefined> {
  const options = deadlineOf(engine, task.nodeKey);
  if (!options) return undefined;
  const ctx = engine.ctx;
  const now = ctx.clock.now();
  const due = shift(options, now, await durationOf(engine, options), 1);
  const payload: Payload = { taskId: task.id, instanceId: task.instanceId };
  await scheduleTimer(ctx, { topic: FLOW_DEADLINE_TOPIC, key: deadlineKey(task.id), dueAt: due, payload });
  if (options.remindBefore) {
    const remindAt = shift(options, due, options.remindBefore, -1);
    if (remindAt.getTime() > now.getTime()) {
      await scheduleTimer(ctx, { topic: FLOW_REMINDER_TOPIC, key: reminderKey(task.id), dueAt: remindAt, payload });
    }
  }
  return instant(due);
}

/** Cancels the timers of tasks that left pending (the engine passes only tasks that had a deadline). */
async function closed(ctx: DbCtx, taskIds: readonly string[]): Promise<void> {
  for (const id of taskIds) {
    await cancelTimer(ctx, { topic: FLOW_DEADLINE_TOPIC, key: deadlineKey(id) });
    await cancelTimer(ctx, { topic: FLOW_REMINDER_TOPIC, key: reminderKey(id) });
  }
}

installTaskTimers({ opened, closed });

const asSystem = (ctx: DbCtx): DbCtx => ({ ...ctx, actor: systemActor('flow.deadline') });

/**
 * The task and its loaded instance while the task is still a pending approval task of a running instance.
 * With `claim` the instance's lock is taken before the task is looked at again, in the order every action takes
 * them (instance, then task): marking the task first would deadlock against an approval of the same task.
 */
async function stillPending(
  ctx: DbCtx,
  payload: Payload,
  claim: boolean,
): Promise<{ task: Task; engine: Engine } | undefined> {
  const row = await ctx.db
    .selectFrom('baton_flow_task')
    .select(['state', 'kind', 'instanceId'])
    .where('id', '=', payload.taskId)
    .executeTakeFirst();
  if (row?.state !== 'pending' || row.kind !== 'approval') return undefined;
  let engine = await Engine.load(ctx, row.instanceId);
  if (claim && !(await engine.tryClaim())) {
    // An action committed since the read: read again, then claim under the lock it now leaves free.
    engine = await Engine.load(ctx, row.instanceId);
    await engine.claim();
  }
  if (engine.inst.state !== 'running') return undefined;
  const task = await engine.readTask(payload.taskId);
  if (task?.state !== 'pending') return undefined;
  return { task, engine };
}

async function activeMemberId(ctx: DbCtx, id: string | undefined): Promise<string | undefined> {
  if (!id) return undefined;
  const member = await getMember(ctx, { id }).catch(() => undefined);
  return member?.status === 'active' ? id : undefined;
}

/** Who takes an overdue task over: transferTo's first other member, or the assignee's head (escalate). */
async function successor(engine: Engine, task: Task, options: DeadlineOptions): Promise<string | undefined> {
  let candidates: string[] = [];
  if (options.overdue === 'transfer' && options.transferTo) {
    candidates = await engine.resolveAssignees([options.transferTo as AssigneeSpec], task.nodeKey);
  } else if (options.overdue === 'escalate') {
    candidates = await resolveHeadOf(engine.ctx, { memberId: task.assigneeId });
  }
  return activeMemberId(
    engine.ctx,
    candidates.find((id) => id !== task.assigneeId),
  );
}

const reminderHandler: TimerHandler = async (txCtx, timer) => {
  const found = await stillPending(asSystem(txCtx), timer.payload as Payload, false);
  if (!found) return;
  const { task, engine } = found;
  await engine.emit({
    type: 'taskReminder',
    nodeKey: task.nodeKey,
    nodeRunId: task.nodeRunId,
    taskId: task.id,
    detail: { assigneeId: task.assigneeId, dueAt: task.dueAt },
  });
};

const deadlineHandler: TimerHandler = async (txCtx, timer) => {
  const ctx = asSystem(txCtx);
  const found = await stillPending(ctx, timer.payload as Payload, true);
  if (!found) return;
  const { task, engine } = found;
  const options = deadlineOf(engine, task.nodeKey);
  await ctx.db
    .updateTable('baton_flow_task')
    .set({ overdueAt: instant(ctx.clock.now()) })
    .where('id', '=', task.id)
    .execute();
  const wanted = options?.overdue ?? 'notify';
  const to =
    options && (wanted === 'transfer' || wanted === 'escalate') ? await successor(engine, task, options) : undefined;
  // Nobody to hand it to (no head, the same member, inactive): the overdue task stays and is only notified.
  const action = (wanted === 'transfer' || wanted === 'escalate') && !to ? 'notify' : wanted;
  await engine.emit({
    type: 'taskOverdue',
    nodeKey: task.nodeKey,
    nodeRunId: task.nodeRunId,
    taskId: task.id,
    detail: { assigneeId: task.assigneeId, dueAt: task.dueAt, action, ...(to ? { to } : {}) },
  });
  if (action === 'autoApprove') await systemApprove(ctx, { taskId: task.id, opinion: '超时自动通过' });
  else if (to) {
    await systemTransfer(ctx, {
      taskId: task.id,
      to,
      opinion: action === 'escalate' ? '超时上报主管' : '超时自动转交',
    });
  }
};

/** Timer handlers of the flow engine; register each with registerTimerHandler at the composition root. */
export const flowTimerHandlers: Readonly<Record<string, TimerHandler>> = Object.freeze({
  [FLOW_DEADLINE_TOPIC]: deadlineHandler,
  [FLOW_REMINDER_TOPIC]: reminderHandler,
});
