import { type DbCtx, dialectOf, instant } from '@baton/db';
import { type Expression, type ExpressionBuilder, expressionBuilder, type SqlBool, sql } from 'kysely';
import { z } from 'zod';
import { resourceField } from './grants.ts';
import { departmentsAndBelow, subordinatesOf, viewerIsActiveWhere, viewerPlacement } from './org-port.ts';
import { parseInput } from './validate.ts';

/**
 * Record scopes (P-60..P-62, P-65): which records of a table a viewer may see or change.
 * - own: the viewer owns the record;
 * - department: the record's department is one of the viewer's (main department or a concurrent post);
 * - departmentAndBelow: … or any department below one of those;
 * - managedDepartments: the record's department is, or is below, a department the viewer heads or is
 *   division leader of (部门主管 / 分管领导);
 * - unit: the record's unit is the unit of one of the viewer's departments;
 * - all: every record;
 * - assigned: the viewer is named in one of the record's member columns (销售经理A/B …), or — with
 *   `supervisors: n` — is among the first n supervisors (org's head rule, from the org as it is now) of the
 *   record's owner or of a member named there.
 * Sub-trees include disabled departments: records filed there before a reorganisation stay visible.
 */
export type RecordScope =
  | 'own'
  | 'assigned'
  | 'department'
  | 'departmentAndBelow'
  | 'managedDepartments'
  | 'unit'
  | 'all';

export const recordScopes: readonly RecordScope[] = Object.freeze([
  'own',
  'assigned',
  'department',
  'departmentAndBelow',
  'managedDepartments',
  'unit',
  'all',
]);

/**
 * A column of the caller's query: a reference string as written in that query (`'c.ownerId'`, camelCase
 * like every Kysely column name) or any Kysely expression. Never build it from request input.
 */
export type ColumnRef = string | Expression<unknown>;

export type ScopeColumns = {
  owner?: ColumnRef;
  department?: ColumnRef;
  unit?: ColumnRef;
  /** Member-id columns whose member reaches the record (scope `assigned`); [] when the table has none. */
  members?: readonly ColumnRef[];
};

export type ScopeGrants = {
  /** The resource key the grants were made for (a form key such as `crm.customer`). */
  resource: string;
  /** The record id column (text) of the caller's table. */
  recordId: ColumnRef;
  /** read: read and write grants count; write: only write grants. */
  access: 'read' | 'write';
};

export type ScopesWhereInput = {
  viewer: string;
  scopes: readonly RecordScope[];
  columns: ScopeColumns;
  grants?: ScopeGrants;
  /** Scope `assigned`: the supervisors of the owner and of the named members up to this level reach it too. */
  supervisors?: number;
};

export type ScopeWhereInput = Omit<ScopesWhereInput, 'scopes'> & { scope: RecordScope };

const inputSchema = z.object({
  viewer: z.string().min(1).max(64),
  scopes: z.array(z.enum(recordScopes as [RecordScope, ...RecordScope[]])).max(7),
  supervisors: z.number().int().min(0).max(10).optional(),
  grants: z
    .object({ resource: resourceField, access: z.enum(['read', 'write']) })
    .loose()
    .optional(),
});

// The caller's table is unknown here: the builder is untyped and every column comes in as a reference.
// biome-ignore lint/suspicious/noExplicitAny: see above
type AnyEb = ExpressionBuilder<any, any>;

const asRef = (eb: AnyEb, column: ColumnRef): Expression<unknown> =>
  typeof column === 'string' ? eb.ref(column) : column;

function refOf(
  eb: AnyEb,
  column: ColumnRef | undefined,
  scope: RecordScope,
  name: keyof ScopeColumns,
): Expression<unknown> {
  // A scope without its column is a programming error; failing closed silently would hide it.
  if (column === undefined) throw new TypeError(`scopeWhere: scope "${scope}" needs columns.${name}`);
  return asRef(eb, column);
}

/** Past this many ids one bound JSON array replaces the IN list (bound-parameter limits, statement size). */
const MAX_IN_LIST = 500;

/** column IN (ids), as an IN list or, for long lists, one bound array. */
function memberIn(ctx: DbCtx, eb: AnyEb, column: Expression<unknown>, ids: readonly string[]): Expression<SqlBool> {
  if (ids.length <= MAX_IN_LIST) return inList(eb, column, ids);
  const list = JSON.stringify(ids);
  return dialectOf(ctx.db) === 'postgres'
    ? sql<SqlBool>`${column} in (select jsonb_array_elements_text(cast(${list} as jsonb)))`
    : sql<SqlBool>`${column} in (select value from json_each(${list}))`;
}

/**
 * Scope `assigned`: the viewer is named in a member column, or (supervisors > 0) the owner or a named member
 * has the viewer among their first `supervisors` supervisors. Who reports to whom is worked out now from the
 * org, so a transfer or a new head changes who reaches the record at once; nothing is copied into it.
 */
async function assignedTerms(
  ctx: DbCtx,
  eb: AnyEb,
  viewer: string,
  columns: ScopeColumns,
  supervisors: number,
): Promise<Expression<SqlBool>[]> {
  if (columns.members === undefined) throw new TypeError('scopeWhere: scope "assigned" needs columns.members');
  const members = columns.members.map((column) => asRef(eb, column));
  const terms: Expression<SqlBool>[] = members.map((column) => eb(column, '=', viewer));
  if (supervisors > 0) {
    const below = await subordinatesOf(ctx, viewer, supervisors);
    if (below.length > 0) {
      const reached = columns.owner === undefined ? members : [asRef(eb, columns.owner), ...members];
      for (const column of reached) terms.push(memberIn(ctx, eb, column, below));
    }
  }
  return terms;
}

function inList(eb: AnyEb, column: Expression<unknown>, ids: readonly string[]): Expression<SqlBool> {
  return ids.length === 0 ? eb.or([]) : eb(column, 'in', ids);
}

/**
 * A boolean SQL expression for the caller's WHERE that is true exactly for the records the viewer may
 * reach through ANY of `scopes` or through a grant in force. Evaluated by the database, never in memory:
 *
 *   db.selectFrom('f_crm_customer as c').selectAll()
 *     .where(await scopesWhere(ctx, { viewer, scopes: ['own', 'managedDepartments'],
 *       columns: { owner: 'c.ownerId', department: 'c.departmentId' },
 *       grants: { resource: 'crm.customer', recordId: 'c.id', access: 'read' } }))
 *
 * The viewer's departments and the department sub-trees are worked out now, from org's tables as ctx.db
 * sees them (cached per org revision), and written into the expression as IN lists: build the
 * expression in the transaction that runs the query, and do not keep it. The grant test is an EXISTS
 * subquery comparing expires_at with ctx.clock's now. A viewer who left, or an empty list of scopes
 * without grants, matches nothing.
 */
export async function scopesWhere(ctx: DbCtx, input: ScopesWhereInput): Promise<Expression<SqlBool>> {
  parseInput(inputSchema, input);
  const eb: AnyEb = expressionBuilder();
  const scopes = new Set(input.scopes);
  // 'all' asks only that the viewer is an active member: their placement would be read for nothing, and the
  // test is part of the query (a flow writes the record of every action it takes through this scope).
  if (scopes.has('all')) return viewerIsActiveWhere(input.viewer);
  const placement = await viewerPlacement(ctx, input.viewer);
  if (!placement) return eb.or([]);
  const { columns, viewer } = input;
  const terms: Expression<SqlBool>[] = [];
  if (scopes.has('own')) terms.push(eb(refOf(eb, columns.owner, 'own', 'owner'), '=', viewer));
  if (scopes.has('assigned')) terms.push(...(await assignedTerms(ctx, eb, viewer, columns, input.supervisors ?? 0)));
  // department ⊂ departmentAndBelow: one IN list serves both.
  if (scopes.has('departmentAndBelow')) {
    const ids = await departmentsAndBelow(ctx, placement.departmentIds);
    terms.push(inList(eb, refOf(eb, columns.department, 'departmentAndBelow', 'department'), ids));
  } else if (scopes.has('department')) {
    terms.push(inList(eb, refOf(eb, columns.department, 'department', 'department'), placement.departmentIds));
  }
  if (scopes.has('managedDepartments')) {
    const ids = await departmentsAndBelow(ctx, placement.managedDepartmentIds);
    terms.push(inList(eb, refOf(eb, columns.department, 'managedDepartments', 'department'), ids));
  }
  if (scopes.has('unit')) terms.push(inList(eb, refOf(eb, columns.unit, 'unit', 'unit'), placement.unitIds));
  if (input.grants) terms.push(grantExists(eb, viewer, input.grants, instant(ctx.clock.now())));
  return eb.or(terms);
}

/** scopesWhere for a single scope. */
export function scopeWhere(ctx: DbCtx, input: ScopeWhereInput): Promise<Expression<SqlBool>> {
  const { scope, ...rest } = input;
  return scopesWhere(ctx, { ...rest, scopes: [scope] });
}

/**
 * EXISTS (a grant in force for this viewer and this record or the whole resource). The subquery names the
 * grant table in full (no short alias) so it cannot shadow an alias of the caller's query.
 */
function grantExists(eb: AnyEb, viewer: string, grants: ScopeGrants, now: string): Expression<SqlBool> {
  const recordId = typeof grants.recordId === 'string' ? eb.ref(grants.recordId) : grants.recordId;
  let query = eb
    .selectFrom('baton_access_grant')
    .select(eb.lit(1).as('one'))
    .where('baton_access_grant.memberId', '=', viewer)
    .where('baton_access_grant.resource', '=', grants.resource)
    .where('baton_access_grant.revokedAt', 'is', null)
    .where((g: AnyEb) =>
      g.or([g('baton_access_grant.expiresAt', 'is', null), g('baton_access_grant.expiresAt', '>', now)]),
    )
    .where((g: AnyEb) =>
      g.or([g('baton_access_grant.recordId', 'is', null), g('baton_access_grant.recordId', '=', recordId)]),
    );
  if (grants.access === 'write') query = query.where('baton_access_grant.access', '=', 'write');
  return eb.exists(query);
}
