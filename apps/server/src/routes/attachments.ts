import { appendAudit, can, definePermission } from '@baton/access';
import { isBatonError } from '@baton/core';
import { type Db, type DbCtx, withTx } from '@baton/db';
import {
  type Attachment,
  AttachmentErrors,
  BlobNotFoundError,
  type BlobStore,
  contentDisposition,
  defaultAccept,
  discardBlobs,
  FormErrors,
  getAttachment,
  getRecord,
  recordHolds,
  registerUpload,
  type StoredUpload,
  storeUpload,
  type UploadRules,
  uploadRulesFor,
} from '@baton/form';
import multipart from '@fastify/multipart';
import * as z from 'zod';
import { requestCtx } from '../ctx.ts';
import { problemSchema, refusals } from '../problem.ts';
import { defineRoutes, type Permission, type RoutePlugin } from '../routes.ts';
import { COMMENT_FIELD, commentReadable, commentTarget, requestFileReadable } from './flows.ts';
import { uploadLimitBytes } from './settings.ts';

// Uploads and downloads of form attachments (mounted at /api/attachments). Uploads stream through the
// form engine's guard (allow-list, sniffing, byte limit) into the BlobStore; nothing is buffered whole.
// A download is served only to whoever may read the record holding it, and always as a download.

export const AttachmentPermissions = {
  /** Until records carry their own read model over HTTP: read every attachment held by a record. */
  readAll: definePermission('form.attachment.readAll', {
    zh: '查看所有表单记录中的附件',
    en: 'Download the attachments of every form record',
  }) as Permission,
} as const;

/** Whether `memberId` may download an attachment. */
export type AttachmentAccess = (ctx: DbCtx, attachment: Attachment, memberId: string) => Promise<boolean>;

/**
 * The default access rule: the uploader while it is pending; once on a record, whoever reads that record
 * (own scope or a grant on it, through kernel/form's getRecord) or the request it belongs to (initiator,
 * participants, flow.admin; hidden fields stay hidden), and only while the record still lists it; holders of
 * form.attachment.readAll read every attached file.
 */
export const readThroughRecord: AttachmentAccess = async (ctx, attachment, memberId) => {
  if (attachment.recordId === null) return attachment.uploadedBy === memberId;
  // A comment's file (评论) is read by whoever may read the request, as the comment itself.
  if (attachment.field === COMMENT_FIELD) {
    return commentReadable(ctx, memberId, {
      pack: attachment.pack,
      key: attachment.key,
      recordId: attachment.recordId,
    });
  }
  // A request's attachments are read by whoever may read the request (its approvers), as the request page shows.
  const file = { id: attachment.id, pack: attachment.pack, key: attachment.key, field: attachment.field };
  if (await requestFileReadable(ctx, memberId, { ...file, recordId: attachment.recordId })) return true;
  const readAll = await can(ctx, memberId, AttachmentPermissions.readAll as never);
  try {
    const record = await getRecord(
      ctx,
      { pack: attachment.pack, key: attachment.key, id: attachment.recordId },
      readAll ? {} : { viewer: { memberId, scopes: ['own'], grants: true } },
    );
    return recordHolds(record, attachment.field, attachment.id);
  } catch (error) {
    if (FormErrors.recordNotFound.is(error) || FormErrors.notPublished.is(error)) return false;
    throw error;
  }
};

export type AttachmentRoutesOptions = {
  db: Db;
  store: BlobStore;
  /** Ceiling for any one file, whatever a field allows; default 100 MiB. */
  maxFileBytes?: number;
  /** Files in one request; default 20. */
  maxFilesPerRequest?: number;
  access?: AttachmentAccess;
};

const tags = ['attachments'];

const attachmentView = z.object({
  id: z.string(),
  fileName: z.string(),
  contentType: z.string(),
  size: z.number().int(),
  uploadedAt: z.string(),
  pack: z.string(),
  key: z.string(),
  field: z.string(),
  state: z.enum(['pending', 'attached']),
});

const targetSchema = z.strictObject({
  pack: z.string().min(1).max(40),
  key: z.string().min(1).max(40),
  field: z.string().min(1).max(81),
});

/** Files for a comment on a request (评论): the request names the form; the caller must be able to read it. */
const instanceTargetSchema = z.strictObject({ instance: z.string().min(1).max(64) });

const TARGET_KEYS = new Set(['pack', 'key', 'field', 'instance']);

/** What a comment may carry: the attachments field type's defaults. */
const COMMENT_UPLOAD_RULES: UploadRules = {
  maxBytes: 20 * 1024 * 1024,
  maxCount: 20,
  accept: defaultAccept,
  imagesOnly: false,
};

function view(a: Attachment): z.infer<typeof attachmentView> {
  const { id, fileName, contentType, size, uploadedAt, pack, key, field, state } = a;
  return { id, fileName, contentType, size, uploadedAt, pack, key, field, state };
}

function invalid(problem: string) {
  return AttachmentErrors.uploadInvalid.create({ problem });
}

export function attachmentRoutes(options: AttachmentRoutesOptions): RoutePlugin {
  const { db, store } = options;
  const maxFileBytes = options.maxFileBytes ?? 100 * 1024 * 1024;
  const maxFiles = options.maxFilesPerRequest ?? 20;
  const access = options.access ?? readThroughRecord;

  return defineRoutes({
    name: 'attachments',
    prefix: '/attachments',
    register: async (app) => {
      // Only here: the rest of /api takes JSON alone. Files are consumed as streams (request.parts()).
      await app.register(multipart, {
        throwFileSizeLimit: true,
        limits: { fieldNameSize: 40, fieldSize: 200, fields: 10, files: maxFiles + 1, parts: maxFiles + 11 },
      });

      app.post(
        '/',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary:
              'Upload files: multipart with pack, key and field of an upload field (or instance, for a comment) first, then the files',
            consumes: ['multipart/form-data'],
            response: { 201: z.object({ items: z.array(attachmentView) }), ...refusals, 413: problemSchema },
          },
        },
        async (request, reply) => {
          const ctx = requestCtx(request, db);
          const target: Record<string, string> = {};
          const stored: StoredUpload[] = [];
          let rules: UploadRules | undefined;
          let limitBytes = maxFileBytes;
          let parsedTarget: z.infer<typeof targetSchema> | undefined;
          try {
            // The per-file ceiling is one byte above the guard's, so the guard (with its coded error) fires first.
            const parts = request.parts({ limits: { fileSize: maxFileBytes + 1 } });
            for await (const part of parts) {
              if (part.type === 'field') {
                if (rules) throw invalid('pack, key and field must come before the files');
                if (!TARGET_KEYS.has(part.fieldname) || part.fieldname in target) {
                  throw invalid(`unexpected part ${part.fieldname.slice(0, 20)}`);
                }
                target[part.fieldname] = String(part.value);
                continue;
              }
              try {
                if (!rules || !parsedTarget) {
                  if ('instance' in target) {
                    const checked = instanceTargetSchema.safeParse(target);
                    if (!checked.success) throw invalid('instance alone names a comment upload');
                    if (!request.caller) throw invalid('a comment upload needs a member');
                    const { pack, key, field } = await commentTarget(ctx, request.caller, checked.data.instance);
                    parsedTarget = { pack, key, field };
                    rules = COMMENT_UPLOAD_RULES;
                  } else {
                    const checked = targetSchema.safeParse(target);
                    if (!checked.success) throw invalid('pack, key and field are required before the files');
                    parsedTarget = checked.data;
                    rules = await uploadRulesFor(ctx, parsedTarget);
                  }
                  // The administrator's ceiling (系统设置), under the deployment's.
                  limitBytes = await uploadLimitBytes(ctx, maxFileBytes);
                }
                const max = Math.min(rules.maxCount, maxFiles);
                if (stored.length >= max) throw AttachmentErrors.tooMany.create({ max });
                const effective = { ...rules, maxBytes: Math.min(rules.maxBytes, limitBytes) };
                stored.push(await storeUpload(store, part.file, { fileName: part.filename, rules: effective }));
              } catch (error) {
                // A file part left unread stalls the parser, and with it the end of the request.
                part.file.resume();
                throw error;
              }
            }
            if (!parsedTarget || stored.length === 0) throw invalid('no file');
            const into = parsedTarget;
            const items = await withTx(ctx, async (tx) => {
              const rows: Attachment[] = [];
              for (const file of stored) rows.push(await registerUpload(tx, { ...into, ...file }));
              await appendAudit(tx, {
                action: 'form.attachment.upload',
                target: { type: 'form.attachment', id: rows[0]?.id ?? null },
                ip: request.ip,
                detail: {
                  ...into,
                  files: rows.map((row) => ({ id: row.id, name: row.fileName, size: row.size, type: row.contentType })),
                },
              });
              return rows;
            });
            return reply.code(201).send({ items: items.map(view) });
          } catch (error) {
            await discardBlobs(
              ctx,
              store,
              stored.filter((file) => file.created).map((file) => file.blobKey),
            );
            throw error;
          }
        },
      );

      app.get(
        '/:id',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'Download an attachment (always as a download, never rendered)',
            params: z.object({ id: z.string().min(1).max(64) }),
            response: refusals,
          },
        },
        async (request, reply) => {
          const ctx = requestCtx(request, db);
          const { id } = request.params;
          const memberId = request.caller?.memberId;
          const attachment = await getAttachment(ctx, id);
          // One answer for "no such file" and "not yours": ids must not be probeable.
          if (!attachment || !memberId || !(await access(ctx, attachment, memberId))) {
            throw AttachmentErrors.notFound.create({ id });
          }
          let body: Awaited<ReturnType<BlobStore['get']>>;
          try {
            body = await store.get(attachment.blobKey);
          } catch (error) {
            if (!(error instanceof BlobNotFoundError) && !isBatonError(error)) throw error;
            request.log.error({ attachment: attachment.id }, 'attachment blob missing');
            throw AttachmentErrors.notFound.create({ id });
          }
          return reply
            .header('content-type', attachment.contentType || 'application/octet-stream')
            .header('content-length', String(attachment.size))
            .header('content-disposition', contentDisposition(attachment.fileName))
            .header('x-content-type-options', 'nosniff')
            .header('content-security-policy', 'sandbox')
            .header('cache-control', 'private, no-store')
            .send(body as never);
        },
      );
    },
  });
}
