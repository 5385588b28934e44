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
  fileInvalid: defineError('PACK_FILE_INVALID', {
    status: 400,
    zh: '应用包文件无法读取：{reason}',
    en: 'The pack file cannot be read: {reason}',
  }),
  fileTooLarge: defineError('PACK_FILE_TOO_LARGE', {
    status: 413,
    zh: '应用包文件过大：{what}',
    en: 'The pack file is too large: {what}',
  }),
  formatUnsupported: defineError('PACK_FORMAT_UNSUPPORTED', {
    status: 422,
    zh: '不支持的应用包格式 {format}（应为 {expected}）',
    en: 'Unsupported pack format {format} (expected {expected})',
  }),
  diffChanged: defineError('PACK_DIFF_CHANGED', {
    status: 409,
    zh: '预览之后已安装的内容有变化，请重新预览应用包 {pack} 再导入',
    en: 'What is installed changed since the preview; preview pack {pack} again before importing',
  }),
};
