import type { DbCtx } from '@baton/db';
import { z } from 'zod';
import { FormErrors } from '../../errors.ts';
import { FormIssues } from '../../issues.ts';
import { type ConfigIssue, defineFieldType, type FormLookup } from '../define.ts';
import { ok, textOperators } from '../shared.ts';

// `{yyyy}` `{yy}` `{MM}` `{dd}` `{seq:N}`, and record parts: `{department}` (the record's department code) and
// `{field:key}` (a text, select/radio option code or department field's code), each with an optional default
// after `|` used when the value is blank: `{field:kind|GEN}`.
const TOKEN = /\{(yyyy|yy|MM|dd|seq:(\d{1,2})|department|field:([A-Za-z0-9]*))(?:\|([^{}|]*))?\}/g;

const KNOWN = 'yyyy yy MM dd seq:N department field:key';

/** The field types whose value the engine resolves reliably at creation, before formulas run. */
const PART_TYPES = new Set(['text', 'select', 'radio', 'department']);

type Part =
  | { kind: 'date'; token: 'yyyy' | 'yy' | 'MM' | 'dd' }
  | { kind: 'seq'; width: number }
  | { kind: 'department'; fallback?: string }
  | { kind: 'field'; key: string; fallback?: string };

function partsOf(pattern: string): { parts: Part[]; stray: boolean } {
  const parts: Part[] = [];
  for (const m of pattern.matchAll(TOKEN)) {
    const [, token = '', width, key, fallback] = m;
    const withFallback = fallback === undefined ? {} : { fallback };
    if (width !== undefined) parts.push({ kind: 'seq', width: Number(width) });
    else if (token === 'department') parts.push({ kind: 'department', ...withFallback });
    else if (key !== undefined) parts.push({ kind: 'field', key, ...withFallback });
    else parts.push({ kind: 'date', token: token as 'yyyy' });
  }
  return { parts, stray: /[{}]/.test(pattern.replace(TOKEN, '')) };
}

const config = z
  .strictObject({
    pattern: z.string().min(1).max(120),
    reset: z.enum(['yearly', 'monthly', 'daily', 'never']).default('never'),
    timeZone: z.string().max(64).default('Asia/Shanghai'),
  })
  .superRefine((c, issues) => {
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

/** Every problem of a pattern at once: sequence part, unknown placeholders, fields it cannot use. */
function checkPattern(c: SerialConfig, form: FormLookup): ConfigIssue[] {
  const { parts, stray } = partsOf(c.pattern);
  const out: ConfigIssue[] = [];
  const seqs = parts.filter((p) => p.kind === 'seq');
  if (seqs.length !== 1) out.push(FormIssues.issue(['pattern'], 'serial_sequence', { count: seqs.length }));
  for (const seq of seqs) {
    if (seq.width < 1 || seq.width > 12) out.push(FormIssues.issue(['pattern'], 'serial_width', { width: seq.width }));
  }
  if (stray) out.push(FormIssues.issue(['pattern'], 'serial_token', { known: KNOWN }));
  for (const part of parts) {
    if (part.kind !== 'field') continue;
    const field = form.fieldOf?.(part.key);
    if (!field) out.push(FormIssues.issue(['pattern'], 'unknown_field', { field: part.key }));
    else if (!PART_TYPES.has(field.type)) {
      out.push(FormIssues.issue(['pattern'], 'serial_field_type', { field: part.key, type: field.type }));
    } else if (field.computedLater) out.push(FormIssues.issue(['pattern'], 'serial_field_later', { field: part.key }));
  }
  return out;
}

function dateParts(date: Date, timeZone: string): { yyyy: string; MM: string; dd: string } {
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

/** Department id → code, provided by the composition root (the form engine never reads the org). */
export type DepartmentCodes = (ctx: DbCtx, departmentId: string) => Promise<string | null>;
let departmentCodes: DepartmentCodes | undefined;

/** Sets how `{department}` and department fields become codes in serials; returns the function that unsets it. */
export function provideDepartmentCodes(resolve: DepartmentCodes): () => void {
  departmentCodes = resolve;
  return () => {
    if (departmentCodes === resolve) departmentCodes = undefined;
  };
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

async function codeOf(ctx: DbCtx, id: unknown): Promise<string> {
  if (typeof id !== 'string' || id === '' || !departmentCodes) return '';
  return (await departmentCodes(ctx, id)) ?? '';
}

/**
 * 流水号 such as `HT-{yyyy}{MM}-{seq:4}` → `HT-202611-0001`, or `XS-{department}-{yyyy}-{seq:4}` →
 * `XS-BJ-2026-0001`, generated on create inside the transaction. A pattern with record parts counts per
 * distinct prefix: the period column holds `<period>|<the number with its sequence left out>`.
 */
export const serialField = defineFieldType({
  type: 'serial',
  configSchema: config,
  column: () => ({ kind: 'text' }),
  expressionType: () => 'text',
  parse: (value) => ok(value ?? null),
  check: checkPattern,
  generate: async (ctx, input) => {
    const c = input.config as SerialConfig;
    const serial = input.scope.slice(input.scope.lastIndexOf('.') + 1);
    const p = dateParts(ctx.clock.now(), c.timeZone);
    const { parts } = partsOf(c.pattern);
    const resolved: string[] = [];
    for (const part of parts) {
      if (part.kind === 'date') resolved.push(part.token === 'yy' ? p.yyyy.slice(2) : p[part.token]);
      else if (part.kind === 'seq') resolved.push('');
      else {
        const raw = part.kind === 'department' ? input.departmentId : input.values[part.key];
        const isDepartment = part.kind === 'department' || input.fieldTypes[part.key] === 'department';
        const value = isDepartment ? await codeOf(ctx, raw) : typeof raw === 'string' ? raw.trim() : '';
        const chosen = value === '' ? (part.fallback ?? '') : value;
        if (chosen === '') {
          const field = part.kind === 'department' ? 'department' : part.key;
          throw FormErrors.serialPartBlank.create(
            { serial, field },
            {
              fields: [
                FormIssues.issue([part.kind === 'field' ? part.key : serial], 'serial_part_blank', { serial, field }),
              ],
            },
          );
        }
        resolved.push(chosen);
      }
    }
    let index = 0;
    const render = (seq: string) => c.pattern.replace(TOKEN, () => resolved[index++] || seq);
    const period = periodOf(c, p);
    const hasRecordParts = parts.some((part) => part.kind === 'department' || part.kind === 'field');
    const prefix = hasRecordParts ? render('#') : '';
    index = 0;
    const seq = await nextNumber(ctx, input.scope, hasRecordParts ? `${period}|${prefix}` : period);
    const width = parts.find((part) => part.kind === 'seq')?.width ?? 1;
    return render(String(seq).padStart(width, '0'));
  },
  unique: true,
  operators: textOperators,
});
