// @baton/form — the low-code form engine: definitions (validated, hashed, versioned), the field-type
// registry, materialisation of forms as tables with non-destructive migrations, and records.
// The package's only entry point. No HTTP here.
import './schema.ts';

export {
  type ContextSource,
  type DefaultSpec,
  defineForm,
  type FieldDefinition,
  type FormDefinition,
  type FormDefinitionInput,
  type FormIssue,
  hashDefinition,
  type Label,
  type LayoutCell,
  type Section,
  type SubtableDefinition,
  validateForm,
} from './definition.ts';
export { FormErrors } from './errors.ts';
export {
  type ColumnKind,
  defineFieldType,
  type FieldTypeDefinition,
  type FilterOperator,
  type Parsed,
} from './field-types/define.ts';
export { findFieldType, listFieldTypes } from './field-types/registry.ts';
export { keyProblem, snakeCase, subtableName, tableName } from './keys.ts';
export {
  type PlanAction,
  type PlanStep,
  type PublishPlan,
  type PublishResult,
  previewPublish,
  publishForm,
} from './publish.ts';
export {
  createRecord,
  type FormRecord,
  getRecord,
  type ListInput,
  type ListResult,
  listRecords,
  type ReadOptions,
  type RecordContext,
  type SubtableRow,
  updateRecord,
  type Viewer,
  voidRecord,
  type WriteOptions,
} from './records.ts';
export { type FormDefinitionTable, type FormSerialTable, formMigrations } from './schema.ts';
export type { ColumnInfo, Storage, TableStorage } from './storage.ts';
