import type { ColumnTypes } from '@baton/db';
import type { Kysely } from 'kysely';

export type AttachmentState = 'pending' | 'attached';

export type FormAttachmentTable = {
  id: string;
  /** sha256 of the content: the key in the BlobStore (several attachments may share one blob). */
  blobKey: string;
  /** The normalised display name; never a path. */
  fileName: string;
  /** From the allow-list entry the sniffed content agreed with, never from the client. */
  contentType: string;
  size: number;
  uploadedBy: string;
  uploadedAt: string;
  pack: string;
  key: string;
  /** `field` or `subtable.column`. */
  field: string;
  /** Null while the upload waits for its record to be saved. */
  recordId: string | null;
  state: AttachmentState;
};

declare module '@baton/db' {
  interface BatonDatabase {
    baton_form_attachment: FormAttachmentTable;
  }
}

// biome-ignore lint/suspicious/noExplicitAny: migrations describe tables that are not typed yet
type AnyDb = Kysely<any>;

export async function createAttachmentTable(db: AnyDb, t: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('baton_form_attachment')
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('blob_key', t.text, (c) => c.notNull())
    .addColumn('file_name', t.text, (c) => c.notNull())
    .addColumn('content_type', t.text, (c) => c.notNull())
    .addColumn('size', t.bigint, (c) => c.notNull())
    .addColumn('uploaded_by', t.text, (c) => c.notNull())
    .addColumn('uploaded_at', t.instant, (c) => c.notNull())
    .addColumn('pack', t.text, (c) => c.notNull())
    .addColumn('key', t.text, (c) => c.notNull())
    .addColumn('field', t.text, (c) => c.notNull())
    .addColumn('record_id', t.text)
    .addColumn('state', t.text, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('baton_form_attachment_record')
    .on('baton_form_attachment')
    .columns(['pack', 'key', 'record_id'])
    .execute();
  await db.schema.createIndex('baton_form_attachment_blob').on('baton_form_attachment').column('blob_key').execute();
  await db.schema
    .createIndex('baton_form_attachment_pending')
    .on('baton_form_attachment')
    .columns(['state', 'uploaded_at'])
    .execute();
}
