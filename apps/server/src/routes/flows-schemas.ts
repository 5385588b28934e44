import * as z from 'zod';

// Request and response shapes of the flows API (routes/flows.ts), so every route is in the OpenAPI document.
// Record values and definitions stay loose here: kernel/flow and kernel/form check them and report every
// issue with its path.

const code = z.string().regex(/^[a-z][a-zA-Z0-9]{0,39}$/);
const id = z.string().min(1).max(64);
const label = z.object({ zh: z.string(), en: z.string() });
const clientActionId = z.string().min(1).max(100);
const opinion = z.string().max(4000);
const attachments = z.array(id).max(50);
const values = z.record(z.string(), z.unknown());
const chosen = z.record(z.string().max(64), z.array(id).max(200));

export const flowParams = z.strictObject({ pack: code, key: code });
export const idParams = z.strictObject({ id });

/** A definition as `defineFlow` takes it; checked there, every issue with its path. */
export const flowDefinitionBody = z.record(z.string(), z.unknown());

export const publishFlowView = z.object({
  pack: z.string(),
  key: z.string(),
  version: z.number().int(),
  hash: z.string(),
  unchanged: z.boolean(),
});

/** What `POST /api/flows/validate` finds: every issue with its path (`nodes.3.assignees.0`, `edges.2.condition`). */
export const flowIssuesView = z.object({
  issues: z.array(
    z.object({ path: z.array(z.union([z.string(), z.number()])), code: z.string(), message: z.string() }).passthrough(),
  ),
  /** The form version checked against; null when the form is not published. */
  formVersion: z.number().int().nullable(),
});

export const flowRegistriesView = z.object({
  nodeKinds: z.array(z.string()),
  assigneeSources: z.array(z.object({ source: z.string(), chosenBy: z.enum(['initiator', 'previous']).nullable() })),
});

export const flowVersionsView = z.object({
  versions: z.array(
    z.object({
      version: z.number().int(),
      hash: z.string(),
      formVersion: z.number().int(),
      publishedAt: z.string(),
      publishedBy: z.string(),
      definition: z.record(z.string(), z.unknown()),
    }),
  ),
});

export const flowSummaryView = z.object({
  pack: z.string(),
  key: z.string(),
  version: z.number().int(),
  name: label,
  category: z.string().nullable(),
  form: z.object({ pack: z.string(), key: z.string() }),
});
export const flowListView = z.object({ flows: z.array(flowSummaryView) });

/** A node whose assignees someone picks (the initiator at submit, or the assignee before it at approve). */
const assigneeChoiceView = z.object({ nodeKey: z.string(), name: label.nullable() });

/** The published form a flow files into, so a member who may file or act reads it without form rights. */
const flowFormView = z.object({ definition: z.record(z.string(), z.unknown()), version: z.number().int() });

export const flowDetailView = z.object({
  definition: z.record(z.string(), z.unknown()),
  version: z.number().int(),
  publishedAt: z.string(),
  form: flowFormView,
  /** Nodes whose assignees the initiator picks at submit (`chosen`). */
  choose: z.array(assigneeChoiceView),
});

export const actionResultView = z.object({
  instanceId: z.string(),
  recordId: z.string(),
  state: z.string(),
  version: z.number().int(),
  currentNodes: z.array(z.string()),
});

export const fileBody = z.strictObject({
  values: values.optional(),
  title: z.string().min(1).max(200).optional(),
  chosen: chosen.optional(),
  clientActionId: clientActionId.optional(),
  /** Save as a draft (草稿) instead of submitting. */
  draft: z.boolean().optional(),
});

export const submitBody = z.strictObject({
  values: values.optional(),
  title: z.string().min(1).max(200).optional(),
  chosen: chosen.optional(),
  /** After a return to the initiator: go straight back to the node that returned it. */
  jumpBack: z.boolean().optional(),
  clientActionId: clientActionId.optional(),
});
export const instanceActionBody = z.strictObject({
  clientActionId: clientActionId.optional(),
  opinion: opinion.optional(),
});
export const urgeBody = instanceActionBody.extend({ taskId: id.optional() });
export const commentBody = z.strictObject({
  clientActionId: clientActionId.optional(),
  opinion: opinion.min(1),
  attachments: attachments.optional(),
});
export const jumpBody = instanceActionBody.extend({ to: z.string().min(1).max(64) });

const taskBase = {
  clientActionId: clientActionId.optional(),
  opinion: opinion.optional(),
  attachments: attachments.optional(),
};
export const approveBody = z.strictObject({ ...taskBase, values: values.optional(), chosen: chosen.optional() });
export const rejectBody = z.strictObject(taskBase);
export const returnBody = z.strictObject({
  ...taskBase,
  /** 'initiator', 'previous', or the key of an earlier approval node. */
  to: z.string().min(1).max(64),
});
export const transferBody = z.strictObject({ ...taskBase, to: id });
export const addSignerBody = z.strictObject({
  ...taskBase,
  members: z.array(id).min(1).max(50),
  position: z.enum(['before', 'after', 'parallel']),
});
export const removeSignerBody = z.strictObject({
  clientActionId: clientActionId.optional(),
  opinion: opinion.optional(),
});
export const readView = z.object({ taskId: z.string(), readAt: z.string() });

const listQueryBase = {
  /** `pack.key` of one flow. */
  flow: z
    .string()
    .regex(/^[a-z][a-zA-Z0-9]{0,39}\.[a-z][a-zA-Z0-9]{0,39}$/)
    .optional(),
  keyword: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().max(300).optional(),
};
export const taskListQuery = z.strictObject({
  ...listQueryBase,
  box: z.enum(['pending', 'done', 'notify']),
  /** notify only: true = read, false = unread. */
  read: z.enum(['true', 'false']).optional(),
});
export const instanceListQuery = z.strictObject({ ...listQueryBase, box: z.enum(['sent', 'drafts', 'tracked']) });

export const taskItemView = z.object({
  taskId: z.string(),
  instanceId: z.string(),
  title: z.string(),
  flow: z.string(),
  nodeKey: z.string(),
  kind: z.string(),
  state: z.string(),
  outcome: z.string().nullable(),
  initiatorId: z.string(),
  instanceState: z.string(),
  delegatedFrom: z.string().nullable(),
  createdAt: z.string(),
  actedAt: z.string().nullable(),
  readAt: z.string().nullable(),
  dueAt: z.string().nullable(),
  overdueAt: z.string().nullable(),
  overdue: z.boolean(),
  urgedAt: z.string().nullable(),
  urgent: z.boolean(),
  /** The flow's latest published name. */
  flowName: label.nullable(),
});
export const taskListView = z.object({ items: z.array(taskItemView), nextCursor: z.string().nullable() });

export const instanceItemView = z.object({
  instanceId: z.string(),
  title: z.string(),
  flow: z.string(),
  state: z.string(),
  initiatorId: z.string(),
  currentNodes: z.array(z.string()),
  createdAt: z.string(),
  updatedAt: z.string(),
  submittedAt: z.string().nullable(),
});
export const instanceListView = z.object({
  items: z.array(instanceItemView.extend({ flowName: label.nullable() })),
  nextCursor: z.string().nullable(),
});

export const countsView = z.object({
  pending: z.number().int(),
  overdue: z.number().int(),
  urgent: z.number().int(),
  done: z.number().int(),
  notifyUnread: z.number().int(),
  notify: z.number().int(),
  drafts: z.number().int(),
  sent: z.number().int(),
  tracked: z.number().int(),
});

const taskView = z.object({
  taskId: z.string(),
  nodeKey: z.string(),
  kind: z.string(),
  assigneeId: z.string(),
  state: z.string(),
  outcome: z.string().nullable(),
  opinion: z.string().nullable(),
  delegatedFrom: z.string().nullable(),
  origin: z.string(),
  createdAt: z.string(),
  actedAt: z.string().nullable(),
  readAt: z.string().nullable(),
  dueAt: z.string().nullable(),
  overdueAt: z.string().nullable(),
  urgedAt: z.string().nullable(),
});

const fieldAccessLevel = z.enum(['hidden', 'read', 'edit', 'required']);

/** What the caller may do on the request now (the engine still decides when they do it). */
const callerView = z.object({
  as: z.enum(['assignee', 'initiator', 'participant', 'administrator', 'reader']),
  /** The node the caller acts (or last acted) at, with its field rules; null: the whole record read-only. */
  node: z
    .object({
      key: z.string(),
      kind: z.string(),
      name: label.nullable(),
      taskId: z.string().nullable(),
      fieldAccess: z.record(z.string(), fieldAccessLevel),
      defaultAccess: z.enum(['edit', 'read']),
      opinionField: z.string().nullable(),
      choose: z.array(assigneeChoiceView),
    })
    .nullable(),
  actions: z.object({
    submit: z.boolean(),
    approve: z.boolean(),
    reject: z.boolean(),
    returnTo: z.array(z.string()),
    transfer: z.boolean(),
    addSigner: z.boolean(),
    urge: z.boolean(),
    withdraw: z.boolean(),
    terminate: z.boolean(),
    comment: z.boolean(),
    jump: z.boolean(),
  }),
});

export const instanceDetailView = z.object({
  instance: instanceItemView.extend({
    version: z.number().int(),
    flowVersion: z.number().int(),
    recordId: z.string(),
    finishedAt: z.string().nullable(),
  }),
  record: z.object({
    id: z.string(),
    version: z.number().int(),
    state: z.string(),
    values: z.record(z.string(), z.unknown()),
    totals: z.record(z.string(), z.record(z.string(), z.number())),
  }),
  history: z.object({
    actions: z.array(
      z.object({
        action: z.string(),
        actorId: z.string(),
        at: z.string(),
        nodeKey: z.string().nullable(),
        taskId: z.string().nullable(),
        opinion: z.string().nullable(),
        attachments: z.array(z.string()),
        detail: z.record(z.string(), z.unknown()).nullable(),
      }),
    ),
    tasks: z.array(taskView),
  }),
  /** The files of the record as shown and of the history (comments), for their names; from /api/attachments. */
  files: z.array(z.object({ id: z.string(), fileName: z.string(), contentType: z.string(), size: z.number() })),
  graph: z.object({
    state: z.string(),
    flow: z.object({ pack: z.string(), key: z.string(), version: z.number().int(), name: label }),
    nodes: z.array(
      z.object({
        key: z.string(),
        kind: z.string(),
        name: label.nullable(),
        state: z.string(),
        outcome: z.string().nullable(),
        entries: z.number().int(),
        assignees: z.array(z.string()),
        tasks: z.array(taskView),
      }),
    ),
    edges: z.array(
      z.object({ from: z.string(), to: z.string(), condition: z.string().optional(), else: z.boolean().optional() }),
    ),
    currentNodes: z.array(z.string()),
  }),
  /** The form of the record (latest published version), readable here without form rights. */
  form: flowFormView,
  caller: callerView,
});

export const instanceQuery = z.strictObject({
  /** The caller's task the page was opened from: the one they act on when they hold several. */
  task: id.optional(),
});

export const approveBatchBody = z.strictObject({
  /** Each with its own client action id, so a retried batch applies each approval once. */
  tasks: z
    .array(z.strictObject({ taskId: id, clientActionId }))
    .min(1)
    .max(50),
  opinion: opinion.optional(),
});

export const approveBatchView = z.object({
  results: z.array(
    z.object({
      taskId: z.string(),
      ok: z.boolean(),
      result: actionResultView.optional(),
      problem: z
        .object({
          status: z.number().int(),
          code: z.string(),
          detail: z.string(),
          fields: z.array(z.unknown()).optional(),
        })
        .optional(),
    }),
  ),
});
