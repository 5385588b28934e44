import { z } from 'zod';
import { FormIssues } from '../../issues.ts';
import { keyProblem } from '../../keys.ts';
import { compileReferenceFilter } from '../../reference-filter.ts';
import { type ConfigIssue, defineFieldType, type Parsed } from '../define.ts';
import { idOperators, parseId } from '../shared.ts';

const key = z
  .string()
  .refine((value) => keyProblem(value) === undefined, { message: 'a valid key', params: { zh: '须为有效的键名' } });
const formRef = z.strictObject({ pack: key, key });

const config = z.strictObject({
  /** The referenced form: `{ pack, key }` (the older `'pack.form'` text is read as the same). */
  form: z.union([
    formRef,
    z
      .string()
      .max(81)
      .refine(
        (value) => {
          const parts = value.split('.');
          return parts.length === 2 && parts.every((part) => keyProblem(part) === undefined);
        },
        { message: 'pack.form with two valid keys', params: { zh: '须为「应用包.表单」，两段都是有效的键名' } },
      )
      .transform((value) => {
        const [pack, form] = value.split('.') as [string, string];
        return { pack, key: form };
      }),
  ]),
  /** The field of the referenced form shown in place of the id. */
  display: key,
  /** Which records may be picked: see reference-filter.ts (`owner = me.memberId AND status != 'paid'`). */
  filter: z.string().min(1).max(2000).optional(),
  /** Picking a record copies its fields into this form: `{ thisField: targetField }`. */
  fill: z.record(key, key).optional(),
  /**
   * Any record of the target may be picked, whatever the viewer's scopes on it — a borrowing request names the
   * customer one cannot read yet (P-63). The picker then shows the display value only, so `fill` is refused.
   */
  anyRecord: z.boolean().optional(),
});

export type ReferenceConfig = z.output<typeof config>;

/** A reference value: the id, or a value as read back (`{ id, display, … }`) echoed by a client. */
function parseReference(value: unknown): Parsed {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'id' in value) {
    return parseId((value as { id: unknown }).id);
  }
  return parseId(value);
}

/**
 * The id of a record of another form. Writes check that the record exists, is visible to the viewer and
 * passes the filter, and apply the fill mappings; reads return `{ id, display, pack, key }` (references.ts).
 */
export const referenceField = defineFieldType({
  type: 'reference',
  configSchema: config,
  column: () => ({ kind: 'id' }),
  expressionType: () => 'text',
  parse: (value) => parseReference(value),
  indexed: true,
  operators: idOperators,
  check: (c, form) => {
    const issues: ConfigIssue[] = [];
    if (c.filter !== undefined) {
      const compiled = compileReferenceFilter(c.filter);
      if (!compiled.ok)
        for (const issue of compiled.issues) issues.push(FormIssues.issue(['filter'], issue.code, issue.params));
      else {
        for (const name of compiled.filter.thisFields) {
          if (form.expressionTypeOf(name) === undefined) {
            issues.push(FormIssues.issue(['filter'], 'unknown_field', { field: name }));
          }
        }
      }
    }
    if (c.anyRecord && c.fill && Object.keys(c.fill).length > 0) {
      issues.push(FormIssues.issue(['fill'], 'fill_any_record'));
    }
    for (const name of Object.keys(c.fill ?? {})) {
      if (form.expressionTypeOf(name) === undefined) {
        issues.push(FormIssues.issue(['fill', name], 'unknown_field', { field: name }));
      }
    }
    return issues;
  },
});
