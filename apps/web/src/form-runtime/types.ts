// The shapes of form definitions and records as the server sends them (kernel/form definition.ts and records.ts).
// Written out here because apps/web may not import kernel/form: it needs a database.

export type Label = { zh: string; en: string };

export type DefaultSpec =
  | string
  | number
  | boolean
  | null
  | readonly unknown[]
  | { from: 'member' | 'department' | 'unit' | 'post' | 'today' | 'now' }
  | { expr: string };

/** One field or subtable column; type-specific config keys (options, maxLength, of, …) sit beside the common ones. */
export type FieldDefinition = {
  key: string;
  label: Label;
  type: string;
  required?: boolean;
  default?: DefaultSpec;
  validation?: { expr: string; message: Label };
  help?: Label;
  [config: string]: unknown;
};

export type SubtableDefinition = {
  key: string;
  label: Label;
  columns: FieldDefinition[];
  minRows?: number;
  maxRows?: number;
  totals?: string[];
  /** The key this subtable had in the previous version (its table is kept). */
  renamedFrom?: string;
};

export type LayoutCell = { field: string; span?: number };
export type Section = { key?: string; title?: Label; rows: LayoutCell[][] };

export type FormDefinition = {
  pack: string;
  key: string;
  kind: 'flow' | 'archive';
  label: Label;
  fields: FieldDefinition[];
  subtables?: SubtableDefinition[];
  layout?: { sections: Section[] };
  keys?: string[][];
  /** Members named in these member fields reach a record; their supervisors up to the levels read it. */
  assignedTo?: { fields: string[]; supervisorLevels?: number };
  /** Field permissions per role (the server applies them; `fieldAccess` of the form detail says the result). */
  fieldAccess?: { field: string; access: 'hidden' | 'read' | 'edit'; role?: string }[];
  hash?: string;
};

export type Values = Record<string, unknown>;
export type Row = Record<string, unknown>;

export type FormRecord = {
  id: string;
  version: number;
  state: string;
  createdBy?: string;
  createdAt: string;
  updatedBy?: string;
  updatedAt?: string;
  flowInstanceId?: string | null;
  voidedAt?: string | null;
  ownerId?: string | null;
  values: Values;
  totals?: Record<string, Record<string, number>>;
  /** Sent with one record's read: whether the member may change it (the server's write scopes, not voided). */
  writable?: boolean;
};

/**
 * What the viewer may do with a field (kernel/access field permissions): `hidden` is not drawn at all, `read` is
 * shown but not editable, `edit` is editable, `required` is editable and must be filled.
 */
export type AccessLevel = 'hidden' | 'read' | 'edit' | 'required';

/** Access by field key; a subtable column is `subtable.column`, a whole subtable its key. */
export type FieldAccessMap = Readonly<Record<string, AccessLevel>>;

/** A client-side problem with a value, located like the server's field paths (`['items', 2, 'price']`). */
export type FormIssue = { path: (string | number)[]; code: string; message: Label };

export function pickLabel(label: Label | undefined, locale: string): string {
  if (!label) return '';
  return locale.startsWith('zh') ? label.zh : label.en;
}

export function isBlank(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

export function pathKey(path: ReadonlyArray<string | number>): string {
  return path.join('.');
}
