import type { ComponentType } from 'react';
import type { FieldSemantics } from '../form-runtime/compute.ts';
import type { FieldDefinition, Values } from '../form-runtime/types.ts';
import type { Locale, Translate } from '../i18n/index.ts';

/** `edit` draws an input; `read` draws the value as text (a read-only access level, a computed field, a list cell). */
export type WidgetMode = 'edit' | 'read';

export type WidgetContext = {
  /** The form the value belongs to: attachments upload under it, references search through it. */
  form: { pack: string; key: string };
  locale: Locale;
  t: Translate;
  /** A reference picked a record: its fill mapping is applied to the same row (or the main fields). */
  fill?: (values: Values) => void;
  /** The subtable a column widget is drawn in: the API names the column `subtable.column`. */
  scope?: string;
};

/** How the API names a field: `amount`, or `items.amount` for a subtable column. */
export function fieldRef(key: string, ctx: WidgetContext): string {
  return ctx.scope ? `${ctx.scope}.${key}` : key;
}

export type WidgetProps = {
  field: FieldDefinition;
  value: unknown;
  onChange: (value: unknown) => void;
  mode: WidgetMode;
  /** The input's id, named by the field's <label for>. */
  id: string;
  invalid?: boolean;
  /** Drawn in a subtable cell or a list: smaller, no help text. */
  compact?: boolean;
  ctx: WidgetContext;
};

/** How a list page filters on a field: `contains` text, `eq` one value, `range` from–to. */
export type FilterKind = 'contains' | 'eq' | 'range';

/**
 * The browser half of a field type (its server half is kernel/form/src/field-types/<type>): the widget in both
 * modes, what the form runtime must know to compute and check values, and how lists filter on it. Registered
 * once in registry.ts; nothing else switches on a type string.
 */
export type WebFieldType = {
  readonly type: string;
  readonly Widget: ComponentType<WidgetProps>;
  semantics(field: FieldDefinition): FieldSemantics;
  /** Columns out of 24 when the layout does not place the field (default 12). */
  readonly span?: number;
  /** Omitted: lists cannot filter on it. */
  readonly filter?: FilterKind;
  /** Lists can show it as a column (false for files, rich text, signatures). Default true. */
  readonly listable?: boolean;
};

export function defineWebFieldType(definition: WebFieldType): WebFieldType {
  return Object.freeze(definition);
}
