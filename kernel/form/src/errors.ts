import { defineError } from '@baton/core';

export const FormErrors = {
  definitionInvalid: defineError('FORM_DEFINITION_INVALID', {
    status: 400,
    zh: '表单定义有误：{count} 处问题',
    en: 'The form definition is invalid: {count} problem(s)',
  }),
  serialPartBlank: defineError('FORM_SERIAL_PART_BLANK', {
    status: 400,
    zh: '流水号「{serial}」要用到「{field}」，但它是空的：请先填写',
    en: 'Serial "{serial}" needs "{field}", which is blank: fill it in first',
  }),
  viewInvalid: defineError('FORM_VIEW_INVALID', {
    status: 400,
    zh: '视图有误：{count} 处问题',
    en: 'The view is invalid: {count} problem(s)',
  }),
  viewNotFound: defineError('FORM_VIEW_NOT_FOUND', {
    status: 404,
    zh: '找不到视图 {id}',
    en: 'View {id} was not found',
  }),
  viewLimit: defineError('FORM_VIEW_LIMIT', {
    status: 409,
    zh: '每张表单最多保存 {max} 个视图，请先删除不用的视图',
    en: 'At most {max} views per form; delete one you no longer use first',
  }),
  viewConflict: defineError('FORM_VIEW_CONFLICT', {
    status: 409,
    zh: '视图「{name}」刚被另一处保存，请刷新后重试',
    en: 'View "{name}" was just saved elsewhere; reload and try again',
  }),
  publishedMeanwhile: defineError('FORM_PUBLISHED_MEANWHILE', {
    status: 409,
    zh: '表单 {form} 刚发布了新版本，本次保存未生效，请重试',
    en: 'Form {form} was just published in a new version; nothing was saved, try again',
  }),
  notPublished: defineError('FORM_NOT_PUBLISHED', {
    status: 404,
    zh: '表单 {form} 尚未发布',
    en: 'Form {form} has not been published',
  }),
  migrationUnsafe: defineError('FORM_MIGRATION_UNSAFE', {
    status: 409,
    zh: '字段类型变更无法安全转换已有数据：{fields}',
    en: 'The type change cannot convert the stored data safely: {fields}',
  }),
  unknownField: defineError('FORM_UNKNOWN_FIELD', {
    status: 400,
    zh: '表单没有这些字段：{fields}',
    en: 'The form has no such field(s): {fields}',
  }),
  validationFailed: defineError('FORM_VALIDATION_FAILED', {
    status: 400,
    zh: '表单数据有误，请检查标出的字段',
    en: 'The form data is invalid; check the marked fields',
  }),
  duplicateKey: defineError('FORM_DUPLICATE_KEY', {
    status: 409,
    zh: '已存在相同 {fields} 的记录',
    en: 'A record with the same {fields} already exists',
  }),
  queryInvalid: defineError('FORM_QUERY_INVALID', {
    status: 400,
    zh: '查询条件有误：{problem}',
    en: 'The query is invalid: {problem}',
  }),
  recordNotFound: defineError('FORM_RECORD_NOT_FOUND', {
    status: 404,
    zh: '找不到记录 {id}',
    en: 'Record {id} was not found',
  }),
  recordVoided: defineError('FORM_RECORD_VOIDED', {
    status: 409,
    zh: '记录 {id} 已作废',
    en: 'Record {id} has been voided',
  }),
  opinionNotActing: defineError('FORM_OPINION_NOT_ACTING', {
    status: 403,
    zh: '只有节点 {node} 的处理人可以填写意见 {field}',
    en: 'Only the acting node {node} may write the opinion {field}',
  }),
} as const;
