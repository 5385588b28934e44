import { updateRecord } from '@baton/form';
import { z } from 'zod';
import { RuleErrors } from '../../errors.ts';
import { displayValue } from '../../expressions.ts';
import type { FormRef } from '../../types.ts';
import { type ActionRuntime, defineRuleAction, type Effect } from '../define.ts';
import { readRecord } from '../records.ts';
import {
  checkMatch,
  exprSchema,
  formRefSchema,
  ifMissingSchema,
  labelSchema,
  matchSchema,
  paramsSchema,
  targetFieldSchema,
} from '../shared.ts';

type Adjusted = Effect & {
  form: FormRef;
  recordId: string;
  field: string;
  delta: number;
  money: boolean;
  changeLog: boolean;
};

/** Doubles computed from decimals: drop the binary noise before storing (money is integer fen and exact). */
const tidy = (value: number) => Math.round(value * 1e9) / 1e9;

/**
 * Adds to or subtracts from a number or money field of a matched record (budget, stock, leave balance). With a
 * floor, a decrease that would end below it is refused (RULE_ADJUST_BELOW_FLOOR) and the whole action rolls back.
 * Concurrent adjustments of one record serialise on its version: the loser gets DB_VERSION_CONFLICT.
 */
export const adjustAction = defineRuleAction({
  kind: 'adjust',
  configSchema: z.strictObject({
    form: formRefSchema,
    match: matchSchema,
    field: targetFieldSchema,
    /** The amount added (negative subtracts); `$target.<field>` reads the matched record. */
    by: exprSchema,
    /** A decrease may not end below this (an expression or a number; money in yuan). */
    floor: z
      .union([
        exprSchema,
        z
          .number()
          .finite()
          .transform((n) => String(n)),
      ])
      .optional(),
    ifMissing: ifMissingSchema,
    changeLog: z.boolean().default(false),
    /** The refusal shown at the floor; params may read `$target`. Default: field, current value, change, floor. */
    message: labelSchema.optional(),
    params: paramsSchema,
  }),
  refs: (config) => ({ forms: [config.form] }),
  check(config, context) {
    const target = context.form(['form'], config.form);
    checkMatch(context, target, config.match, ['match']);
    const field = target?.fields.get(config.field);
    if (target && !field) {
      context.add(['field'], 'unknown_field', { form: `${target.ref.pack}.${target.ref.key}`, field: config.field });
    } else if (field && (!field.writable || (field.exprType !== 'money' && field.exprType !== 'number'))) {
      context.add(['field'], 'not_numeric', { field: config.field });
    }
    const expect = field?.exprType === 'money' || field?.exprType === 'number' ? field.exprType : undefined;
    const options = { ...(expect ? { expect } : {}), ...(target ? { target } : {}) };
    context.expr(['by'], config.by, options);
    if (config.floor !== undefined) context.expr(['floor'], config.floor, options);
    if (config.message)
      context.template(['message'], config.message, config.params, ['params'], target ? { target } : {});
    else if (config.params) context.add(['params'], 'params_without_message');
  },
  async run(rt, config) {
    const target = await rt.findTarget(config.form, config.match, ['match'], config.ifMissing === 'fail');
    if (!target) return;
    const delta = rt.eval(['by'], target.values);
    if (delta === null || delta === 0) return;
    if (typeof delta !== 'number') throw rt.required(['by']);
    const info = rt.form(config.form)?.fields.get(config.field);
    const money = info?.exprType === 'money';
    const raw = target.values[config.field];
    const current = typeof raw === 'number' ? raw : 0;
    const next = money ? current + delta : tidy(current + delta);
    if (config.floor !== undefined && delta < 0) {
      const floor = rt.eval(['floor'], target.values);
      if (typeof floor === 'number' && next < floor) {
        const type = money ? 'money' : 'number';
        const message = config.message
          ? rt.text(config.message, config.params, ['params'], target.values)
          : {
              zh: `「${info ? labelOf(rt, config.form, config.field, 'zh') : config.field}」不足：当前 ${displayValue(current, type, 'zh')}，本次 ${displayValue(delta, type, 'zh')}，下限 ${displayValue(floor, type, 'zh')}`,
              en: `Not enough ${info ? labelOf(rt, config.form, config.field, 'en') : config.field}: ${displayValue(current, type, 'en')} now, change ${displayValue(delta, type, 'en')}, floor ${displayValue(floor, type, 'en')}`,
            };
        throw RuleErrors.belowFloor.create({
          messageZh: message.zh,
          messageEn: message.en,
          rule: `${rt.rule.pack}.${rt.rule.key}`,
        });
      }
    }
    await updateRecord(rt.ctx, {
      ...config.form,
      id: target.id,
      version: target.version,
      values: { [config.field]: next },
    });
    rt.effect({
      kind: 'adjust',
      form: config.form,
      recordId: target.id,
      field: config.field,
      delta,
      money,
      changeLog: config.changeLog,
    } satisfies Adjusted);
    if (config.changeLog) {
      await rt.logChange({
        form: config.form,
        recordId: target.id,
        op: 'adjust',
        before: { [config.field]: current },
        after: { [config.field]: next },
      });
    }
  },
  async undo(rt, raw) {
    const effect = raw as Adjusted;
    const current = await readRecord(rt.ctx, effect.form, effect.recordId);
    // A voided line keeps what it had: there is nothing left to give back to.
    if (!current || current.voidedAt) return;
    const value = typeof current.values[effect.field] === 'number' ? (current.values[effect.field] as number) : 0;
    const next = effect.money ? value - effect.delta : tidy(value - effect.delta);
    await updateRecord(rt.ctx, {
      ...effect.form,
      id: current.id,
      version: current.version,
      values: { [effect.field]: next },
    });
    if (effect.changeLog) {
      await rt.logChange({
        form: effect.form,
        recordId: current.id,
        op: 'undo',
        before: { [effect.field]: value },
        after: { [effect.field]: next },
      });
    }
  },
});

function labelOf(rt: ActionRuntime, form: FormRef, field: string, locale: 'zh' | 'en'): string {
  const found = rt.form(form)?.def.fields.find((f) => f.key === field);
  return found ? found.label[locale] : field;
}
