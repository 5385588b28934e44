import { CoreErrors } from '@baton/core';
import type { DbCtx } from '@baton/db';
import { z } from 'zod';
import { URGE_INTERVAL_MS } from './actions.ts';
import type { AssigneeSpec } from './assignee-sources/define.ts';
import { findAssigneeSource } from './assignee-sources/registry.ts';
import type { CompiledFlow } from './definition.ts';
import { Engine } from './engine.ts';
import { FlowErrors } from './errors.ts';
import { findNodeKind } from './node-kinds/registry.ts';
import type { NodeFieldAccess } from './node-kinds/shared.ts';
import type { Label } from './types.ts';

// What one member sees of one request and may do there: the node they act at with its field rules, whose
// assignees they must pick, and the actions the engine would accept from them now. The same rules as the
// actions in actions.ts, read without a transaction: a page draws its buttons from this, and the action
// itself still decides (a concurrent change still ends in a coded error).

/** A node whose assignees someone picks: the initiator at submit, or whoever acts at the node before it. */
export type AssigneeChoice = { nodeKey: string; name: Label | null };

export type CallerNode = {
  key: string;
  kind: string;
  name: Label | null;
  /** The caller's pending approval task there; null when they only read (an earlier task of theirs). */
  taskId: string | null;
  /** The node's field rules as defined; fields it does not name take `defaultAccess`. */
  fieldAccess: Record<string, NodeFieldAccess>;
  defaultAccess: 'edit' | 'read';
  /** The opinion field this node writes its opinion into, if any. */
  opinionField: string | null;
  /** Nodes whose assignees the caller picks when acting here (`chosen` of submit or approve). */
  choose: AssigneeChoice[];
};

export type CallerActions = {
  submit: boolean;
  approve: boolean;
  reject: boolean;
  /** Where a return may send the request: `initiator` and the keys of earlier approval nodes; empty: no return. */
  returnTo: string[];
  transfer: boolean;
  addSigner: boolean;
  urge: boolean;
  withdraw: boolean;
  terminate: boolean;
  comment: boolean;
  jump: boolean;
};

export type CallerView = {
  /** How the caller relates to the request (an assignee with a pending task first). */
  as: 'assignee' | 'initiator' | 'participant' | 'administrator' | 'reader';
  node: CallerNode | null;
  actions: CallerActions;
};

const nothing: CallerActions = {
  submit: false,
  approve: false,
  reject: false,
  returnTo: [],
  transfer: false,
  addSigner: false,
  urge: false,
  withdraw: false,
  terminate: false,
  comment: false,
  jump: false,
};

type NodeOptions = {
  assignees?: AssigneeSpec[];
  fieldAccess?: Record<string, NodeFieldAccess>;
  opinionField?: string;
};

const optionsOf = (flow: CompiledFlow, key: string) => (flow.byKey.get(key) ?? {}) as NodeOptions;

function choosesBy(flow: CompiledFlow, key: string, who: 'initiator' | 'previous'): boolean {
  return (optionsOf(flow, key).assignees ?? []).some((spec) => findAssigneeSource(spec.source)?.chosenBy === who);
}

const choice = (flow: CompiledFlow, key: string): AssigneeChoice => ({
  nodeKey: key,
  name: flow.byKey.get(key)?.name ?? null,
});

/**
 * The nodes whose assignees a person picks. `initiator`: every node with a `chosenByInitiator` source (the
 * initiator picks them all at submit). `{ after }`: the nodes with a `chosenByPrevious` source that acting at
 * `after` can lead to before the request next waits for people (a node kind with `progress`), in graph order.
 */
export function assigneeChoices(flow: CompiledFlow, by: 'initiator' | { after: string }): AssigneeChoice[] {
  if (by === 'initiator') {
    return flow.def.nodes
      .filter((node) => choosesBy(flow, node.key, 'initiator'))
      .map((node) => choice(flow, node.key));
  }
  const found: string[] = [];
  const seen = new Set<string>([by.after]);
  const queue = (flow.out.get(by.after) ?? []).map(({ edge }) => edge.to);
  while (queue.length > 0) {
    const key = queue.shift() as string;
    if (seen.has(key)) continue;
    seen.add(key);
    if (choosesBy(flow, key, 'previous')) found.push(key);
    const node = flow.byKey.get(key);
    // A node that waits for people is where the next pick happens.
    if (!node || findNodeKind(node.kind)?.progress) continue;
    queue.push(...(flow.out.get(key) ?? []).map(({ edge }) => edge.to));
  }
  return found.map((key) => choice(flow, key));
}

function nodeOf(
  flow: CompiledFlow,
  key: string,
  taskId: string | null,
  defaultAccess: 'edit' | 'read',
  choose: AssigneeChoice[],
): CallerNode {
  const node = flow.byKey.get(key);
  const options = optionsOf(flow, key);
  return {
    key,
    kind: node?.kind ?? 'unknown',
    name: node?.name ?? null,
    taskId,
    fieldAccess: { ...(options.fieldAccess ?? {}) },
    defaultAccess,
    opinionField: options.opinionField ?? null,
    choose,
  };
}

const viewSchema = z.strictObject({
  instanceId: z.string().min(1).max(64),
  taskId: z.string().min(1).max(64).optional(),
});

/**
 * The acting member's view of a request (`ctx.actor` must be a member). With `taskId`, that pending task of
 * theirs is the one they act on; otherwise their oldest pending approval task on the request, if any. Does
 * not decide who may read the request: the caller (the HTTP layer) does that first.
 */
export async function callerView(ctx: DbCtx, input: { instanceId: string; taskId?: string }): Promise<CallerView> {
  const parsed = viewSchema.safeParse(input);
  if (!parsed.success)
    throw FlowErrors.invalidInput.create({}, { fields: [{ path: ['instanceId'], code: 'invalid' }] });
  if (ctx.actor.kind !== 'member') throw CoreErrors.forbidden.create();
  const me = ctx.actor.memberId;
  const engine = await Engine.load(ctx, parsed.data.instanceId);
  const { inst, flow } = engine;
  const administrator = flow.def.administrators.includes(me);
  const initiator = inst.initiatorId === me;
  const running = inst.state === 'running';
  const actions: CallerActions = { ...nothing, returnTo: [] };
  actions.terminate =
    (running || inst.state === 'draft') &&
    (administrator || (flow.def.terminatePolicy === 'initiatorOrAdministrator' && initiator));
  actions.jump = running && administrator;

  const mine = await ctx.db
    .selectFrom('baton_flow_task')
    .select(['id', 'nodeKey', 'nodeRunId', 'state', 'kind'])
    .where('instanceId', '=', inst.id)
    .where('assigneeId', '=', me)
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
  actions.comment = initiator || administrator || mine.length > 0;

  if (running && (initiator || administrator)) {
    const pending = await ctx.db
      .selectFrom('baton_flow_task')
      .select('urgedAt')
      .where('instanceId', '=', inst.id)
      .where('state', '=', 'pending')
      .where('kind', '=', 'approval')
      .execute();
    const now = ctx.clock.now().getTime();
    actions.urge = pending.some(
      (task) => task.urgedAt === null || now - new Date(task.urgedAt).getTime() >= URGE_INTERVAL_MS,
    );
  }
  actions.withdraw = running && initiator && Number(inst.actsSinceSubmit) === 0;

  const pendingMine = mine.filter((task) => task.state === 'pending' && task.kind === 'approval');
  const task = (parsed.data.taskId && pendingMine.find((each) => each.id === parsed.data.taskId)) || pendingMine[0];
  if (running && task) {
    const run = await engine.runById(task.nodeRunId);
    const earlier = run
      ? await ctx.db
          .selectFrom('baton_flow_node_run')
          .select('nodeKey')
          .where('instanceId', '=', inst.id)
          .where('kind', '=', 'approval')
          .where('state', '=', 'completed')
          .where('seq', '<', run.seq)
          .where('nodeKey', '<>', run.nodeKey)
          .orderBy('seq', 'desc')
          .execute()
      : [];
    Object.assign(actions, {
      approve: true,
      reject: true,
      transfer: true,
      addSigner: true,
      returnTo: ['initiator', ...new Set(earlier.map((row) => row.nodeKey))],
    });
    return {
      as: 'assignee',
      node: nodeOf(flow, task.nodeKey, task.id, 'read', assigneeChoices(flow, { after: task.nodeKey })),
      actions,
    };
  }
  if (initiator && inst.state === 'draft') {
    actions.submit = true;
    return {
      as: 'initiator',
      node: nodeOf(flow, flow.startKey, null, 'edit', assigneeChoices(flow, 'initiator')),
      actions,
    };
  }
  if (initiator) return { as: 'initiator', node: null, actions };
  // A participant reads with the field rules of the node they last held a task at (as the HTTP layer filters).
  const last = mine.at(-1);
  if (last) return { as: 'participant', node: nodeOf(flow, last.nodeKey, null, 'read', []), actions };
  return { as: administrator ? 'administrator' : 'reader', node: null, actions };
}
