import { z } from 'zod';
import type { AssigneeSpec } from '../../assignee-sources/define.ts';
import { FlowErrors } from '../../errors.ts';
import type { NodeRun, Runtime, Task } from '../../runtime-types.ts';
import { defineNodeKind, type Progress } from '../define.ts';
import { assigneesSchema, checkAssignees, checkFieldAccess, fieldAccessSchema } from '../shared.ts';
import { checkDeadline, deadlineSchema } from './deadline.ts';

const config = z.strictObject({
  /** single: the first resolved assignee · sequential: one at a time in order · countersign: all (or `ratio`) · anySign: the first to act. */
  mode: z.enum(['single', 'sequential', 'countersign', 'anySign']).default('single'),
  ratio: z.number().gt(0).max(1).optional(),
  assignees: assigneesSchema,
  emptyPolicy: z.enum(['autoPass', 'administrator', 'refuse']).default('refuse'),
  dedupe: z.enum(['none', 'previous', 'anyEarlier']).default('none'),
  initiatorAutoPass: z.boolean().default(false),
  fieldAccess: fieldAccessSchema,
  opinionField: z.string().max(40).optional(),
  /** Per-task deadline, reminder and overdue action (timers armed by deadlines.ts). */
  deadline: deadlineSchema.optional(),
});
export type ApprovalConfig = z.output<typeof config>;

/** Outcomes that count as an approval of the node. */
export const approving: ReadonlySet<string> = new Set(['approved', 'deduped', 'initiatorAutoPass']);
const extraOrigins: ReadonlySet<string> = new Set(['before', 'after']);
const open = (task: Task) => task.state === 'pending' || task.state === 'waiting';
const voting = (task: Task) =>
  !extraOrigins.has(task.origin) && task.state !== 'cancelled' && task.outcome !== 'transferred';

async function progress(rt: Runtime, run: NodeRun, options: ApprovalConfig): Promise<Progress> {
  const tasks = (await rt.tasksOf(run)).filter((task) => task.kind === 'approval');
  const votes = tasks.filter(voting);
  const approvals = votes.filter((task) => task.outcome !== null && approving.has(task.outcome)).length;
  const rejections = tasks.filter((task) => task.outcome === 'rejected').length;
  const extrasOpen = tasks.some((task) => extraOrigins.has(task.origin) && open(task));
  const needed =
    options.mode === 'countersign'
      ? Math.max(1, Math.ceil((options.ratio ?? 1) * votes.length - 1e-9))
      : options.mode === 'sequential'
        ? votes.length
        : 1;
  const stillPossible = votes.filter(open).length;
  if (rejections > 0 && (options.mode !== 'countersign' || approvals + stillPossible < needed)) {
    await closeOpen(rt, tasks);
    return { kind: 'failed', outcome: 'rejected' };
  }
  if (approvals >= needed && !extrasOpen) {
    await closeOpen(rt, tasks);
    return { kind: 'complete', outcome: 'approved' };
  }
  // Wake waiting tasks: those whose before-signers are done; in sequential mode only the next in order.
  const blocked = (task: Task) =>
    tasks.some((other) => other.origin === 'before' && other.addedBy === task.assigneeId && open(other));
  const waiting = votes.filter((task) => task.state === 'waiting' && !blocked(task)).sort((a, b) => a.seq - b.seq);
  if (options.mode === 'sequential') {
    // An after-signer finishes before the next in line starts.
    const anyPending =
      extrasOpen || votes.some((task) => task.state === 'pending' || (task.state === 'waiting' && blocked(task)));
    const next = waiting[0];
    if (!anyPending && next) await rt.updateTask(next.id, { state: 'pending' });
  } else {
    for (const task of waiting) await rt.updateTask(task.id, { state: 'pending' });
  }
  return { kind: 'wait' };
}

async function closeOpen(rt: Runtime, tasks: readonly Task[]): Promise<void> {
  for (const task of tasks) if (open(task)) await rt.updateTask(task.id, { state: 'cancelled' });
}

/** An approval step: tasks for the resolved assignees, completed by the mode's rule. */
export const approvalNode = defineNodeKind({
  kind: 'approval',
  configSchema: config,
  outgoing: 'one',
  hasTasks: true,
  check: (options, node, context) => {
    if (options.assignees.length === 0) {
      context.add([...context.path, 'assignees'], 'no_assignee_source', { kind: 'approval', kindZh: '审批' });
    }
    if (options.ratio !== undefined && options.mode !== 'countersign') {
      context.add([...context.path, 'ratio'], 'ratio_not_countersign');
    }
    if (options.emptyPolicy === 'administrator' && (context.def.administrators ?? []).length === 0) {
      context.add([...context.path, 'emptyPolicy'], 'no_administrator');
    }
    checkAssignees(options.assignees as AssigneeSpec[], context);
    checkFieldAccess(options.fieldAccess, context);
    checkDeadline(options.deadline, context);
    const form = context.form;
    if (options.opinionField !== undefined && form) {
      const field = form.fieldTypes.get(options.opinionField);
      const bound = (field?.config as { node?: string } | undefined)?.node;
      if (field?.type !== 'opinion' || bound !== node.key) {
        context.add([...context.path, 'opinionField'], 'bad_opinion_field', {
          field: options.opinionField,
          node: node.key,
        });
      }
    }
  },
  enter: async (rt, run, options) => {
    let ids = await rt.resolveAssignees(options.assignees as AssigneeSpec[], run.nodeKey);
    if (ids.length === 0) {
      if (options.emptyPolicy === 'autoPass') return { kind: 'complete', outcome: 'autoPassed' };
      if (options.emptyPolicy === 'administrator') ids = [...rt.flow.def.administrators];
      if (ids.length === 0) throw FlowErrors.noAssignee.create({ node: run.nodeKey });
    }
    if (options.mode === 'single') ids = ids.slice(0, 1);
    await rt.setAssignees(run, ids);
    let firstOpen = true;
    for (const [index, assigneeId] of ids.entries()) {
      let auto: string | null = null;
      if (options.initiatorAutoPass && assigneeId === rt.initiatorId) auto = 'initiatorAutoPass';
      else if (options.dedupe !== 'none' && (await rt.approvedBefore(assigneeId, run, options.dedupe)))
        auto = 'deduped';
      const sequential = options.mode === 'sequential';
      const state = auto ? 'skipped' : sequential && !firstOpen ? 'waiting' : 'pending';
      if (!auto) firstOpen = false;
      await rt.createTask(run, {
        assigneeId,
        kind: 'approval',
        state,
        seq: sequential ? index + 1 : 0,
        outcome: auto,
      });
    }
    return progress(rt, run, options);
  },
  progress,
});
