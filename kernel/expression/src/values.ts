import { instantMs, instantText, isDate } from './dates.ts';
import { fenFromYuan, formatFen, tidy, yuanFromFen } from './money.ts';
import { elementOf, isListType, type Type } from './types.ts';

/**
 * A run-time value. Types are known statically, so values are plain JSON: number for number, integer fen for money,
 * ISO text for date and datetime, id text for member and department, arrays for lists, null for blank.
 */
export type Value = number | string | boolean | null | readonly Value[];

/** Blank is null, empty text or an empty list: what ISBLANK, COALESCE and COUNT skip. */
export function isBlank(value: Value | undefined): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

/** The text of a value, as `&`, CONCAT and TEXT without a format show it. */
export function toText(value: Value, type: Type): string {
  if (value === null) return '';
  if (Array.isArray(value)) return value.map((item) => toText(item, elementOf(type))).join(',');
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') return type === 'money' ? formatFen(value) : String(tidy(value));
  return String(value);
}

/**
 * Checks one value handed in by the caller against its declared type and returns it in canonical form
 * (`undefined` → null, a Date or an offset instant → UTC ISO text). `undefined` as the result means invalid.
 */
export function acceptValue(raw: unknown, type: Type): Value | undefined {
  if (raw === null || raw === undefined) return null;
  if (isListType(type)) {
    if (!Array.isArray(raw)) return undefined;
    const element = elementOf(type);
    const items: Value[] = [];
    for (const item of raw) {
      const accepted = acceptValue(item, element);
      if (accepted === undefined) return undefined;
      items.push(accepted);
    }
    return items;
  }
  switch (type) {
    case 'number':
      return typeof raw === 'number' && Number.isFinite(raw) ? raw : undefined;
    case 'money':
      return typeof raw === 'number' && Number.isSafeInteger(raw) ? raw : undefined;
    case 'boolean':
      return typeof raw === 'boolean' ? raw : undefined;
    case 'text':
    case 'member':
    case 'department':
      return typeof raw === 'string' ? raw : undefined;
    case 'date':
      return isDate(raw) ? raw : undefined;
    case 'datetime': {
      const ms = raw instanceof Date ? raw.getTime() : typeof raw === 'string' ? instantMs(raw) : null;
      return ms === null || Number.isNaN(ms) ? undefined : (instantText(ms) ?? undefined);
    }
    default:
      return undefined;
  }
}

/**
 * Converts a value of type `from` to the type `to` chosen by unification or asked for by the caller: number ↔ money
 * (yuan to fen half up, fen to yuan), element by element in lists. Every other unification (member → text, null → anything) keeps the value.
 */
export function convert(value: Value, from: Type, to: Type): Value {
  if (value === null || from === to) return value;
  if (Array.isArray(value)) {
    const element = elementOf(from);
    const target = elementOf(to);
    return element === target ? value : value.map((item) => convert(item, element, target));
  }
  if (from === 'number' && to === 'money' && typeof value === 'number') return fenFromYuan(value);
  if (from === 'money' && to === 'number' && typeof value === 'number') return yuanFromFen(value);
  return value;
}
