import type { ComponentType, ReactNode } from 'react';
import type { FieldSemantics } from '../form-runtime/compute.ts';
import type { FieldDefinition, Label, Values } from '../form-runtime/types.ts';
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

/** Where a type sits in the form designer's palette. */
export type PaletteGroup = 'basic' | 'choice' | 'time' | 'org' | 'file' | 'computed' | 'advanced';

/** A `{ from }` default (kernel/form definition.ts): who fills in, or when. */
export type DefaultSource = 'member' | 'department' | 'unit' | 'post' | 'today' | 'now';

/**
 * One type-specific property of a field as the form designer edits it; `name` is its config key. The designer
 * draws one editor per `kind`, so a new type needs no designer code unless it brings a new kind.
 */
export type DesignSetting =
  /** Choice options: `[{ code, label: { zh, en } }]`. */
  | { kind: 'options'; name: string }
  /** A number; `money` is edited in yuan and stored in fen. Blank removes the key unless `required`. */
  | {
      kind: 'integer' | 'decimal' | 'money';
      name: string;
      label: Label;
      min?: number;
      max?: number;
      required?: boolean;
    }
  | {
      kind: 'text';
      name: string;
      label: Label;
      placeholder?: string;
      required?: boolean;
      /** A picker that inserts placeholders: fixed ones, and `{field:key}` of the form's fields of these types. */
      insert?: { label: Label; fixed: ReadonlyArray<{ value: string; label: Label }>; fieldTypes: readonly string[] };
    }
  | { kind: 'choice'; name: string; label: Label; choices: ReadonlyArray<{ value: string | number; label: Label }> }
  /** An expression of the language whose result type is the config key `expectFrom` (formula: `resultType`). */
  | { kind: 'formula'; name: string; label: Label; expectFrom: string }
  /** The key of another field of the form whose expression type is `exprType` (moneyUpper's money field). */
  | { kind: 'field'; name: string; label: Label; exprType: string }
  /** A published form `{ pack, key }` (a reference's target). */
  | { kind: 'form'; name: string; label: Label }
  /** A field of the form named by the config key `formFrom` (a reference's display field). */
  | { kind: 'targetField'; name: string; label: Label; formFrom: string };

/** What the form designer knows of a type: its palette entry, a valid starting config and its properties. */
export type FieldDesign = {
  readonly label: Label;
  readonly icon: ReactNode;
  readonly group: PaletteGroup;
  /** The type-specific config of a new field (options …); omitted: the server's defaults. */
  readonly config?: () => Record<string, unknown>;
  readonly settings?: readonly DesignSetting[];
  /** The `{ from }` defaults that fit the type (their expression types match). */
  readonly defaultFrom?: readonly DefaultSource[];
  /** False for types that cannot be a subtable column (generated or bound to a flow node). Default true. */
  readonly inSubtable?: boolean;
  /** False for types that take no fixed default value (files, signatures, rich text). Default true. */
  readonly staticDefault?: boolean;
};

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
  /** Its palette entry and properties in the form designer. */
  readonly design: FieldDesign;
};

export function defineWebFieldType(definition: WebFieldType): WebFieldType {
  return Object.freeze(definition);
}
