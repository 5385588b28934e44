import * as z from 'zod';

// Request and response shapes of the forms API (routes/forms.ts), so every route is in the OpenAPI document.
// Values stay `unknown` here: kernel/form validates them per field type and reports every issue with its path.

const code = z.string().regex(/^[a-z][a-zA-Z0-9]{0,39}$/);
const label = z.object({ zh: z.string(), en: z.string() });

export const formParams = z.strictObject({ pack: code, key: code });
export const recordParams = z.strictObject({ pack: code, key: code, id: z.string().min(1).max(64) });
export const versionQuery = z.strictObject({ version: z.coerce.number().int().min(1).optional() });

export const formSummaryView = z.object({
  pack: z.string(),
  key: z.string(),
  version: z.number().int(),
  kind: z.string(),
  name: label,
});
export const formListView = z.object({ forms: z.array(formSummaryView) });

/** The caller's rights on the form, so a client can show or hide "new", "edit" and "void". */
export const rightsView = z.object({
  design: z.boolean(),
  create: z.boolean(),
  read: z.array(z.string()),
  write: z.array(z.string()),
});

export const formDetailView = z.object({
  definition: z.record(z.string(), z.unknown()),
  version: z.number().int(),
  publishedAt: z.string(),
  rights: rightsView,
  /**
   * The caller's access to each main field and subtable under the form's field permissions (`fieldAccess`),
   * for showing fields read-only or not at all; the server enforces the same on every read and write.
   */
  fieldAccess: z.record(z.string(), z.enum(['hidden', 'read', 'edit'])),
});

export const versionView = z.object({
  version: z.number().int(),
  hash: z.string(),
  publishedAt: z.string(),
  publishedBy: z.string(),
});
export const versionListView = z.object({ versions: z.array(versionView) });

/** A definition as `defineForm` takes it; checked there, every issue with its path. */
export const definitionBody = z.record(z.string(), z.unknown());

/** One step of a form's publish plan (what happens to its table), also shown by pack previews. */
export const planStep = z.object({
  action: z.enum(['createTable', 'add', 'keep', 'hidden', 'convert', 'refused']),
  path: z.string(),
  table: z.string(),
  column: z.string().optional(),
  renamedFrom: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  rows: z.array(z.string()).optional(),
});
export const planView = z.looseObject({
  pack: z.string(),
  key: z.string(),
  version: z.number().int(),
  hash: z.string(),
  unchanged: z.boolean(),
  ok: z.boolean(),
  steps: z.array(planStep),
});
export const publishView = planView.extend({ publishedAt: z.string() });

export const recordView = z.object({
  id: z.string(),
  version: z.number().int(),
  state: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedBy: z.string(),
  updatedAt: z.string(),
  flowInstanceId: z.string().nullable(),
  voidedAt: z.string().nullable(),
  ownerId: z.string().nullable(),
  departmentId: z.string().nullable(),
  unitId: z.string().nullable(),
  values: z.record(z.string(), z.unknown()),
  totals: z.record(z.string(), z.record(z.string(), z.number())),
  /** One record's read only: whether the caller may change it (write scopes, not voided) — the PATCH would pass. */
  writable: z.boolean().optional(),
});

/** Field keys are checked by kernel/form (FORM_UNKNOWN_FIELD with paths), not here, so all are reported at once. */
export const valuesBody = z.strictObject({ values: z.record(z.string(), z.unknown()) });
export const updateBody = z.strictObject({
  version: z.number().int().min(1),
  values: z.record(z.string(), z.unknown()),
});
export const voidBody = z.strictObject({ version: z.number().int().min(1), reason: z.string().max(500).optional() });
export const voidView = z.object({ id: z.string(), version: z.number().int() });
export const reassignBody = z.strictObject({ version: z.number().int().min(1), ownerId: z.string().min(1).max(64) });
export const reassignView = z.object({
  id: z.string(),
  version: z.number().int(),
  from: z.string().nullable(),
  to: z.string(),
});

/** Filters and sorts on declared fields, as listRecords takes them (the query and the export of records). */
export const recordFilters = z
  .array(
    z.strictObject({
      field: z.string().max(40),
      op: z.enum(['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'contains', 'isNull']),
      value: z.unknown().optional(),
    }),
  )
  .max(20)
  .optional();
export const recordSorts = z
  .array(z.strictObject({ field: z.string().max(40), dir: z.enum(['asc', 'desc']).optional() }))
  .max(3)
  .optional();

export const queryBody = z.strictObject({
  filters: recordFilters,
  sorts: recordSorts,
  cursor: z.string().max(4000).optional(),
  limit: z.number().int().min(1).max(200).optional(),
  includeVoided: z.boolean().optional(),
});
export const pageView = z.object({ records: z.array(recordView), nextCursor: z.string().nullable() });
