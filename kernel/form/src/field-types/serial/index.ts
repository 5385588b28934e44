import type { DbCtx } from '@baton/db';
import { z } from 'zod';
import { defineFieldType } from '../define.ts';
import { ok, textOperators } from '../shared.ts';

const TOKEN = /\{(yyyy|yy|MM|dd|seq:(\d{1,2}))\}/g;
const LITERAL = /^[^{}]*$/;

function patternProblem(pattern: string): { message: string; zh: string } | undefined {
  const seqs = [...pattern.matchAll(TOKEN)].filter((m) => m[1]?.startsWith('seq'));
  if (seqs.length !== 1) return { message: 'needs exactly one {seq:N}', zh: '须有且只有一个 {seq:N}' };
  const width = Number(seqs[0]?.[2]);
  if (width < 1 || width > 12) return { message: '{seq:N} needs 1 ≤ N ≤ 12', zh: '{seq:N} 的 N 须在 1 到 12 之间' };
  if (!LITERAL.test(pattern.replace(TOKEN, ''))) {
    return {
      message: 'only {yyyy} {yy} {MM} {dd} {seq:N} tokens are known',
      zh: '只认识 {yyyy} {yy} {MM} {dd} {seq:N} 这几种占位',
    };
  }
  return undefined;
}

const config = z
  .strictObject({
    pattern: z.string().min(1).max(60),
    reset: z.enum(['yearly', 'monthly', 'daily', 'never']).default('never'),
    timeZone: z.string().max(64).default('Asia/Shanghai'),
  })
  .superRefine((c, issues) => {
    const problem = patternProblem(c.pattern);
    if (problem) {
      issues.addIssue({ code: 'custom', path: ['pattern'], message: problem.message, params: { zh: problem.zh } });
    }
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: c.timeZone });
    } catch {
      issues.addIssue({
        code: 'custom',
        path: ['timeZone'],
        message: 'unknown time zone',
        params: { zh: '未知的时区' },
      });
    }
  });

type SerialConfig = z.infer<typeof config>;

function parts(date: Date, timeZone: string): { yyyy: string; MM: string; dd: string } {
  const formatted = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(date);
  const get = (type: string) => formatted.find((part) => part.type === type)?.value ?? '';
  return { yyyy: get('year'), MM: get('month'), dd: get('day') };
}

function periodOf(c: SerialConfig, p: { yyyy: string; MM: string; dd: string }): string {
  const periods: Record<SerialConfig['reset'], string> = {
    yearly: p.yyyy,
    monthly: `${p.yyyy}-${p.MM}`,
    daily: `${p.yyyy}-${p.MM}-${p.dd}`,
    never: '-',
  };
  return periods[c.reset];
}

/**
 * Takes the next number of (scope, period) with one statement that both databases serialise on the row:
 * insert … on conflict do update set next = next + 1 returning next. Joins the caller's transaction, so
 * a rolled-back create gives its number back.
 */
async function nextNumber(ctx: DbCtx, scope: string, period: string): Promise<number> {
  const row = await ctx.db
    .insertInto('baton_form_serial')
    .values({ form: scope, period, next: 2 })
    .onConflict((oc) =>
      oc.columns(['form', 'period']).doUpdateSet((eb) => ({ next: eb('baton_form_serial.next', '+', 1) })),
    )
    .returning('next')
    .executeTakeFirstOrThrow();
  return Number(row.next) - 1;
}

/** 流水号 such as `HT-{yyyy}{MM}-{seq:4}` → `HT-202611-0001`, generated on create inside the transaction. */
export const serialField = defineFieldType({
  type: 'serial',
  configSchema: config,
  column: () => ({ kind: 'text' }),
  expressionType: () => 'text',
  parse: (value) => ok(value ?? null),
  generate: async (ctx, input) => {
    const c = input.config as SerialConfig;
    const p = parts(ctx.clock.now(), c.timeZone);
    const seq = await nextNumber(ctx, input.scope, periodOf(c, p));
    return c.pattern.replace(TOKEN, (_whole, token: string, width?: string) => {
      if (width !== undefined) return String(seq).padStart(Number(width), '0');
      const values: Record<string, string> = { yyyy: p.yyyy, yy: p.yyyy.slice(2), MM: p.MM, dd: p.dd };
      return values[token] ?? '';
    });
  },
  unique: true,
  operators: textOperators,
});
