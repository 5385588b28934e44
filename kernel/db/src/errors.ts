import { defineError } from '@baton/core';

export const DbErrors = {
  versionConflict: defineError('DB_VERSION_CONFLICT', {
    status: 409,
    zh: '数据已被他人修改，请刷新后重试',
    en: 'The record was changed by someone else; reload it and try again',
  }),
  rowNotFound: defineError('DB_ROW_NOT_FOUND', {
    status: 404,
    zh: '要修改的数据不存在或已被删除',
    en: 'The record to change does not exist or was deleted',
  }),
  leaseLost: defineError('DB_OUTBOX_LEASE_LOST', {
    status: 409,
    zh: '消息 {id} 的租约已失效，已由其他处理者接手',
    en: 'The lease on message {id} was lost to another worker',
  }),
  configInvalid: defineError('DB_CONFIG_INVALID', {
    status: 500,
    zh: '数据库配置无效：{reason}',
    en: 'Invalid database configuration: {reason}',
  }),
  migrationInvalid: defineError('DB_MIGRATION_INVALID', {
    status: 500,
    zh: '迁移定义无效：{reason}',
    en: 'Invalid migration definition: {reason}',
  }),
  migrationUnknown: defineError('DB_MIGRATION_UNKNOWN', {
    status: 500,
    zh: '数据库中有程序不认识的迁移 {migrations}：数据库比程序新，请升级程序，不支持降级',
    en: 'The database has migrations this code does not know ({migrations}): it is newer than the code; upgrade instead of downgrading',
  }),
  migrationOutOfOrder: defineError('DB_MIGRATION_OUT_OF_ORDER', {
    status: 500,
    zh: '迁移 {migrations} 排在已执行的 {last} 之前：新迁移只能追加在末尾',
    en: 'Migrations {migrations} sort before the already applied {last}: new migrations must be appended',
  }),
  migrationFailed: defineError('DB_MIGRATION_FAILED', {
    status: 500,
    zh: '迁移 {migration} 执行失败，已回滚：{reason}',
    en: 'Migration {migration} failed and was rolled back: {reason}',
  }),
} as const;
