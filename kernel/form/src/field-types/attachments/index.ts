import { uploadConfig, uploadRules, withUpload } from '../../attachments/rules.ts';
import { defineFieldType } from '../define.ts';
import { jsonCodec, jsonOperators, parseIds } from '../shared.ts';

const config = uploadConfig({ maxCount: 50, maxSizeMb: 20, images: false });

/** A JSON list of attachment ids: any allowed documents, archives or images. Upload rules: attachments/rules.ts. */
export const attachmentsField = withUpload(
  defineFieldType({
    type: 'attachments',
    configSchema: config,
    column: () => ({ kind: 'json' }),
    expressionType: () => null,
    parse: (value, c) => parseIds(value, c.maxCount),
    ...jsonCodec,
    operators: jsonOperators,
  }),
  (c) => uploadRules(c, false),
);
