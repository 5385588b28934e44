// @baton/form — the low-code form engine: definitions (validated, hashed, versioned), the field-type
// registry, materialisation of forms as tables with non-destructive migrations, and records.
// The package's only entry point. No HTTP here.
import './schema.ts';

export {
  type AttachableInput,
  type Attachment,
  AttachmentErrors,
  type AttachmentState,
  assertAttachable,
  attachmentsOf,
  attachToRecord,
  type BlobMeta,
  BlobNotFoundError,
  type BlobStore,
  contentDisposition,
  defaultAccept,
  discardBlobs,
  extensionOf,
  type FormAttachmentTable,
  getAttachment,
  imageAccept,
  judgeContent,
  type KnownType,
  knownTypes,
  type LocalBlobStoreOptions,
  localBlobStore,
  MAX_FILE_NAME_LENGTH,
  normalizeFileName,
  type PutResult,
  purgePendingAttachments,
  recordHolds,
  registerUpload,
  type StoredUpload,
  storeUpload,
  type UploadRules,
  type UploadTarget,
  uploadRulesFor,
  uploadRulesOf,
  type Verdict,
} from './attachments/index.ts';
export {
  type ContextSource,
  type DefaultSpec,
  defineForm,
  type FieldDefinition,
  type FormDefinition,
  type FormDefinitionInput,
  type FormFieldRule,
  type FormIssue,
  hashDefinition,
  type Label,
  type LayoutCell,
  type Section,
  type SubtableDefinition,
  validateForm,
} from './definition.ts';
export { FormErrors } from './errors.ts';
export { onRecordEvent, type RecordEvent, type RecordEventType, type RecordListener } from './events.ts';
export {
  type ColumnKind,
  defineFieldType,
  type FieldTypeDefinition,
  type FilterOperator,
  type Parsed,
} from './field-types/define.ts';
export { findFieldType, listFieldTypes } from './field-types/registry.ts';
export { type DepartmentCodes, provideDepartmentCodes } from './field-types/serial/index.ts';
export {
  type Cell,
  type CellKind,
  type ExportInput,
  exportRecords,
  FormImportErrors,
  type ImportRow,
  importRecords,
  type Locale,
  type RecordColumn,
  type RecordImportProblem,
  type RecordImportReport,
  type RefKind,
  recordColumns,
  type SheetRefs,
} from './import.ts';
export { type FormIssueCode, FormIssues } from './issues.ts';
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
  countRecords,
  createRecord,
  type FormRecord,
  getRecord,
  type ListInput,
  type ListResult,
  listRecords,
  type ReadOptions,
  type RecordContext,
  reassignRecord,
  type SubtableRow,
  updateRecord,
  type Viewer,
  voidRecord,
  type WriteOptions,
} from './records.ts';
export {
  type ReferenceOption,
  type ReferenceOptions,
  type ReferenceValue,
  searchReferences,
} from './references.ts';
export { sanitizeRichText } from './sanitize.ts';
export { type FormDefinitionTable, type FormSerialTable, formMigrations } from './schema.ts';
export type { ColumnInfo, Storage, TableStorage } from './storage.ts';
export { formPublishStamp } from './storage.ts';
export { type RecordScopeInput, recordScopeWhere, viewerFieldAccess } from './viewer-access.ts';
export {
  deleteView,
  type FormView,
  type FormViewTable,
  listViews,
  MAX_VIEWS_PER_FORM,
  type SaveViewInput,
  saveView,
  type ViewSpec,
} from './views.ts';
