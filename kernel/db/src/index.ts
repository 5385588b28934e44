export { dbMigrations } from './db-migrations.ts';
export {
  type ColumnTypes,
  columnTypes,
  type DateUnit,
  dateTrunc,
  dialectOf,
  forUpdate,
  fromJson,
  instant,
  toJson,
  upsert,
} from './dialect.ts';
export { DbErrors } from './errors.ts';
export {
  type CoveringIndex,
  createCoveringIndex,
  explainQuery,
  type IndexInfo,
  tableIndexes,
} from './indexes.ts';
export { containsText, isUniqueViolation, likeEscape } from './match.ts';
export {
  defineMigrations,
  type EngineMigrations,
  type Migration,
  migrate,
  migrationStatus,
} from './migrate.ts';
export { type Database, type DatabaseConfig, DEFAULT_SQLITE_PATH, openDatabase } from './open.ts';
export {
  type OutboxAppendInput,
  type OutboxClaimInput,
  type OutboxMessage,
  outbox,
  outboxRetryDelayMs,
} from './outbox.ts';
export { reusableQuery } from './reusable.ts';
export type {
  BatonDatabase,
  Db,
  DbCtx,
  Dialect,
  MigrationTable,
  OutboxStatus,
  OutboxTable,
  SettingTable,
} from './schema.ts';
export { readSetting, type StoredSetting, writeSetting } from './settings.ts';
export { createStampTable, renewStamp, stampOf } from './stamp.ts';
export { withTx } from './tx.ts';
export { type UpdateVersionedInput, updateVersioned } from './versioned.ts';
