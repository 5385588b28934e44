import { defineError } from '@baton/core';

export const AttachmentErrors = {
  fieldInvalid: defineError('FORM_ATTACHMENT_FIELD_INVALID', {
    status: 400,
    zh: '表单 {form} 没有可上传文件的字段 {field}',
    en: 'Form {form} has no upload field {field}',
  }),
  typeRefused: defineError('FORM_ATTACHMENT_TYPE_REFUSED', {
    status: 415,
    zh: '不允许上传该类型的文件：{name}（允许：{accept}）',
    en: 'This file type is not allowed: {name} (allowed: {accept})',
  }),
  contentMismatch: defineError('FORM_ATTACHMENT_CONTENT_MISMATCH', {
    status: 415,
    zh: '文件 {name} 的内容与扩展名不符',
    en: 'The content of {name} does not match its extension',
  }),
  tooLarge: defineError('FORM_ATTACHMENT_TOO_LARGE', {
    status: 413,
    zh: '文件 {name} 超过 {limitMb} MB 的上限',
    en: 'The file {name} exceeds the limit of {limitMb} MB',
  }),
  tooMany: defineError('FORM_ATTACHMENT_TOO_MANY', {
    status: 400,
    zh: '该字段最多上传 {max} 个文件',
    en: 'At most {max} file(s) may be uploaded to this field',
  }),
  empty: defineError('FORM_ATTACHMENT_EMPTY', {
    status: 400,
    zh: '文件 {name} 是空的',
    en: 'The file {name} is empty',
  }),
  uploadInvalid: defineError('FORM_ATTACHMENT_UPLOAD_INVALID', {
    status: 400,
    zh: '上传请求有误：{problem}',
    en: 'The upload request is invalid: {problem}',
  }),
  notFound: defineError('FORM_ATTACHMENT_NOT_FOUND', {
    status: 404,
    zh: '找不到附件 {id}',
    en: 'Attachment {id} was not found',
  }),
  notAttachable: defineError('FORM_ATTACHMENT_NOT_ATTACHABLE', {
    status: 400,
    zh: '这些附件不能用于该字段：{ids}',
    en: 'These attachments cannot be used in this field: {ids}',
  }),
} as const;
