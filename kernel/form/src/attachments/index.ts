// Attachments: the BlobStore, upload validation (names, allow-list, sniffing) and the attachment table ops.
export {
  type AttachableInput,
  type Attachment,
  assertAttachable,
  attachmentsOf,
  attachToRecord,
  discardBlobs,
  getAttachment,
  purgePendingAttachments,
  recordHolds,
  registerUpload,
  type StoredUpload,
  storeUpload,
  type UploadTarget,
  uploadRulesFor,
} from './attachments.ts';
export {
  type BlobMeta,
  BlobNotFoundError,
  type BlobStore,
  type LocalBlobStoreOptions,
  localBlobStore,
  type PutResult,
} from './blob-store.ts';
export { AttachmentErrors } from './errors.ts';
export { contentDisposition, extensionOf, MAX_FILE_NAME_LENGTH, normalizeFileName } from './names.ts';
export { type UploadRules, uploadRulesOf } from './rules.ts';
export type { AttachmentState, FormAttachmentTable } from './schema.ts';
export { defaultAccept, imageAccept, judgeContent, type KnownType, knownTypes, type Verdict } from './sniff.ts';
