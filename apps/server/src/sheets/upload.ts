import { isBatonError } from '@baton/core';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
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
