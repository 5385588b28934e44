import type { Ctx } from '@baton/core';
import type { Kysely } from 'kysely';

/** One row of the migration record: which migration of which engine ran, and when. */
export type MigrationTable = {
  engine: string;
  name: string;
  appliedAt: string;
};

export type OutboxStatus = 'pending' | 'delivered' | 'dead';

export type OutboxTable = {
  id: string;
  topic: string;
  /** Idempotency key; defaults to the id so every message carries one downstream. */
  key: string;
  /** JSON text (see toJson / fromJson). */
  payload: string;
  status: OutboxStatus;
  attempts: number;
  availableAt: string;
  leaseOwner: string | null;
  leaseUntil: string | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
};

/** A run-time setting: one JSON value per `<engine>.<section>` key (see settings.ts). */
export type SettingTable = {
  key: string;
  /** JSON text (toJson / fromJson). */
  value: string;
  updatedAt: string;
  /** Member id, or `system:<name>`. */
  updatedBy: string;
};

/**
 * Every kernel table, keyed by its SQL name (snake_case); columns are camelCase (CamelCasePlugin).
 * Engines add their tables by declaration merging:
 * `declare module '@baton/db' { interface BatonDatabase { baton_org_member: MemberTable } }`.
 */
export interface BatonDatabase {
  baton_db_migration: MigrationTable;
  baton_db_outbox: OutboxTable;
  baton_db_setting: SettingTable;
}

/** A Kysely instance or a Transaction: operations join whatever they are handed. */
export type Db = Kysely<BatonDatabase>;
export type DbCtx = Ctx<Db>;
export type Dialect = 'sqlite' | 'postgres';
