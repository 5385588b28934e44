import { shapeDetail, shapeIssues } from '@baton/core';
import { z } from 'zod';
import type { AssigneeSpec } from '../assignee-sources/define.ts';
import { findAssigneeSource } from '../assignee-sources/registry.ts';
import type { CheckContext } from './define.ts';

export const fieldAccessLevels = ['hidden', 'read', 'edit', 'required'] as const;
export type NodeFieldAccess = (typeof fieldAccessLevels)[number];

export const fieldAccessSchema = z.record(z.string().max(40), z.enum(fieldAccessLevels)).default({});
export const assigneesSchema = z.array(z.looseObject({ source: z.string().max(40) })).max(50);

/** Keys of the field-access map must be fields or subtables of the bound form. */
export function checkFieldAccess(access: Record<string, NodeFieldAccess>, context: CheckContext): void {
  const form = context.form;
  if (!form) return;
  for (const key of Object.keys(access)) {
    if (!form.fieldTypes.has(key) && !form.subtables.has(key)) {
      context.add([...context.path, 'fieldAccess', key], 'unknown_field', { field: key });
    }
  }
}

/** Every spec names a registered source and passes its config schema and checks. */
export function checkAssignees(specs: readonly AssigneeSpec[], context: CheckContext): void {
  for (const [index, spec] of specs.entries()) {
    const path = [...context.path, 'assignees', index];
    const source = findAssigneeSource(spec.source);
    if (!source) {
      context.add([...path, 'source'], 'unknown_source', { source: spec.source });
      continue;
    }
    const parsed = source.configSchema.safeParse(spec);
    if (!parsed.success) {
      for (const issue of shapeIssues(parsed.error.issues, spec, path)) {
        context.add([...issue.path], 'bad_config', shapeDetail(issue));
      }
      continue;
    }
    source.check?.(parsed.data, { ...context, path });
  }
}
