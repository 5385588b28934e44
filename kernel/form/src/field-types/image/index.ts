import { uploadConfig, uploadRules, withUpload } from '../../attachments/rules.ts';
import { defineFieldType } from '../define.ts';
import { jsonCodec, jsonOperators, parseIds } from '../shared.ts';

const config = uploadConfig({ maxCount: 9, maxSizeMb: 10, images: true });

/** A JSON list of attachment ids whose content sniffs as png, jpeg, gif or webp. Upload rules: attachments/rules.ts. */
export const imageField = withUpload(
  defineFieldType({
    type: 'image',
    configSchema: config,
    column: () => ({ kind: 'json' }),
    expressionType: () => null,
    parse: (value, c) => parseIds(value, c.maxCount),
    ...jsonCodec,
    operators: jsonOperators,
  }),
  (c) => uploadRules(c, true),
);
