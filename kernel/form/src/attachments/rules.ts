import { z } from 'zod';
import type { CompiledField } from '../definition.ts';
import type { FieldTypeDefinition } from '../field-types/define.ts';
import { defaultAccept, imageAccept } from './sniff.ts';

/** What one upload field allows, from its config: checked on every upload to it. */
export type UploadRules = {
  maxBytes: number;
  maxCount: number;
  /** Lower-case extensions, all of them on the known-type list. */
  accept: readonly string[];
  imagesOnly: boolean;
};

/** A field type whose values are attachment ids: it says what may be uploaded to it. */
export type Uploadable<C> = { upload(config: C): UploadRules };

export type UploadConfig = { maxCount: number; maxSizeMb: number; accept?: string[] };

/** The config of attachment, attachments, image and signature fields: `maxCount`, `maxSizeMb`, `accept`. */
export function uploadConfig(defaults: { maxCount: number; maxSizeMb: number; images: boolean }) {
  const allowed = defaults.images ? imageAccept : defaultAccept;
  return z.strictObject({
    maxCount: z.number().int().min(1).max(100).default(defaults.maxCount),
    maxSizeMb: z.number().positive().max(1024).default(defaults.maxSizeMb),
    accept: z
      .array(
        z
          .string()
          .transform((ext) => ext.replace(/^\./, '').toLowerCase())
          .refine((ext) => allowed.includes(ext), {
            message: `one of ${allowed.join(', ')}`,
            params: { zh: `须为以下之一：${allowed.join('、')}` },
          }),
      )
      .min(1)
      .max(allowed.length)
      .optional(),
  });
}

export function uploadRules(config: UploadConfig, images: boolean): UploadRules {
  return Object.freeze({
    maxBytes: Math.floor(config.maxSizeMb * 1024 * 1024),
    maxCount: config.maxCount,
    accept: Object.freeze([...(config.accept ?? (images ? imageAccept : defaultAccept))]),
    imagesOnly: images,
  });
}

/** Marks a field type as an upload target (the registry keeps the object as it is). */
export function withUpload<C>(
  definition: FieldTypeDefinition<C>,
  upload: (config: C) => UploadRules,
): FieldTypeDefinition<C> & Uploadable<C> {
  return Object.freeze({ ...definition, upload });
}

/** The upload rules of a compiled field, or undefined when its type takes no uploads. */
export function uploadRulesOf(field: CompiledField): UploadRules | undefined {
  const upload = (field.type as Partial<Uploadable<unknown>>).upload;
  return typeof upload === 'function' ? upload(field.config) : undefined;
}
