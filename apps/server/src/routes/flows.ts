import type { FieldRule } from '@baton/access';
import { type Db, type DbCtx, fromJson, withTx } from '@baton/db';
import {
  type ActionResult,
  addSigner,
  approve,
  assigneeChoices,
  callerView,
  comment,
  countTasks,
  type FlowDefinitionInput,
  FlowErrors,
  FlowIssues,
  instanceGraph,
  instanceHistory,
  jump,
  listAssigneeSources,
  listInstances,
  listNodeKinds,
  listTasks,
  loadFlow,
  markRead,
  publishFlow,
  reject,
  removeSigner,
  returnTask,
  saveDraft,
  submit,
  terminate,
  transfer,
  urge,
  validateFlow,
  withdraw,
} from '@baton/flow';
import { assertAttachable, attachToRecord, type FormDefinition, getRecord, recordHolds } from '@baton/form';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type * as z from 'zod';
import { audited, callerOf, requestCtx } from '../ctx.ts';
import type { Caller } from '../gate.ts';
import { problemResponses, refusals, requestLocale, toProblem } from '../problem.ts';
import { defineRoutes, type RoutePlugin, type RoutePolicy } from '../routes.ts';
import { DEFAULT_BODY_LIMIT } from '../server.ts';
import { checkedIssues } from '../validation.ts';
import { canStart, declareFlowPermissions, FlowPermissions, heldPermissions } from './flows-permissions.ts';
import {
  actionResultView,
  addSignerBody,
  approveBatchBody,
  approveBatchView,
  approveBody,
  commentBody,
  countsView,
  fileBody,
  flowDefinitionBody,
  flowDetailView,
  flowIssuesView,
  flowListView,
  flowParams,
  flowRegistriesView,
  flowVersionsView,
  idParams,
  instanceActionBody,
  instanceDetailView,
  instanceListQuery,
  instanceListView,
  instanceQuery,
  jumpBody,
  publishFlowView,
  readView,
  rejectBody,
  removeSignerBody,
  returnBody,
  submitBody,
  taskListQuery,
  taskListView,
  transferBody,
  urgeBody,
} from './flows-schemas.ts';
import { latestForm } from './latest-form.ts';

// The flows REST API: definitions (/api/flows), requests (/api/instances) and tasks (/api/tasks) over
// kernel/flow. The engine decides who may act (assignee, initiator, administrators of the definition);
// this layer decides who may see: an instance is readable by its initiator, by members who hold or held a
// task on it, and by holders of flow.admin. Everyone else gets 404 for the instance and for its tasks, so
// ids found elsewhere reveal nothing (IDOR). A flow the caller may not file is 404 as well.

const tags = ['flows'];
const writeRefusals = { ...refusals, ...problemResponses(409, 429) };

export type FlowsRoutesOptions = { db: Db };

type Label = { zh: string; en: string };
type StoredFlow = {
  name: Label;
  category?: string;
  form: { pack: string; key: string };
  nodes: { key: string; fieldAccess?: Record<string, string> }[];
};

const flowRef = (flow: string | undefined) => {
  if (!flow) return {};
  const [pack, key] = flow.split('.') as [string, string];
  return { flow: { pack, key } };
};

type Reader = { instance: InstanceRow; as: 'initiator' | 'participant' | 'admin'; nodeKey: string | null };
type InstanceRow = NonNullable<Awaited<ReturnType<typeof findInstance>>>;

function findInstance(ctx: DbCtx, id: string) {
  return ctx.db.selectFrom('baton_flow_instance').selectAll().where('id', '=', id).executeTakeFirst();
}

/** How the caller may read the instance, or undefined: initiator, task holder (incl. delegator), flow.admin. */
async function readerOf(ctx: DbCtx, caller: Caller, id: string): Promise<Reader | undefined> {
  const instance = await findInstance(ctx, id);
  if (!instance) return undefined;
  const me = caller.memberId;
  if (instance.initiatorId === me) return { instance, as: 'initiator', nodeKey: null };
  const task = await ctx.db
    .selectFrom('baton_flow_task')
    .select('nodeKey')
    .where('instanceId', '=', id)
    .where((eb) => eb.or([eb('assigneeId', '=', me), eb('delegatedFrom', '=', me)]))
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (task) return { instance, as: 'participant', nodeKey: task.nodeKey };
  if ((await heldPermissions(ctx, caller)).has(FlowPermissions.admin)) return { instance, as: 'admin', nodeKey: null };
  return undefined;
}

/**
 * The engine replays a known client action id before it checks who acts, so someone reusing another
 * member's id would get the first result back as if they had acted. A client action id belongs to
 * whoever used it first on the instance; anyone else is refused.
 */
async function ownClientAction(ctx: DbCtx, caller: Caller, instanceId: string, clientActionId?: string) {
  if (!clientActionId) return;
  const used = await ctx.db
    .selectFrom('baton_flow_action')
    .select('actorId')
    .where('instanceId', '=', instanceId)
    .where('clientActionId', '=', clientActionId)
    .limit(1)
    .executeTakeFirst();
  if (used && used.actorId !== caller.memberId) {
    throw FlowErrors.notAllowed.create({ reason: 'clientActionId already used by someone else' });
  }
}

/** The field of a request's record that comment (评论) attachments are registered under; no form has it. */
export const COMMENT_FIELD = '$comment';

/**
 * The request whose record holds a comment attachment, if `memberId` may read it (the same rule as the request
 * itself): what the attachments route asks before serving a file attached to a comment.
 */
export async function commentReadable(
  ctx: DbCtx,
  memberId: string,
  record: { pack: string; key: string; recordId: string },
): Promise<boolean> {
  const instance = await ctx.db
    .selectFrom('baton_flow_instance')
    .select('id')
    .where('formPack', '=', record.pack)
    .where('formKey', '=', record.key)
    .where('recordId', '=', record.recordId)
    .executeTakeFirst();
  return instance ? (await readerOf(ctx, { memberId, via: 'session' }, instance.id)) !== undefined : false;
}

/**
 * A file held by a request's record, for a member who may read the request: the record as that member sees it on
 * the request page (a participant's node hides fields) must still hold it. What lets approvers download the
 * attachments of the requests they approve.
 */
export async function requestFileReadable(
  ctx: DbCtx,
  memberId: string,
  file: { id: string; pack: string; key: string; field: string; recordId: string },
): Promise<boolean> {
  const instance = await ctx.db
    .selectFrom('baton_flow_instance')
    .select('id')
    .where('formPack', '=', file.pack)
    .where('formKey', '=', file.key)
    .where('recordId', '=', file.recordId)
    .executeTakeFirst();
  if (!instance) return false;
  const reader = await readerOf(ctx, { memberId, via: 'session' }, instance.id);
  if (!reader) return false;
  const fieldRules = await fieldRulesOf(ctx, reader);
  const record = await getRecord(
    ctx,
    { pack: file.pack, key: file.key, id: file.recordId },
    { viewer: { memberId, scopes: ['all'], ...(fieldRules ? { fieldRules, defaultAccess: 'read' as const } : {}) } },
  );
  return recordHolds(record, file.field, file.id);
}

/** Where a comment's files go: the record of a request the caller may read (404 otherwise). */
export async function commentTarget(
  ctx: DbCtx,
  caller: Caller,
  instanceId: string,
): Promise<{ pack: string; key: string; field: string; recordId: string }> {
  const { instance } = await readableInstance(ctx, caller, instanceId);
  return { pack: instance.formPack, key: instance.formKey, field: COMMENT_FIELD, recordId: instance.recordId };
}

async function readableInstance(ctx: DbCtx, caller: Caller, id: string, clientActionId?: string): Promise<Reader> {
  const reader = await readerOf(ctx, caller, id);
  if (!reader) throw FlowErrors.instanceNotFound.create({ id });
  await ownClientAction(ctx, caller, id, clientActionId);
  return reader;
}

/** A task is reachable when its instance is readable; otherwise it does not exist for the caller. */
async function reachableTask(ctx: DbCtx, caller: Caller, id: string, clientActionId?: string): Promise<void> {
  const task = await ctx.db.selectFrom('baton_flow_task').select('instanceId').where('id', '=', id).executeTakeFirst();
  if (!task || !(await readerOf(ctx, caller, task.instanceId))) throw FlowErrors.taskNotFound.create({ id });
  await ownClientAction(ctx, caller, task.instanceId, clientActionId);
}

/** The field rules of the node a participant last held a task at: hidden fields stay hidden in the record. */
async function fieldRulesOf(ctx: DbCtx, reader: Reader): Promise<FieldRule[] | undefined> {
  if (reader.as !== 'participant' || !reader.nodeKey) return undefined;
  const { instance } = reader;
  const { flow } = await loadFlow(ctx, instance.flowPack, instance.flowKey, Number(instance.flowVersion));
  const node = flow.byKey.get(reader.nodeKey) as { fieldAccess?: Record<string, string> } | undefined;
  return Object.entries(node?.fieldAccess ?? {}).map(([field, level]) => ({
    field,
    access: (level === 'required' ? 'edit' : level) as FieldRule['access'],
  }));
}

/**
 * Names each item's flow (its latest published name): a list shows flows the member may not file, so the
 * catalogue of startable flows cannot name them. One query per page for the flows on it.
 */
async function withFlowNames<T extends { flow: string }>(
  ctx: DbCtx,
  page: { items: T[]; nextCursor: string | null },
): Promise<{ items: (T & { flowName: Label | null })[]; nextCursor: string | null }> {
  const wanted = [...new Set(page.items.map((item) => item.flow))].map((flow) => flow.split('.') as [string, string]);
  const names = new Map<string, Label>();
  if (wanted.length > 0) {
    const rows = await ctx.db
      .selectFrom('baton_flow_definition')
      .select(['pack', 'key', 'definition'])
      .where((eb) => eb.or(wanted.map(([pack, key]) => eb.and([eb('pack', '=', pack), eb('key', '=', key)]))))
      .orderBy('version', 'desc')
      .execute();
    for (const row of rows) {
      const flow = `${row.pack}.${row.key}`;
      if (!names.has(flow)) names.set(flow, fromJson<StoredFlow>(row.definition).name);
    }
  }
  return { ...page, items: page.items.map((item) => ({ ...item, flowName: names.get(item.flow) ?? null })) };
}

/**
 * The latest published definition of a flow's form: the record is read and written with it. Served with the
 * flow and the request, since filing and acting need no form rights (the flow's own rules decide).
 */
async function formOf(ctx: DbCtx, pack: string, key: string) {
  const form = await latestForm(ctx.db, pack, key);
  if (!form) throw FlowErrors.notPublished.create({ flow: `form ${pack}.${key}` });
  return form;
}

type RouteApp = Parameters<FastifyPluginAsyncZod>[0];
/** Every action body may carry the client's action id: a retried action gets its first result back. */
type ActionBody = z.ZodType<{ clientActionId?: string | undefined }>;
type Acting<B extends ActionBody, R> = {
  ctx: DbCtx;
  request: FastifyRequest;
  caller: Caller;
  id: string;
  body: z.output<B>;
  /** What `reach` found. */
  reached: R;
};

/**
 * Declares the actions on one kind of target (a request or a task), each `POST /:id/<verb>` answering the engine's
 * action result: `reach` first makes the target 404 unless the caller may read it and refuses a client action id
 * someone else used; the engine op then decides whether the caller may act. `engineAction` is an action that is
 * the engine op alone, on `{ [key]: id, ...body }`: open to every signed-in member, since the engine checks who acts.
 */
function actionRoutes<K extends 'instanceId' | 'taskId', R>(
  app: RouteApp,
  db: Db,
  key: K,
  reach: (ctx: DbCtx, caller: Caller, id: string, clientActionId?: string) => Promise<R>,
) {
  const action = <B extends ActionBody>(
    verb: string,
    route: { policy: RoutePolicy; summary: string; body: B },
    act: (acting: Acting<B, R>) => Promise<ActionResult>,
  ) =>
    app.post(
      `/:id/${verb}`,
      {
        config: { policy: route.policy },
        schema: {
          tags,
          summary: route.summary,
          params: idParams,
          body: route.body,
          response: { 200: actionResultView, ...writeRefusals },
        },
      },
      async (request) => {
        const { id } = request.params;
        const body = request.body as z.output<B>;
        const ctx = requestCtx(request, db);
        const caller = callerOf(request);
        const reached = await reach(ctx, caller, id, body.clientActionId);
        return act({ ctx, request, caller, id, body, reached });
      },
    );
  const engineAction = <B extends ActionBody>(
    verb: string,
    summary: string,
    body: B,
    op: (ctx: DbCtx, input: Record<K, string> & z.output<B>) => Promise<ActionResult>,
  ) =>
    action(verb, { policy: 'authenticated', summary, body }, ({ ctx, id, body: input }) =>
      op(ctx, { [key]: id, ...input } as Record<K, string> & z.output<B>),
    );
  return { action, engineAction };
}

function definitionsPlugin(db: Db): RoutePlugin {
  return defineRoutes({
    name: 'flows',
    prefix: '/flows',
    register: async (app) => {
      // The start permission of a flow exists only once declared: declare every published flow's at start,
      // so roles granted it keep it across restarts and can be granted before anyone opens the flow.
      const published = await db.selectFrom('baton_flow_definition').select(['pack', 'key']).distinct().execute();
      for (const flow of published) declareFlowPermissions(flow.pack, flow.key);

      app.post(
        '/',
        {
          config: { policy: FlowPermissions.design },
          schema: {
            tags,
            summary: 'Publish a flow definition as the next version, checked against its form (audited)',
            body: flowDefinitionBody,
            response: { 200: publishFlowView, ...writeRefusals },
          },
        },
        async (request) => {
          const result = await audited(
            requestCtx(request, db),
            request,
            (tx) => publishFlow(tx, request.body as unknown as FlowDefinitionInput),
            ({ definition: { pack, key, hash }, version, unchanged }) => ({
              action: 'flow.definition.publish',
              target: { type: 'flow', id: `${pack}.${key}` },
              detail: { version, hash, unchanged },
            }),
          );
          const { pack, key, hash } = result.definition;
          declareFlowPermissions(pack, key);
          return { pack, key, version: result.version, hash, unchanged: result.unchanged };
        },
      );

      // ---- the flow designer: check without publishing, the registries to pick from, version history ----

      app.post(
        '/validate',
        {
          config: { policy: FlowPermissions.design },
          schema: {
            tags,
            summary:
              'Every issue of a flow definition with its path, checked against its latest form; nothing is stored',
            body: flowDefinitionBody,
            response: { 200: flowIssuesView, ...writeRefusals },
          },
        },
        async (request) => {
          const ctx = requestCtx(request, db);
          const ref = (request.body as { form?: { pack?: unknown; key?: unknown } }).form;
          if (typeof ref?.pack !== 'string' || typeof ref.key !== 'string') {
            return { issues: checkedIssues(validateFlow(request.body), requestLocale(request)), formVersion: null };
          }
          const latest = await latestForm<FormDefinition>(ctx.db, ref.pack, ref.key);
          if (!latest) {
            const missing = FlowIssues.issue(['form'], 'form_not_published', { form: `${ref.pack}.${ref.key}` });
            return {
              issues: checkedIssues([missing, ...validateFlow(request.body)], requestLocale(request)),
              formVersion: null,
            };
          }
          return {
            issues: checkedIssues(validateFlow(request.body, { form: latest.definition }), requestLocale(request)),
            formVersion: latest.version,
          };
        },
      );

      app.get(
        '/registries',
        {
          config: { policy: FlowPermissions.design },
          schema: {
            tags,
            summary: 'The registered node kinds and assignee sources (and whose pick a source reads)',
            response: { 200: flowRegistriesView, ...refusals },
          },
        },
        async () => ({
          nodeKinds: listNodeKinds().map((kind) => kind.kind),
          assigneeSources: listAssigneeSources().map((source) => ({
            source: source.source,
            chosenBy: source.chosenBy ?? null,
          })),
        }),
      );

      app.get(
        '/:pack/:key/versions',
        {
          config: { policy: FlowPermissions.design },
          schema: {
            tags,
            summary: 'Every published version of a flow, newest first, with its definition',
            params: flowParams,
            response: { 200: flowVersionsView, ...refusals },
          },
        },
        async (request) => {
          const { pack, key } = request.params;
          const rows = await requestCtx(request, db)
            .db.selectFrom('baton_flow_definition')
            .select(['version', 'hash', 'formVersion', 'publishedAt', 'publishedBy', 'definition'])
            .where('pack', '=', pack)
            .where('key', '=', key)
            .orderBy('version', 'desc')
            .execute();
          if (rows.length === 0) throw FlowErrors.notPublished.create({ flow: `${pack}.${key}` });
          return {
            versions: rows.map((row) => ({
              version: Number(row.version),
              hash: row.hash,
              formVersion: Number(row.formVersion),
              publishedAt: String(row.publishedAt),
              publishedBy: row.publishedBy,
              definition: fromJson<Record<string, unknown>>(row.definition),
            })),
          };
        },
      );

      app.get(
        '/',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'Published flows the caller may file (latest versions)',
            response: { 200: flowListView, ...refusals },
          },
        },
        async (request) => {
          const ctx = requestCtx(request, db);
          const rows = await ctx.db
            .selectFrom('baton_flow_definition')
            .select(['pack', 'key', 'version', 'definition'])
            .orderBy('pack')
            .orderBy('key')
            .orderBy('version', 'desc')
            .execute();
          const held = await heldPermissions(ctx, callerOf(request));
          const seen = new Set<string>();
          const flows = [];
          for (const row of rows) {
            declareFlowPermissions(row.pack, row.key);
            if (seen.has(`${row.pack}.${row.key}`)) continue;
            seen.add(`${row.pack}.${row.key}`);
            if (!canStart(held, row.pack, row.key)) continue;
            const def = fromJson<StoredFlow>(row.definition);
            flows.push({
              pack: row.pack,
              key: row.key,
              version: Number(row.version),
              name: def.name,
              category: def.category ?? null,
              form: def.form,
            });
          }
          return { flows };
        },
      );

      app.get(
        '/:pack/:key',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'The latest published definition of a flow the caller may file (or administers)',
            params: flowParams,
            response: { 200: flowDetailView, ...refusals },
          },
        },
        async (request) => {
          const { pack, key } = request.params;
          const ctx = requestCtx(request, db);
          declareFlowPermissions(pack, key);
          const held = await heldPermissions(ctx, callerOf(request));
          if (!canStart(held, pack, key) && !held.has(FlowPermissions.admin)) {
            throw FlowErrors.notPublished.create({ flow: `${pack}.${key}` });
          }
          const row = await ctx.db
            .selectFrom('baton_flow_definition')
            .select(['version', 'definition', 'publishedAt'])
            .where('pack', '=', pack)
            .where('key', '=', key)
            .orderBy('version', 'desc')
            .limit(1)
            .executeTakeFirst();
          if (!row) throw FlowErrors.notPublished.create({ flow: `${pack}.${key}` });
          const version = Number(row.version);
          const { flow } = await loadFlow(ctx, pack, key, version);
          return {
            definition: fromJson<Record<string, unknown>>(row.definition),
            version,
            publishedAt: String(row.publishedAt),
            form: await formOf(ctx, flow.def.form.pack, flow.def.form.key),
            choose: assigneeChoices(flow, 'initiator'),
          };
        },
      );

      app.post(
        '/:pack/:key/instances',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'File a request on a flow: submit it, or save it as a draft (draft: true)',
            params: flowParams,
            body: fileBody,
            response: { 201: actionResultView, ...writeRefusals },
          },
        },
        async (request, reply) => {
          const { pack, key } = request.params;
          const ctx = requestCtx(request, db);
          declareFlowPermissions(pack, key);
          if (!canStart(await heldPermissions(ctx, callerOf(request)), pack, key)) {
            throw FlowErrors.notPublished.create({ flow: `${pack}.${key}` });
          }
          const { draft, chosen, ...rest } = request.body;
          const result = draft
            ? await saveDraft(ctx, { flow: { pack, key }, ...rest })
            : await submit(ctx, { flow: { pack, key }, ...rest, ...(chosen ? { chosen } : {}) });
          return reply.code(201).send(result);
        },
      );
    },
  });
}

function instancesPlugin(db: Db): RoutePlugin {
  return defineRoutes({
    name: 'flow-instances',
    prefix: '/instances',
    register: async (app) => {
      app.get(
        '/',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'The caller’s requests: sent (我发起的), drafts (草稿) or tracked (我处理过的), paged by cursor',
            querystring: instanceListQuery,
            response: { 200: instanceListView, ...refusals },
          },
        },
        async (request) => {
          const { flow, ...rest } = request.query;
          const ctx = requestCtx(request, db);
          return withFlowNames(ctx, await listInstances(ctx, { ...rest, ...flowRef(flow) }));
        },
      );

      app.get(
        '/:id',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary:
              'One request: its record and form, history, graph, and what the caller may do at their node (404 unless initiator, participant or flow.admin)',
            params: idParams,
            querystring: instanceQuery,
            response: { 200: instanceDetailView, ...refusals },
          },
        },
        async (request) => {
          const ctx = requestCtx(request, db);
          const caller = callerOf(request);
          const reader = await readableInstance(ctx, caller, request.params.id);
          const { instance } = reader;
          const fieldRules = await fieldRulesOf(ctx, reader);
          const record = await getRecord(
            ctx,
            { pack: instance.formPack, key: instance.formKey, id: instance.recordId },
            {
              viewer: {
                memberId: caller.memberId,
                scopes: ['all'],
                ...(fieldRules ? { fieldRules, defaultAccess: 'read' as const } : {}),
              },
            },
          );
          const history = await instanceHistory(ctx, { instanceId: instance.id });
          const { instanceId: _, ...graph } = await instanceGraph(ctx, { instanceId: instance.id });
          const view = await callerView(ctx, {
            instanceId: instance.id,
            ...(request.query.task ? { taskId: request.query.task } : {}),
          });
          // Every reader may comment (评论): the route vouches for them (see the comment route).
          view.actions.comment = true;
          // The names of the files this reader sees: on the record as shown (hidden fields are gone from its
          // values) and in the history. Only files of this request's record: an id alone proves nothing.
          const shown = JSON.stringify(record.values);
          const inHistory = new Set(history.actions.flatMap((action) => action.attachments));
          const files = (
            await ctx.db
              .selectFrom('baton_form_attachment')
              .select(['id', 'fileName', 'contentType', 'size'])
              .where('pack', '=', instance.formPack)
              .where('key', '=', instance.formKey)
              .where('recordId', '=', instance.recordId)
              .execute()
          ).filter((file) => inHistory.has(file.id) || shown.includes(`"${file.id}"`));
          return {
            instance: {
              instanceId: instance.id,
              title: instance.title,
              flow: `${instance.flowPack}.${instance.flowKey}`,
              state: instance.state,
              initiatorId: instance.initiatorId,
              currentNodes: fromJson<string[]>(instance.currentNodes) ?? [],
              createdAt: String(instance.createdAt),
              updatedAt: String(instance.updatedAt),
              submittedAt: instance.submittedAt === null ? null : String(instance.submittedAt),
              version: Number(instance.version),
              flowVersion: Number(instance.flowVersion),
              recordId: instance.recordId,
              finishedAt: instance.finishedAt === null ? null : String(instance.finishedAt),
            },
            record: {
              id: record.id,
              version: record.version,
              state: record.state,
              values: record.values,
              totals: record.totals,
            },
            history,
            files: files.map((file) => ({ ...file, size: Number(file.size) })),
            graph: { ...graph, edges: graph.edges.map((edge) => ({ ...edge })) },
            form: await formOf(ctx, instance.formPack, instance.formKey),
            caller: view,
          };
        },
      );

      const { action, engineAction } = actionRoutes(app, db, 'instanceId', readableInstance);
      /** An engine action written to the audit log with it, as `flow.instance.<verb>`. */
      const auditedAction = <B extends ActionBody>(
        verb: string,
        route: { policy: RoutePolicy; summary: string; body: B },
        op: (ctx: DbCtx, input: { instanceId: string } & z.output<B>) => Promise<ActionResult>,
        detail: (body: z.output<B>) => unknown,
      ) =>
        action(verb, route, ({ ctx, request, id, body }) =>
          audited(
            ctx,
            request,
            (tx) => op(tx, { instanceId: id, ...body }),
            () => ({ action: `flow.instance.${verb}`, target: { type: 'flowInstance', id }, detail: detail(body) }),
          ),
        );

      engineAction(
        'submit',
        'Submit a draft, or resubmit a request returned to the initiator (jumpBack: straight back)',
        submitBody,
        submit,
      );
      engineAction(
        'withdraw',
        'The initiator takes the request back while no approver has acted (撤回)',
        instanceActionBody,
        withdraw,
      );
      auditedAction(
        'terminate',
        {
          policy: 'authenticated',
          summary: 'End the request (终止): administrators of the flow, or the initiator if allowed (audited)',
          body: instanceActionBody,
        },
        terminate,
        (body) => ({ opinion: body.opinion ?? null }),
      );
      engineAction('urge', 'Urge the pending tasks (催办), each at most once an hour', urgeBody, urge);
      action(
        'comment',
        {
          policy: 'authenticated',
          summary:
            'Add a comment (评论) to the history, with files uploaded for it (POST /api/attachments with instance); any reader',
          body: commentBody,
        },
        ({ ctx, caller, id, body, reached: { instance } }) => {
          const files = body.attachments ?? [];
          const target = { pack: instance.formPack, key: instance.formKey, field: COMMENT_FIELD };
          // Whoever may read the request may comment on it; its files must be the commenter's own comment uploads
          // to this request's form, and join its record in the comment's transaction.
          return withTx(ctx, async (tx) => {
            await assertAttachable(tx, files, { ...target, uploader: caller.memberId });
            const result = await comment(tx, { instanceId: id, ...body }, { mayRead: true });
            await attachToRecord(tx, files, { ...target, recordId: instance.recordId });
            return result;
          });
        },
      );
      auditedAction(
        'jump',
        {
          policy: FlowPermissions.admin,
          summary: 'Move a running request to any node (flow.admin and an administrator of the flow; audited)',
          body: jumpBody,
        },
        jump,
        (body) => ({ to: body.to, opinion: body.opinion ?? null }),
      );
    },
  });
}

function tasksPlugin(db: Db): RoutePlugin {
  return defineRoutes({
    name: 'flow-tasks',
    prefix: '/tasks',
    register: async (app) => {
      app.get(
        '/',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'The caller’s tasks: pending (待办), done (已办) or notify (知会), paged by cursor',
            querystring: taskListQuery,
            response: { 200: taskListView, ...refusals },
          },
        },
        async (request) => {
          const { flow, read, ...rest } = request.query;
          const ctx = requestCtx(request, db);
          const page = await listTasks(ctx, {
            ...rest,
            ...flowRef(flow),
            ...(read === undefined ? {} : { read: read === 'true' }),
          });
          return withFlowNames(ctx, page);
        },
      );

      app.get(
        '/counts',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'Badge numbers: pending, unread notifications, drafts, sent',
            response: { 200: countsView, ...refusals },
          },
        },
        async (request) => countTasks(requestCtx(request, db)),
      );

      const { engineAction } = actionRoutes(app, db, 'taskId', reachableTask);
      // Outside the action routes too: 404 unless the task's instance is readable.
      const guard = async (request: FastifyRequest, id: string, clientActionId?: string) => {
        const ctx = requestCtx(request, db);
        await reachableTask(ctx, callerOf(request), id, clientActionId);
        return ctx;
      };

      engineAction('approve', 'Approve (同意), writing the node’s fields', approveBody, approve);
      app.post(
        '/approve-batch',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'Approve several tasks (批量同意), each in its own transaction, with a result per task',
            body: approveBatchBody,
            response: { 200: approveBatchView, ...writeRefusals },
          },
        },
        async (request) => {
          const results = [];
          // One after another: each approval is its own action, so one refusal leaves the others standing.
          for (const { taskId, clientActionId } of request.body.tasks) {
            try {
              const ctx = await guard(request, taskId, clientActionId);
              const result = await approve(ctx, {
                taskId,
                clientActionId,
                ...(request.body.opinion === undefined ? {} : { opinion: request.body.opinion }),
              });
              results.push({ taskId, ok: true, result });
            } catch (error) {
              const { problem, internal } = toProblem(error, request, DEFAULT_BODY_LIMIT);
              if (internal) request.log.error({ err: error, taskId }, 'batch approval failed');
              const { status, code, detail, fields } = problem;
              results.push({ taskId, ok: false, problem: { status, code, detail, ...(fields ? { fields } : {}) } });
            }
          }
          return { results };
        },
      );
      engineAction('reject', 'Reject (驳回): the request ends rejected', rejectBody, reject);
      engineAction('return', 'Return (退回) to the initiator or an earlier node', returnBody, returnTask);
      engineAction('transfer', 'Transfer (转办) the task to another member', transferBody, transfer);
      engineAction('add-signer', 'Add signers (加签) before, after or in parallel', addSignerBody, addSigner);
      engineAction('remove-signer', 'Remove an added signer’s open task (减签)', removeSignerBody, removeSigner);
      app.post(
        '/:id/read',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'Mark a notification (知会) read',
            params: idParams,
            response: { 200: readView, ...writeRefusals },
          },
        },
        async (request) => markRead(await guard(request, request.params.id), { taskId: request.params.id }),
      );
    },
  });
}

/** The flows API: three plugins, mounted at /api/flows, /api/instances and /api/tasks. */
export function flowsRoutes({ db }: FlowsRoutesOptions): RoutePlugin[] {
  return [definitionsPlugin(db), instancesPlugin(db), tasksPlugin(db)];
}
