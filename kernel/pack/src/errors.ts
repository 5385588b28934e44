import { defineError } from '@baton/core';

export const PackErrors = {
  invalid: defineError('PACK_INVALID', {
    status: 422,
    zh: '应用包 {pack} 有误：{count} 处问题',
    en: 'Pack {pack} is invalid: {count} problem(s)',
  }),
  downgrade: defineError('PACK_DOWNGRADE', {
    status: 409,
    zh: '应用包 {pack} 已安装 {installed} 版，不能换成较旧的 {version} 版',
    en: 'Pack {pack} {installed} is installed; the older {version} cannot replace it',
  }),
  notInstalled: defineError('PACK_NOT_INSTALLED', {
    status: 404,
    zh: '应用包 {pack} 尚未安装',
    en: 'Pack {pack} is not installed',
  }),
  demoUnresolved: defineError('PACK_DEMO_UNRESOLVED', {
    status: 422,
    zh: '应用包 {pack} 的演示数据找不到 {what}：{name}',
    en: 'The demo data of pack {pack} refers to an unknown {what}: {name}',
  }),
};
