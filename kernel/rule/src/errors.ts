import { defineError } from '@baton/core';

export const RuleErrors = {
  definitionInvalid: defineError('RULE_DEFINITION_INVALID', {
    status: 400,
    zh: '规则定义有误：{count} 处问题',
    en: 'The rule definition is invalid: {count} problem(s)',
  }),
  notPublished: defineError('RULE_NOT_PUBLISHED', {
    status: 404,
    zh: '规则 {rule} 尚未发布',
    en: 'Rule {rule} has not been published',
  }),
  /** The message is the rule's own, built from the record (both languages are parameters). */
  guardRefused: defineError('RULE_GUARD_REFUSED', {
    status: 422,
    zh: '{messageZh}',
    en: '{messageEn}',
  }),
  belowFloor: defineError('RULE_ADJUST_BELOW_FLOOR', {
    status: 422,
    zh: '{messageZh}',
    en: '{messageEn}',
  }),
  targetNotFound: defineError('RULE_TARGET_NOT_FOUND', {
    status: 422,
    zh: '规则「{rule}」在 {form} 中找不到匹配的记录（{match}）',
    en: 'Rule "{rule}" found no matching record in {form} ({match})',
  }),
  targetAmbiguous: defineError('RULE_TARGET_AMBIGUOUS', {
    status: 409,
    zh: '规则「{rule}」在 {form} 中匹配到多条记录（{match}），请为匹配字段设置唯一键',
    en: 'Rule "{rule}" matched several records in {form} ({match}); declare a unique key on the matched fields',
  }),
  valueRequired: defineError('RULE_VALUE_REQUIRED', {
    status: 422,
    zh: '规则「{rule}」的 {path} 没有值',
    en: 'Rule "{rule}": {path} has no value',
  }),
  cascadeTooDeep: defineError('RULE_CASCADE_TOO_DEEP', {
    status: 508,
    zh: '规则连锁触发超过 {max} 层（{chain}），已中止',
    en: 'Rules triggered each other more than {max} levels deep ({chain}); stopped',
  }),
};
