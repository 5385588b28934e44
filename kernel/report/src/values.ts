import type { DbCtx } from '@baton/db';
import type { Label } from '@baton/form';
import type { SourceField } from './catalog.ts';
import type { Bucket, Dimension, Measure } from './definition.ts';

// Values as they come back from either database, made the same (numbers, booleans, 'YYYY-MM-DD', ISO
// instants), and their labels for people (option labels, org names, buckets, 是/否).

export type Scalar = string | number | boolean | null;
export type Locale = 'zh-CN' | 'en-US';
export type RefKind = 'member' | 'department' | 'unit' | 'post';

/** Org names for ids; the server passes one built on @baton/org (the same port as kernel/form's exports). */
export type NameLookup = {
  names(ctx: DbCtx, kind: RefKind, ids: readonly string[]): Promise<ReadonlyMap<string, string>>;
};

const refKinds: ReadonlySet<string> = new Set(['member', 'department', 'unit', 'post', 'members', 'departments']);

export function refKindOf(field: SourceField): RefKind | undefined {
  if (!refKinds.has(field.type)) return undefined;
  return field.type.replace(/s$/, '') as RefKind;
}

/** Doubles that carry float noise (SQLite sums of decimals) tidied to 15 significant digits. */
export const tidy = (value: number) => (Number.isInteger(value) ? value : Number(value.toPrecision(15)));

function numberOf(raw: unknown): number | null {
  const value = typeof raw === 'number' ? raw : Number(raw);
  return Number.isFinite(value) ? value : null;
}

export function fieldValue(field: SourceField, kind: string, raw: unknown): Scalar {
  if (raw === null || raw === undefined) return null;
  switch (kind) {
    case 'boolean':
      return raw === 1 || raw === true || raw === '1' || raw === 't';
    case 'bigint':
    case 'integer':
    case 'decimal': {
      const value = numberOf(raw);
      return value === null ? null : tidy(value);
    }
    case 'date':
      return String(raw).slice(0, 10);
    case 'json':
      return typeof raw === 'string' ? raw : JSON.stringify(raw);
    default:
      return typeof raw === 'number' && field.kind !== 'text' ? raw : String(raw);
  }
}

export function dimensionValue(dimension: Dimension, kind: string, raw: unknown): Scalar {
  if (raw === null || raw === undefined) return null;
  if (dimension.bucket) return String(raw).slice(0, 10);
  return fieldValue(dimension.field, kind, raw);
}

export function measureValue(measure: Measure, raw: unknown): Scalar {
  if (raw === null || raw === undefined) return measure.agg === 'count' || measure.agg === 'distinctCount' ? 0 : null;
  switch (measure.type) {
    case 'number': {
      const value = numberOf(raw);
      return value === null ? null : measure.agg === 'avg' ? Math.round(value * 1e6) / 1e6 : tidy(value);
    }
    case 'money': {
      // Money stays integer fen: an average is rounded half up (away from zero) to the fen.
      const value = numberOf(raw);
      if (value === null) return null;
      return Math.sign(value) * Math.round(Math.abs(value));
    }
    case 'date':
      return String(raw).slice(0, 10);
    default:
      return String(raw);
  }
}

const quarterOf = (date: string) => Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1;

export function bucketLabel(bucket: Bucket, start: string, locale: Locale): string {
  const zh = locale === 'zh-CN';
  switch (bucket) {
    case 'day':
      return start;
    case 'week':
      return zh ? `${start} 当周` : `week of ${start}`;
    case 'month':
      return start.slice(0, 7);
    case 'quarter':
      return zh ? `${start.slice(0, 4)}年第${quarterOf(start)}季度` : `${start.slice(0, 4)} Q${quarterOf(start)}`;
    case 'year':
      return start.slice(0, 4);
  }
}

export const blankLabel = (locale: Locale) => (locale === 'zh-CN' ? '（空）' : '(blank)');
export const pick = (label: Label, locale: Locale) => (locale === 'zh-CN' ? label.zh : label.en);

/** Labels of many values of one field: one lookup per kind of org entity. */
export async function labelValues(
  ctx: DbCtx,
  field: SourceField,
  values: Iterable<Scalar>,
  locale: Locale,
  refs: NameLookup | undefined,
  bucket?: Bucket,
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const distinct = [...new Set(values)];
  const refKind = refKindOf(field);
  let names: ReadonlyMap<string, string> | undefined;
  if (refKind && refs && !bucket) {
    const ids = distinct.flatMap((value) => (typeof value === 'string' ? listOf(value) : []));
    if (ids.length > 0) names = await refs.names(ctx, refKind, [...new Set(ids)]);
  }
  for (const value of distinct) {
    out.set(keyOf(value), labelOf(field, value, locale, names, bucket));
  }
  return out;
}

/** JSON lists (members, checkboxes) as their items; anything else as itself. */
function listOf(value: string): string[] {
  if (!value.startsWith('[')) return [value];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.map(String) : [value];
  } catch {
    return [value];
  }
}

export const keyOf = (value: Scalar) => JSON.stringify(value);

export function labelOf(
  field: SourceField,
  value: Scalar,
  locale: Locale,
  names: ReadonlyMap<string, string> | undefined,
  bucket?: Bucket,
): string {
  if (value === null || value === '') return blankLabel(locale);
  if (bucket) return bucketLabel(bucket, String(value), locale);
  if (typeof value === 'boolean') return locale === 'zh-CN' ? (value ? '是' : '否') : value ? 'Yes' : 'No';
  if (field.options) {
    const items = listOf(String(value));
    return items
      .map((code) => {
        const option = field.options?.find((o) => o.code === code);
        return option ? pick(option.label, locale) : code;
      })
      .join('、');
  }
  if (names)
    return listOf(String(value))
      .map((id) => names.get(id) ?? id)
      .join('、');
  return String(value);
}
