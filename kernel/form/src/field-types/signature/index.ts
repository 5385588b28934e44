import { uploadConfig, uploadRules, withUpload } from '../../attachments/rules.ts';
import { defineFieldType } from '../define.ts';
import { jsonCodec, jsonOperators, parseIds } from '../shared.ts';

const config = uploadConfig({ maxCount: 1, maxSizeMb: 2, images: true });

/** A handwritten signature: one attachment id whose content is an image. Upload rules: attachments/rules.ts. */
export const signatureField = withUpload(
  defineFieldType({
    type: 'signature',
    configSchema: config,
    column: () => ({ kind: 'json' }),
    expressionType: () => null,
    parse: (value, c) => parseIds(value, c.maxCount),
    ...jsonCodec,
    operators: jsonOperators,
  }),
  (c) => uploadRules(c, true),
);
