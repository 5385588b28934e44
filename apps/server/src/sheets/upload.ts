import type { AuditEntryInput } from '@baton/access';
import { isBatonError } from '@baton/core';
import type { DbCtx } from '@baton/db';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { audited } from '../ctx.ts';
import { SheetErrors } from './errors.ts';
import { SheetLimits } from './limits.ts';
import type { UploadedFile } from './read.ts';

/** Adds the multipart parser to one route plugin (the rest of /api takes JSON alone). */
export async function acceptSheetUploads(app: FastifyInstance): Promise<void> {
  await app.register(multipart, {
    limits: {
      fileSize: SheetLimits.fileBytes,
      files: SheetLimits.files,
      fields: 10,
      parts: SheetLimits.files + 10,
      headerPairs: 100,
    },
  });
}

/** The uploaded files of a multipart request, each read whole (they are capped at SheetLimits.fileBytes). */
export async function uploadedFiles(request: FastifyRequest): Promise<UploadedFile[]> {
  if (!request.isMultipart()) throw SheetErrors.uploadExpected.create({});
  const files: UploadedFile[] = [];
  try {
    for await (const part of request.parts()) {
      if (part.type !== 'file') continue;
      files.push({ filename: part.filename || 'upload', data: await part.toBuffer() });
    }
  } catch (error) {
    if (isBatonError(error)) throw error;
    const code = (error as { code?: unknown }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') {
      throw SheetErrors.tooLarge.create({ what: `more than ${SheetLimits.fileBytes} bytes` });
    }
    if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
      throw SheetErrors.tooLarge.create({ what: `more than ${SheetLimits.files} files` });
    }
    throw SheetErrors.uploadExpected.create({});
  }
  if (files.length === 0) throw SheetErrors.uploadExpected.create({});
  return files;
}

/**
 * Runs an import of uploaded files: a dry run as it is, a real one with its audit entry in the same transaction,
 * naming the files (never their content) and how it went.
 */
export function importFiles<R extends { ok: boolean; applied: unknown; errors: unknown[] }>(
  ctx: DbCtx,
  request: FastifyRequest,
  input: { files: UploadedFile[]; dryRun: boolean; audit: Omit<AuditEntryInput, 'ip' | 'detail'> },
  run: (ctx: DbCtx) => Promise<R>,
): Promise<R> {
  if (input.dryRun) return run(ctx);
  return audited(ctx, request, run, (report) => ({
    ...input.audit,
    detail: {
      files: input.files.map((f) => ({ name: f.filename, bytes: f.data.length })),
      ok: report.ok,
      applied: report.applied,
      errors: report.errors.length,
    },
  }));
}
