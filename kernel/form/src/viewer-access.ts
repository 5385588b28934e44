import {
  type FieldAccess,
  fieldAccess,
  narrowAccess,
  type RecordScope,
  type ScopesWhereInput,
  scopesWhere,
} from '@baton/access';
import type { DbCtx } from '@baton/db';
import type { Expression, SqlBool } from 'kysely';
import type { FormDefinition } from './definition.ts';
import type { Viewer } from './records.ts';
import type { TableStorage } from './storage.ts';

// What a member reaches of a form, in one place for every reader: records, lists, exports, reference
// pickers and the report engine (its statements and drill-through) all build their record scope and their
// field access here, so a form's `assignedTo` and `fieldAccess` cannot be honoured on one path and missed
// on another.

export type RecordScopeInput = {
  form: FormDefinition;
  storage: TableStorage;
  /** The table's name or alias in the caller's query (`f_crm_opportunity`, `m`, `j0`). */
  table: string;
  viewer: Viewer;
  /** read: read scopes, supervisors count; write: the caller's write scopes, only named members. */
  access: 'read' | 'write';
  /** The scopes to use instead of `viewer.scopes` (a referenced form's, `viewer.targets`). */
  scopes?: readonly RecordScope[];
};

/**
 * The SQL condition selecting the records of `form` the viewer reaches: their record scopes (kernel/access
 * `scopesWhere`), the form's `assignedTo` members for scope `assigned`, and grants on `pack.key`. Build it in
 * the transaction that runs the query (org-derived lists are written into it).
 */
export async function recordScopeWhere(ctx: DbCtx, input: RecordScopeInput): Promise<Expression<SqlBool>> {
  const { form, storage, table, viewer, access } = input;
  const assigned = form.assignedTo;
  const members = (assigned?.fields ?? []).flatMap((key) => {
    const column = storage.columns[key]?.column;
    return column ? [`${table}.${column}`] : [];
  });
  const scopes = input.scopes ?? viewer.scopes;
  const where: ScopesWhereInput = {
    viewer: viewer.memberId,
    // A form that names no member fields has nobody assigned: the scope reaches nothing there.
    scopes: members.length > 0 ? scopes : scopes.filter((scope) => scope !== 'assigned'),
    columns: {
      owner: `${table}.owner_id`,
      department: `${table}.department_id`,
      unit: `${table}.unit_id`,
      members,
    },
    // Supervisors read what their people are on; changing it stays with those named.
    ...(access === 'read' && assigned?.supervisorLevels ? { supervisors: assigned.supervisorLevels } : {}),
    ...(viewer.grants ? { grants: { resource: `${form.pack}.${form.key}`, recordId: `${table}.id`, access } } : {}),
  };
  return scopesWhere(ctx, where);
}

/**
 * The viewer's access to each field of `form`: the form's own rules by role (`fieldAccess`, default edit),
 * narrowed by the viewer's (`viewer.fieldRules`, a flow node's, default `viewer.defaultAccess`). Undefined
 * when neither has rules (every field editable) or there is no viewer (the system acting).
 */
export async function viewerFieldAccess(
  ctx: DbCtx,
  form: FormDefinition,
  viewer: Viewer | undefined,
): Promise<FieldAccess | undefined> {
  if (!viewer) return undefined;
  const resource = `${form.pack}.${form.key}`;
  const own = form.fieldAccess?.length
    ? await fieldAccess(ctx, {
        memberId: viewer.memberId,
        resource,
        rules: form.fieldAccess.map((rule) => ({ ...rule })),
        defaultAccess: 'edit',
      })
    : undefined;
  const place = viewer.fieldRules
    ? await fieldAccess(ctx, {
        memberId: viewer.memberId,
        resource,
        rules: [...viewer.fieldRules],
        defaultAccess: viewer.defaultAccess ?? 'read',
      })
    : undefined;
  if (own && place) return narrowAccess(own, place);
  return own ?? place;
}
