import { pipeline, type Readable } from 'node:stream';
import { newId } from '@baton/core';
import { type DbCtx, instant, withTx } from '@baton/db';
import type { CompiledField } from '../definition.ts';
import { parseIds } from '../field-types/shared.ts';
import { actorName } from '../publish.ts';
import type { FormRecord } from '../records.ts';
import { requirePublished } from '../storage.ts';
import type { BlobStore } from './blob-store.ts';
import { AttachmentErrors } from './errors.ts';
import { UploadGuard } from './guard.ts';
import { extensionOf, normalizeFileName } from './names.ts';
import { type UploadRules, uploadRulesOf } from './rules.ts';
import type { AttachmentState, FormAttachmentTable } from './schema.ts';

export type Attachment = FormAttachmentTable;

/** Where an upload goes: a published form and one of its upload fields (`field` or `subtable.column`). */
export type UploadTarget = { pack: string; key: string; field: string };

/** Bytes that reached the store through the guard, not yet registered. */
export type StoredUpload = { blobKey: string; size: number; created: boolean; fileName: string; contentType: string };

function fieldOf(
  form: {
    byKey: ReadonlyMap<string, CompiledField>;
    subByKey: ReadonlyMap<string, { columns: readonly CompiledField[] }>;
  },
  path: string,
): CompiledField | undefined {
  const [first, second, ...rest] = path.split('.');
  if (!first || rest.length > 0) return undefined;
  if (second === undefined) return form.byKey.get(first);
  return form.subByKey.get(first)?.columns.find((column) => column.key === second);
}

/** The upload rules of `pack.key`'s field; FORM_ATTACHMENT_FIELD_INVALID when it is not an upload field. */
export async function uploadRulesFor(ctx: DbCtx, target: UploadTarget): Promise<UploadRules> {
  const published = await requirePublished(ctx, target.pack, target.key);
  const field = typeof target.field === 'string' ? fieldOf(published.form, target.field) : undefined;
  const rules = field ? uploadRulesOf(field) : undefined;
  if (!rules) throw AttachmentErrors.fieldInvalid.create({ form: `${target.pack}.${target.key}`, field: target.field });
  return rules;
}

/**
 * Streams one upload into the store: name normalised, last extension on the field's allow-list, then
 * the UploadGuard (size limit, content sniffing) between the source and `store.put`. A refusal aborts
 * the write; nothing is kept.
 */
export async function storeUpload(
  store: BlobStore,
  source: Readable,
  input: { fileName: string; rules: UploadRules },
): Promise<StoredUpload> {
  const fileName = normalizeFileName(input.fileName);
  const ext = extensionOf(fileName);
  if (!input.rules.accept.includes(ext)) {
    source.resume();
    throw AttachmentErrors.typeRefused.create({ name: fileName, accept: input.rules.accept.join(', ') });
  }
  const guard = new UploadGuard({
    name: fileName,
    ext,
    maxBytes: input.rules.maxBytes,
    imagesOnly: input.rules.imagesOnly,
  });
  // pipeline forwards a source error (client gone, multipart limit) into the guard, and so into put.
  const guarded = pipeline(source, guard, () => {});
  const { key, size, created } = await store.put(guarded, {});
  if (!guard.contentType) throw AttachmentErrors.contentMismatch.create({ name: fileName });
  return { blobKey: key, size, created, fileName, contentType: guard.contentType };
}

function toAttachment(row: FormAttachmentTable): Attachment {
  return {
    ...row,
    size: Number(row.size),
    uploadedAt: String(row.uploadedAt),
    state: row.state as AttachmentState,
  };
}

/** Records a stored upload as a pending attachment of the acting member, until a record takes it. */
export async function registerUpload(
  ctx: DbCtx,
  input: UploadTarget & Omit<StoredUpload, 'created'>,
): Promise<Attachment> {
  const row: FormAttachmentTable = {
    id: newId(),
    blobKey: input.blobKey,
    fileName: normalizeFileName(input.fileName),
    contentType: input.contentType,
    size: input.size,
    uploadedBy: actorName(ctx),
    uploadedAt: instant(ctx.clock.now()),
    pack: input.pack,
    key: input.key,
    field: input.field,
    recordId: null,
    state: 'pending',
  };
  await ctx.db.insertInto('baton_form_attachment').values(row).execute();
  return row;
}

export async function getAttachment(ctx: DbCtx, id: string): Promise<Attachment | undefined> {
  if (typeof id !== 'string' || id.length > 64) return undefined;
  const row = await ctx.db.selectFrom('baton_form_attachment').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toAttachment(row) : undefined;
}

/** Every attachment a saved record holds, oldest first. */
export async function attachmentsOf(
  ctx: DbCtx,
  record: { pack: string; key: string; recordId: string },
): Promise<Attachment[]> {
  const rows = await ctx.db
    .selectFrom('baton_form_attachment')
    .selectAll()
    .where('pack', '=', record.pack)
    .where('key', '=', record.key)
    .where('recordId', '=', record.recordId)
    .orderBy('uploadedAt')
    .orderBy('id')
    .execute();
  return rows.map(toAttachment);
}

export type AttachableInput = UploadTarget & {
  /** Who is saving the record: pending uploads must be theirs. */
  uploader: string;
  /** The record being updated: attachments already on it stay usable by anyone who may write it. */
  recordId?: string;
};

/**
 * The hook for record writes: every id in a field value must be an attachment of this form and field,
 * either uploaded by `uploader` and not yet on another record, or already on this record. Throws
 * FORM_ATTACHMENT_NOT_ATTACHABLE with a path per bad id (`[field, index]`). Call inside the write's tx.
 */
export async function assertAttachable(ctx: DbCtx, ids: unknown, input: AttachableInput): Promise<void> {
  const parsed = parseIds(ids);
  if (!parsed.ok) {
    throw AttachmentErrors.notAttachable.create(
      { ids: '?' },
      { fields: [{ path: [input.field], code: parsed.issue.code }] },
    );
  }
  const list = (parsed.value as string[] | null) ?? [];
  if (list.length === 0) return;
  const rows = await ctx.db.selectFrom('baton_form_attachment').selectAll().where('id', 'in', list).execute();
  const byId = new Map(rows.map((row) => [row.id, row]));
  const bad: number[] = [];
  list.forEach((id, index) => {
    const row = byId.get(id);
    const usable =
      row !== undefined &&
      row.pack === input.pack &&
      row.key === input.key &&
      row.field === input.field &&
      (row.recordId === null
        ? row.uploadedBy === input.uploader
        : input.recordId !== undefined && row.recordId === input.recordId);
    if (!usable) bad.push(index);
  });
  if (bad.length > 0) {
    throw AttachmentErrors.notAttachable.create(
      { ids: bad.map((index) => list[index]).join(', ') },
      { fields: bad.map((index) => ({ path: [...input.field.split('.'), index], code: 'not_attachable' })) },
    );
  }
}

/** Ties pending attachments to the saved record (after assertAttachable, in the same tx). Returns how many. */
export async function attachToRecord(
  ctx: DbCtx,
  ids: readonly string[],
  target: UploadTarget & { recordId: string },
): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await ctx.db
    .updateTable('baton_form_attachment')
    .set({ recordId: target.recordId, state: 'attached' })
    .where('id', 'in', [...ids])
    .where('pack', '=', target.pack)
    .where('key', '=', target.key)
    .where('field', '=', target.field)
    .where('recordId', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Whether the record's value of `field` (or `subtable.column` in any row) still lists the attachment. */
export function recordHolds(record: FormRecord, field: string, id: string): boolean {
  const [first, second] = field.split('.');
  const holds = (value: unknown) => Array.isArray(value) && value.includes(id);
  if (!first) return false;
  if (second === undefined) return holds(record.values[first]);
  const rows = record.values[first];
  return Array.isArray(rows) && rows.some((row) => holds((row as Record<string, unknown>)[second]));
}

/** Removes blobs this request created that no attachment row refers to (an upload refused half-way). */
export async function discardBlobs(ctx: DbCtx, store: BlobStore, keys: readonly string[]): Promise<void> {
  for (const key of new Set(keys)) {
    const used = await ctx.db
      .selectFrom('baton_form_attachment')
      .select('id')
      .where('blobKey', '=', key)
      .limit(1)
      .executeTakeFirst();
    if (!used) await store.delete(key);
  }
}

/**
 * Housekeeping: pending uploads older than `olderThanMs` (a form abandoned before saving) are deleted,
 * and their blobs when nothing else refers to them. Returns how many attachments went.
 */
export async function purgePendingAttachments(
  ctx: DbCtx,
  store: BlobStore,
  input: { olderThanMs: number; limit?: number },
): Promise<number> {
  const cutoff = instant(new Date(ctx.clock.now().getTime() - input.olderThanMs));
  const rows = await withTx(ctx, async (tx) => {
    const stale = await tx.db
      .selectFrom('baton_form_attachment')
      .select(['id', 'blobKey'])
      .where('state', '=', 'pending')
      .where('uploadedAt', '<', cutoff)
      .limit(input.limit ?? 500)
      .execute();
    if (stale.length > 0) {
      await tx.db
        .deleteFrom('baton_form_attachment')
        .where(
          'id',
          'in',
          stale.map((row) => row.id),
        )
        .execute();
    }
    return stale;
  });
  await discardBlobs(
    ctx,
    store,
    rows.map((row) => row.blobKey),
  );
  return rows.length;
}
