import { AccessErrors, permissionsOf } from '@baton/access';
import type { DbCtx } from '@baton/db';
import {
  type ActionResult,
  approve,
  type HistoryEntry,
  instanceHistory,
  listTasks,
  reject,
  returnTask,
  submit,
  type TaskListItem,
  type TaskView,
  terminate,
  withdraw,
} from '@baton/flow';
import {
  createRecord,
  type FormRecord,
  getRecord,
  type ListInput,
  listRecords,
  type RecordContext,
  reassignRecord,
  updateRecord,
  type Viewer,
} from '@baton/form';
import { getDepartment, getMember } from '@baton/org';
import { type Cell, type DrillResult, drillReport, getReport, type ReportResult, runReport } from '@baton/report';
import { listRecordChanges, type RecordChange } from '@baton/rule';
import { type FormRights, flowStartCode, formPermissionCode, rightsFrom } from './permissions.ts';

// A pack seen through one member's eyes, with exactly the rules the forms and flows APIs apply (ADR 0004): the
// member's roles give per-form rights, the rights become a kernel/form Viewer, so record scopes are SQL. The
// demo loader files its data this way, and pack scenario tests check visibility through it.

type FormRef = { pack: string; key: string };

/** Where a member sits: the owner, department, unit and post a record they create is filed under. */
export async function placementOf(ctx: DbCtx, memberId: string): Promise<RecordContext> {
  const member = await getMember(ctx, { id: memberId });
  const department = await getDepartment(ctx, { id: member.mainDepartmentId });
  return {
    memberId,
    departmentId: member.mainDepartmentId,
    unitId: department.unitId,
    ...(member.postId ? { postId: member.postId } : {}),
  };
}

/** The member's rights on one form, from the permissions their roles hold now. */
export async function formRightsOf(ctx: DbCtx, memberId: string, form: FormRef): Promise<FormRights> {
  return rightsFrom(await permissionsOf(ctx, memberId), form.pack, form.key);
}

function viewerOf(context: RecordContext, rights: FormRights, access: 'read' | 'write'): Viewer {
  return {
    memberId: context.memberId as string,
    scopes: access === 'read' ? rights.read : rights.write,
    grants: true,
    ...(context.departmentId ? { departmentId: context.departmentId } : {}),
    ...(context.unitId ? { unitId: context.unitId } : {}),
  };
}

export type MemberView = {
  readonly memberId: string;
  /** The context acting as this member (actor, same db and clock). */
  readonly ctx: DbCtx;
  rights(form: string): Promise<FormRights>;
  /** Records inside the member's read scopes (and grants); every page. */
  list(form: string, input?: Omit<ListInput, 'pack' | 'key' | 'cursor'>): Promise<FormRecord[]>;
  /** One record, FORM_RECORD_NOT_FOUND outside the member's read scopes. */
  get(form: string, id: string): Promise<FormRecord>;
  /** A new record (ACCESS_FORBIDDEN without the form's create right). */
  create(form: string, values: Record<string, unknown>): Promise<FormRecord>;
  /** Changes a record inside the member's write scopes (FORM_RECORD_NOT_FOUND outside them). */
  update(form: string, id: string, version: number, values: Record<string, unknown>): Promise<FormRecord>;
  /** Hands a record inside the member's write scopes to another owner (转交); its scopes follow the owner. */
  reassign(form: string, id: string, version: number, ownerId: string): Promise<{ version: number }>;
  /** Files a request (ACCESS_FORBIDDEN without the flow's start right). */
  submit(flow: string, values: Record<string, unknown>, title?: string): Promise<ActionResult>;
  pending(): Promise<TaskListItem[]>;
  /** Approves a pending task, writing `values` under the node's field permissions. */
  approve(taskId: string, opinion?: string, values?: Record<string, unknown>): Promise<ActionResult>;
  reject(taskId: string, opinion?: string): Promise<ActionResult>;
  /** Sends a pending task back: to the initiator (the request becomes a draft), the previous or a named earlier node. */
  returnTask(taskId: string, to: 'initiator' | 'previous' | string, opinion?: string): Promise<ActionResult>;
  /** Files a draft (a request returned to its initiator) again, with changed values; `jumpBack` skips to the returner. */
  resubmit(instanceId: string, values?: Record<string, unknown>, jumpBack?: boolean): Promise<ActionResult>;
  /** Takes back one's own request while no approver has acted on it. */
  withdraw(instanceId: string): Promise<ActionResult>;
  /** Ends a running request (the flow's administrators, or its initiator when the flow allows). */
  terminate(instanceId: string, opinion?: string): Promise<ActionResult>;
  /** Runs a published report of the pack with the member's read scopes on the report's form. */
  report(key: string, params?: Record<string, unknown>): Promise<ReportResult>;
  /** The records behind one figure of a report (数据穿透), inside the member's read scopes. */
  drill(key: string, cell: Cell, params?: Record<string, unknown>, limit?: number): Promise<DrillResult>;
  /** A record's history as rules wrote it (newest first), each change with the request behind it. */
  changes(form: string, recordId: string): Promise<RecordChange[]>;
  /** An instance's actions (with opinions) and tasks. */
  history(instanceId: string): Promise<{ actions: HistoryEntry[]; tasks: TaskView[] }>;
};

/** Acts as `memberId` on the forms and flows of `pack`. Forms and flows are named by key. */
export function asMember(base: DbCtx, pack: string, memberId: string): MemberView {
  const ctx: DbCtx = { ...base, actor: { kind: 'member', memberId } };
  const ref = (key: string): FormRef => ({ pack, key });
  const rights = (form: string) => formRightsOf(ctx, memberId, ref(form));
  const viewerFor = async (form: string, access: 'read' | 'write') =>
    viewerOf(await placementOf(ctx, memberId), await rights(form), access);
  return {
    memberId,
    ctx,
    rights,
    async list(form, input = {}) {
      const view = await viewerFor(form, 'read');
      const records: FormRecord[] = [];
      let cursor: string | undefined;
      do {
        const page = await listRecords(
          ctx,
          { ...input, pack, key: form, limit: 200, ...(cursor ? { cursor } : {}) },
          { viewer: view },
        );
        records.push(...page.records);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return records;
    },
    async get(form, id) {
      return getRecord(ctx, { pack, key: form, id }, { viewer: await viewerFor(form, 'read') });
    },
    async create(form, values) {
      const context = await placementOf(ctx, memberId);
      const held = await rights(form);
      if (!held.create) throw AccessErrors.forbidden.create({ permission: formPermissionCode(pack, form, 'create') });
      return createRecord(ctx, { pack, key: form, values }, { context, viewer: viewerOf(context, held, 'write') });
    },
    async update(form, id, version, values) {
      const context = await placementOf(ctx, memberId);
      return updateRecord(
        ctx,
        { pack, key: form, id, version, values },
        { context, viewer: viewerOf(context, await rights(form), 'write') },
      );
    },
    async reassign(form, id, version, ownerId) {
      const context = await placementOf(ctx, memberId);
      return reassignRecord(
        ctx,
        { pack, key: form, id, version, ownerId },
        { viewer: viewerOf(context, await rights(form), 'write') },
      );
    },
    async submit(flow, values, title) {
      const code = flowStartCode(pack, flow);
      if (!(await permissionsOf(ctx, memberId)).has(code)) throw AccessErrors.forbidden.create({ permission: code });
      return submit(ctx, { flow: { pack, key: flow }, values, ...(title ? { title } : {}) });
    },
    async pending() {
      const items: TaskListItem[] = [];
      let cursor: string | undefined;
      do {
        const page = await listTasks(ctx, { box: 'pending', limit: 200, ...(cursor ? { cursor } : {}) });
        items.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return items;
    },
    approve: (taskId, opinion, values) =>
      approve(ctx, { taskId, ...(opinion !== undefined ? { opinion } : {}), ...(values ? { values } : {}) }),
    reject: (taskId, opinion) => reject(ctx, { taskId, ...(opinion !== undefined ? { opinion } : {}) }),
    returnTask: (taskId, to, opinion) => returnTask(ctx, { taskId, to, ...(opinion !== undefined ? { opinion } : {}) }),
    resubmit: (instanceId, values, jumpBack) =>
      submit(ctx, { instanceId, ...(values ? { values } : {}), ...(jumpBack ? { jumpBack } : {}) }),
    withdraw: (instanceId) => withdraw(ctx, { instanceId }),
    terminate: (instanceId, opinion) => terminate(ctx, { instanceId, ...(opinion !== undefined ? { opinion } : {}) }),
    history: (instanceId) => instanceHistory(ctx, { instanceId }),
    async report(key, params) {
      const published = await getReport(ctx, { pack, key });
      const viewer = await viewerFor(published.definition.form.key, 'read');
      return runReport(ctx, { report: { pack, key }, viewer, ...(params ? { params } : {}) });
    },
    async drill(key, cell, params, limit) {
      const published = await getReport(ctx, { pack, key });
      const viewer = await viewerFor(published.definition.form.key, 'read');
      return drillReport(ctx, {
        report: { pack, key },
        viewer,
        cell,
        ...(params ? { params } : {}),
        ...(limit ? { limit } : {}),
      });
    },
    async changes(form, recordId) {
      const viewer = await viewerFor(form, 'read');
      const found: RecordChange[] = [];
      let before: number | undefined;
      do {
        const page = await listRecordChanges(
          ctx,
          { pack, key: form, recordId, limit: 200, ...(before !== undefined ? { before } : {}) },
          { viewer },
        );
        found.push(...page.changes);
        before = page.nextBefore ?? undefined;
      } while (before !== undefined);
      return found;
    },
  };
}
