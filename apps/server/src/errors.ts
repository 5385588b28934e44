import { defineError } from '@baton/core';

/**
 * The HTTP shell's own coded errors: what can go wrong before a request reaches an engine.
 * Engines define theirs beside their code; these only cover transport-level refusals.
 */
export const ServerErrors = {
  badRequest: defineError('HTTP_BAD_REQUEST', {
    status: 400,
    zh: '请求格式有误',
    en: 'The request is malformed',
  }),
  badJson: defineError('HTTP_BAD_JSON', {
    status: 400,
    zh: '请求内容不是有效的 JSON',
    en: 'The request body is not valid JSON',
  }),
  payloadTooLarge: defineError('HTTP_PAYLOAD_TOO_LARGE', {
    status: 413,
    zh: '请求内容过大，上限为 {limit} 字节',
    en: 'The request body is too large; the limit is {limit} bytes',
  }),
  unsupportedMediaType: defineError('HTTP_UNSUPPORTED_MEDIA_TYPE', {
    status: 415,
    zh: '不支持的内容类型 {contentType}，请使用 application/json',
    en: 'Unsupported content type {contentType}; send application/json',
  }),
  methodNotAllowed: defineError('HTTP_METHOD_NOT_ALLOWED', {
    status: 405,
    zh: '该地址不支持 {method} 请求',
    en: 'This address does not accept {method} requests',
  }),
  tooManyRequests: defineError('HTTP_TOO_MANY_REQUESTS', {
    status: 429,
    zh: '请求过于频繁，请稍后再试',
    en: 'Too many requests; please try again later',
  }),
  /**
   * Any other 4xx raised below the engines (static file ranges, malformed paths …). The problem
   * keeps the original status, so the catalogue's 400 is nominal for this one code.
   */
  requestRejected: defineError('HTTP_REQUEST_REJECTED', {
    status: 400,
    zh: '请求无法处理',
    en: 'The request could not be processed',
  }),
} as const;
