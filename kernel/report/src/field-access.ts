import { accessOf, type FieldAccess } from '@baton/access';
import type { FieldIssue } from '@baton/core';
import type { DbCtx } from '@baton/db';
import { type Viewer, viewerFieldAccess } from '@baton/form';
import type { SourceField } from './catalog.ts';
import type { Predicate, Term } from './conditions.ts';
import { ReportErrors } from './errors.ts';
import type { Plan } from './plan.ts';

// Field permissions (the forms' `fieldAccess`, kernel/form) in reports: a figure never rests on a field the
// viewer may not see — a report whose groups, measures, filters or conditions read one is refused for them —
// and a drill-through leaves such a column out, as the forms API leaves the field out of a record.

export type HiddenTest = (field: SourceField) => boolean;

/** Which of the report's source fields are hidden from the viewer (per form: the report's and each joined). */
export async function hiddenFieldsOf(ctx: DbCtx, plan: Plan, viewer: Viewer): Promise<HiddenTest> {
  const main = await viewerFieldAccess(ctx, plan.main.definition, viewer);
  const joins: (FieldAccess | undefined)[] = [];
  for (const join of plan.joins) joins.push(await viewerFieldAccess(ctx, join.form.definition, viewer));
  const subtable = plan.compiled.def.subtable;
  return (field) => {
    if (field.system) return false;
    if (field.scope === 'join') {
      const access = joins[field.join as number];
      return access !== undefined && accessOf(access, field.key) === 'hidden';
    }
    if (!main) return false;
    // A subtable column is `sub.col` in the form's rules; a column named in MAX/MIN already carries that path.
    const path = field.scope === 'sub' && !field.path.includes('.') ? `${subtable}.${field.key}` : field.path;
    return accessOf(main, path) === 'hidden';
  };
}

function termPaths(term: Term, out: string[]): void {
  if (term.kind === 'coalesce') for (const item of term.items) termPaths(item, out);
  else out.push(term.path);
}

/** Every field path a condition reads. */
export function conditionPaths(predicate: Predicate, out: string[] = []): string[] {
  switch (predicate.kind) {
    case 'and':
    case 'or':
      for (const item of predicate.items) conditionPaths(item, out);
      break;
    case 'not':
      conditionPaths(predicate.item, out);
      break;
    case 'compareTerm':
      termPaths(predicate.term, out);
      break;
    case 'compare':
      out.push(predicate.path);
      if (predicate.right.kind === 'field') out.push(predicate.right.path);
      break;
    default:
      out.push(predicate.path);
  }
  return out;
}

/** REPORT_FIELD_HIDDEN, with the paths, when a figure of the report reads a field hidden from the viewer. */
export function assertFiguresVisible(
  plan: Plan,
  hidden: HiddenTest,
  resolveRows: (path: string) => SourceField | undefined,
): void {
  const { compiled } = plan;
  const named: SourceField[] = [
    ...compiled.dimensions.map((d) => d.field),
    ...compiled.measures.flatMap((m) => (m.field ? [m.field] : [])),
    ...compiled.filters.map((f) => f.field),
  ];
  const conditions = [compiled.where, ...compiled.measures.map((m) => m.where)].filter(
    (p): p is Predicate => p !== undefined,
  );
  for (const path of conditions.flatMap((condition) => conditionPaths(condition))) {
    const field = compiled.catalog.resolve(path) ?? resolveRows(path);
    if (field) named.push(field);
  }
  const issues: FieldIssue[] = [];
  for (const field of named) {
    if (hidden(field) && !issues.some((issue) => issue.path[0] === field.path)) {
      issues.push({ path: [field.path], code: 'hidden', message: `"${field.path}" is hidden from you` });
    }
  }
  if (issues.length > 0) {
    throw ReportErrors.fieldHidden.create({ report: `${compiled.def.pack}.${compiled.def.key}` }, { fields: issues });
  }
}
