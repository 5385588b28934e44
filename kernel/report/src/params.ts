import type { FieldIssue } from '@baton/core';
import type { DbCtx } from '@baton/db';
import { listDepartments, orgRevision } from '@baton/org';
import type { CompiledReport, DatePreset, Param, SortKey } from './definition.ts';
import { ReportErrors } from './errors.ts';

// Parameters arrive from requests: every value is checked against the report's declared parameters before
// any SQL is built, and only ever becomes a bound value. Anything unexpected is REPORT_PARAM_INVALID with
// the path of the offending value (`params.period.from`).

export type DateRange = { from?: string; to?: string };
/** A parameter's value ready for SQL: a date range or a list of ids / option codes. */
export type ResolvedParam =
  | { kind: 'range'; range: DateRange }
  | { kind: 'list'; values: readonly string[] }
  | { kind: 'number'; value: number };
export type ResolvedParams = ReadonlyMap<string, ResolvedParam>;

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MAX_IDS = 200;

function isDate(value: unknown): value is string {
  const match = typeof value === 'string' ? DATE.exec(value) : null;
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const isPlain = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** 'YYYY-MM-DD' of a UTC date. */
const day = (date: Date) => date.toISOString().slice(0, 10);
const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d));

/** Today in the report's fixed offset, from ctx.clock. */
export function localToday(now: Date, utcOffsetMinutes: number): string {
  return day(new Date(now.getTime() + utcOffsetMinutes * 60_000));
}

/** The days of a preset range around today (weeks start on Monday, as date buckets do). */
export function presetRange(preset: DatePreset, today: string): Required<DateRange> {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const q = Math.floor((m - 1) / 3) * 3;
  const weekday = (utc(y, m - 1, d).getUTCDay() + 6) % 7;
  const ranges: Record<DatePreset, [Date, Date]> = {
    today: [utc(y, m - 1, d), utc(y, m - 1, d)],
    thisWeek: [utc(y, m - 1, d - weekday), utc(y, m - 1, d - weekday + 6)],
    thisMonth: [utc(y, m - 1, 1), utc(y, m, 0)],
    lastMonth: [utc(y, m - 2, 1), utc(y, m - 1, 0)],
    thisQuarter: [utc(y, q, 1), utc(y, q + 3, 0)],
    lastQuarter: [utc(y, q - 3, 1), utc(y, q, 0)],
    thisYear: [utc(y, 0, 1), utc(y, 11, 31)],
    lastYear: [utc(y - 1, 0, 1), utc(y - 1, 11, 31)],
    last7Days: [utc(y, m - 1, d - 6), utc(y, m - 1, d)],
    last30Days: [utc(y, m - 1, d - 29), utc(y, m - 1, d)],
  };
  const [from, to] = ranges[preset];
  return { from: day(from), to: day(to) };
}

// ---- department sub-trees (cached per org revision, like kernel/access) ----------------------------------

const trees = new Map<string, Promise<Map<string, string[]>>>();

async function childrenMap(ctx: DbCtx): Promise<Map<string, string[]>> {
  const { stamp } = await orgRevision(ctx);
  const hit = trees.get(stamp);
  if (hit) return hit;
  const building = (async () => {
    const children = new Map<string, string[]>();
    for (const department of await listDepartments(ctx, { includeDisabled: true })) {
      if (!department.parentId) continue;
      const list = children.get(department.parentId) ?? [];
      list.push(department.id);
      children.set(department.parentId, list);
    }
    return children;
  })();
  trees.set(stamp, building);
  building.catch(() => trees.delete(stamp));
  while (trees.size > 8) {
    const oldest = trees.keys().next().value;
    if (oldest === undefined) break;
    trees.delete(oldest);
  }
  return building;
}

/** The given departments and every department below them (disabled ones included: old records stay findable). */
export async function withSubDepartments(ctx: DbCtx, ids: readonly string[]): Promise<string[]> {
  const children = await childrenMap(ctx);
  const result = new Set<string>();
  const stack = [...ids];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (result.has(id)) continue;
    result.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return [...result].sort();
}

// ---- validation -----------------------------------------------------------------------------------------

type Issues = FieldIssue[];

function listValue(param: Param, value: unknown, issues: Issues): string[] | undefined {
  const path = ['params', param.key];
  const items = Array.isArray(value) ? value : [value];
  if (Array.isArray(value) && !('multiple' in param && param.multiple)) {
    issues.push({ path, code: 'not_single', message: 'one value, not a list' });
    return undefined;
  }
  if (items.length > MAX_IDS) {
    issues.push({ path, code: 'too_many', message: `at most ${MAX_IDS} values` });
    return undefined;
  }
  const out: string[] = [];
  for (const [index, item] of items.entries()) {
    const at = Array.isArray(value) ? [...path, index] : path;
    if (param.type === 'options') {
      if (typeof item !== 'string' || !param.options?.some((option) => option.code === item)) {
        issues.push({ path: at, code: 'not_option', message: 'one of the option codes' });
        continue;
      }
    } else if (typeof item !== 'string' || !ID.test(item)) {
      issues.push({ path: at, code: 'invalid_id', message: 'an id (letters, digits, - and _)' });
      continue;
    }
    out.push(item);
  }
  return out.length === 0 ? undefined : [...new Set(out)];
}

function rangeValue(value: unknown, today: string, path: (string | number)[], issues: Issues): DateRange | undefined {
  if (!isPlain(value)) {
    issues.push({ path, code: 'not_range', message: 'a range { from, to } or { preset }' });
    return undefined;
  }
  const keys = Object.keys(value);
  if ('preset' in value) {
    if (keys.length !== 1 || typeof value.preset !== 'string' || !presetNames.has(value.preset)) {
      issues.push({ path: [...path, 'preset'], code: 'not_preset', message: 'a known preset' });
      return undefined;
    }
    return presetRange(value.preset as DatePreset, today);
  }
  const extra = keys.filter((key) => key !== 'from' && key !== 'to');
  for (const key of extra) issues.push({ path: [...path, key], code: 'unknown_key', message: 'only from and to' });
  const range: DateRange = {};
  for (const end of ['from', 'to'] as const) {
    const given = value[end];
    if (given === undefined || given === null || given === '') continue;
    if (!isDate(given)) {
      issues.push({ path: [...path, end], code: 'not_date', message: 'a date YYYY-MM-DD' });
      continue;
    }
    range[end] = given;
  }
  if (extra.length > 0) return undefined;
  if (range.from && range.to && range.from > range.to) {
    issues.push({ path, code: 'bad_range', message: 'from is after to' });
    return undefined;
  }
  return range.from || range.to ? range : undefined;
}

const presetNames: ReadonlySet<string> = new Set([
  'today',
  'thisWeek',
  'thisMonth',
  'lastMonth',
  'thisQuarter',
  'lastQuarter',
  'thisYear',
  'lastYear',
  'last7Days',
  'last30Days',
]);

/**
 * Checks request parameters against the report and resolves them: defaults applied, presets turned into
 * days (from ctx.clock), departments expanded to their sub-trees when the parameter says so.
 * `expand: false` only checks (for saved pins and dashboards).
 */
export async function resolveParams(
  ctx: DbCtx,
  compiled: CompiledReport,
  input: unknown,
  options: { expand?: boolean } = {},
): Promise<ResolvedParams> {
  const issues: Issues = [];
  const given = input === undefined || input === null ? {} : input;
  if (!isPlain(given)) {
    throw ReportErrors.paramInvalid.create(
      {},
      { fields: [{ path: ['params'], code: 'not_object', message: 'an object' }] },
    );
  }
  for (const key of Object.keys(given)) {
    if (!compiled.params.some((param) => param.key === key)) {
      issues.push({ path: ['params', key], code: 'unknown_param', message: `no parameter "${key}"` });
    }
  }
  const today = localToday(ctx.clock.now(), compiled.def.utcOffsetMinutes);
  const resolved = new Map<string, ResolvedParam>();
  for (const param of compiled.params) {
    const path = ['params', param.key];
    let value = Object.hasOwn(given, param.key) ? given[param.key] : undefined;
    const blank = value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
    if (blank && 'default' in param && param.default !== undefined) value = param.default;
    else if (blank) value = undefined;
    if (value === undefined) {
      if (param.required) issues.push({ path, code: 'required', message: 'required' });
      continue;
    }
    if (param.type === 'dateRange') {
      const range = rangeValue(value, today, path, issues);
      if (range) resolved.set(param.key, { kind: 'range', range });
      else if (param.required && !issues.some((issue) => issue.path[1] === param.key)) {
        issues.push({ path, code: 'required', message: 'required' });
      }
      continue;
    }
    if (param.type === 'number') {
      // A whole number as JSON, or as the digits a query string carries.
      const number = typeof value === 'string' && /^-?\d{1,6}$/.test(value) ? Number(value) : value;
      if (typeof number !== 'number' || !Number.isInteger(number) || number < param.min || number > param.max) {
        issues.push({ path, code: 'not_number', message: `a whole number from ${param.min} to ${param.max}` });
      } else resolved.set(param.key, { kind: 'number', value: number });
      continue;
    }
    const values = listValue(param, value, issues);
    if (!values) continue;
    const expanded =
      param.type === 'department' && param.withSubDepartments && options.expand !== false
        ? await withSubDepartments(ctx, values)
        : values;
    resolved.set(param.key, { kind: 'list', values: expanded });
  }
  if (issues.length > 0) throw ReportErrors.paramInvalid.create({}, { fields: issues });
  return resolved;
}

/** A sort chosen by the caller: only keys of the report, under the same rules as the definition's. */
export function resolveSort(compiled: CompiledReport, input: unknown): readonly SortKey[] {
  if (input === undefined || input === null) return compiled.sort;
  const issues: Issues = [];
  if (!Array.isArray(input) || input.length > 6) {
    throw ReportErrors.paramInvalid.create(
      {},
      { fields: [{ path: ['sort'], code: 'not_list', message: 'a list of at most 6 sorts' }] },
    );
  }
  const crossTab = compiled.dimensions.some((d) => d.axis === 'column');
  const sort: SortKey[] = [];
  for (const [index, entry] of input.entries()) {
    const path = ['sort', index];
    if (!isPlain(entry) || typeof entry.by !== 'string') {
      issues.push({ path, code: 'not_sort', message: '{ by, dir }' });
      continue;
    }
    const dir = entry.dir === undefined ? 'asc' : entry.dir;
    if (dir !== 'asc' && dir !== 'desc')
      issues.push({ path: [...path, 'dir'], code: 'not_dir', message: 'asc or desc' });
    const by = entry.by;
    const target = compiled.dimensions.some((d) => d.key === by)
      ? 'dimension'
      : compiled.measures.some((m) => m.key === by)
        ? 'measure'
        : compiled.computed.some((c) => c.key === by)
          ? 'computed'
          : undefined;
    if (!target) {
      issues.push({ path: [...path, 'by'], code: 'unknown_key', message: 'not a column of this report' });
      continue;
    }
    if (crossTab && target !== 'dimension') {
      issues.push({
        path: [...path, 'by'],
        code: 'crosstab_sort',
        message: 'a cross-tab sorts by its dimensions only',
      });
      continue;
    }
    if (target === 'computed' && (compiled.def.limit !== undefined || compiled.def.subtotals)) {
      issues.push({ path: [...path, 'by'], code: 'computed_sort', message: 'not with a top-N limit or subtotals' });
      continue;
    }
    if (dir === 'asc' || dir === 'desc') sort.push({ key: by, dir, target });
  }
  if (issues.length > 0) throw ReportErrors.paramInvalid.create({}, { fields: issues });
  return sort;
}
