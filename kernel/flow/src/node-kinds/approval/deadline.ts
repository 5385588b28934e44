import { shapeDetail, shapeIssues } from '@baton/core';
import { z } from 'zod';
import type { AssigneeSpec } from '../../assignee-sources/define.ts';
import { findAssigneeSource } from '../../assignee-sources/registry.ts';
import type { CheckContext } from '../define.ts';

// Kept apart from deadlines.ts (which needs the actions) so the node kind can validate without an import cycle.

const amount = z.number().positive().max(100_000);
const duration = z
  .strictObject({ days: amount.optional(), hours: amount.optional(), minutes: amount.optional() })
  .refine((d) => d.days !== undefined || d.hours !== undefined || d.minutes !== undefined, {
    message: 'days, hours or minutes',
    params: { zh: '须给出天数、小时数或分钟数' },
  });

export const overdueActions = ['notify', 'autoApprove', 'transfer', 'escalate'] as const;
export type OverdueAction = (typeof overdueActions)[number];

/** The `deadline` option of an approval node. */
export const deadlineSchema = z.strictObject({
  /** Time allowed per task, from when it becomes pending. */
  after: duration,
  /** business: counted in working hours of the business calendar (default) · natural: wall-clock time. */
  calendar: z.enum(['business', 'natural']).default('business'),
  /** A choice field whose option code picks the duration (e.g. priority urgent → 4 h); `after` is the fallback. */
  fromField: z
    .strictObject({
      field: z.string().min(1).max(40),
      durations: z.record(z.string().min(1).max(64), duration),
    })
    .optional(),
  /** A `flow.reminder` timer this long before the deadline (same calendar). */
  remindBefore: z
    .strictObject({ hours: amount.optional(), minutes: amount.optional() })
    .refine((d) => d.hours !== undefined || d.minutes !== undefined, {
      message: 'hours or minutes',
      params: { zh: '须给出小时数或分钟数' },
    })
    .optional(),
  overdue: z.enum(overdueActions).default('notify'),
  /** For overdue 'transfer': who takes the task over (the first resolved member other than the assignee). */
  transferTo: z.looseObject({ source: z.string().max(40) }).optional(),
});
export type DeadlineOptions = z.output<typeof deadlineSchema>;
export type Duration = z.output<typeof duration>;

/** Cross checks of the deadline against the form and the assignee sources. */
export function checkDeadline(options: DeadlineOptions | undefined, context: CheckContext): void {
  if (!options) return;
  const path = [...context.path, 'deadline'];
  if (options.overdue === 'transfer' && !options.transferTo) {
    context.add([...path, 'transferTo'], 'required', {
      what: "transferTo (overdue 'transfer')",
      whatZh: '接手人（超时处理为“转交”时）',
    });
  }
  if (options.transferTo && options.overdue !== 'transfer') {
    context.add([...path, 'transferTo'], 'transfer_only');
  }
  if (options.transferTo) {
    const spec = options.transferTo as AssigneeSpec;
    const source = findAssigneeSource(spec.source);
    if (!source) {
      context.add([...path, 'transferTo', 'source'], 'unknown_source', { source: spec.source });
    } else {
      const parsed = source.configSchema.safeParse(spec);
      if (!parsed.success) {
        for (const issue of shapeIssues(parsed.error.issues, spec, [...path, 'transferTo'])) {
          context.add([...issue.path], 'bad_config', shapeDetail(issue));
        }
      } else source.check?.(parsed.data, { ...context, path: [...path, 'transferTo'] });
    }
  }
  const form = context.form;
  if (options.fromField && form) {
    const field = form.fieldTypes.get(options.fromField.field);
    const choices = (field?.config as { options?: ReadonlyArray<{ code: string }> } | undefined)?.options;
    if (!field || !choices) {
      context.add([...path, 'fromField', 'field'], 'not_choice_field', { field: options.fromField.field });
      return;
    }
    for (const code of Object.keys(options.fromField.durations)) {
      if (!choices.some((choice) => choice.code === code)) {
        context.add([...path, 'fromField', 'durations', code], 'unknown_option', { option: code });
      }
    }
  }
}
