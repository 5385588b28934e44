import { uploadConfig, uploadRules, withUpload } from '../../attachments/rules.ts';
import { defineFieldType } from '../define.ts';
import { jsonCodec, jsonOperators, parseIds } from '../shared.ts';

const config = uploadConfig({ maxCount: 1, maxSizeMb: 20, images: false });

/** One attachment id in a JSON list: any allowed document, archive or image. Upload rules: attachments/rules.ts. */
export const attachmentField = withUpload(
  defineFieldType({
    type: 'attachment',
    configSchema: config,
    column: () => ({ kind: 'json' }),
    expressionType: () => null,
    parse: (value, c) => parseIds(value, c.maxCount),
    ...jsonCodec,
    operators: jsonOperators,
  }),
  (c) => uploadRules(c, false),
);
