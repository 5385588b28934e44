import { type ColumnTypes, defineMigrations } from '@baton/db';
import { type Kysely, sql } from 'kysely';
import { GENESIS_HASH } from './audit-hash.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe tables that are not typed yet
type AnyDb = Kysely<any>;

// References into org use ON DELETE CASCADE: org owns members and roles, and deleting one must not fail
// because access keeps rows about it (they mean nothing once it is gone). Members normally leave, not vanish.
async function init(db: AnyDb, t: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('baton_access_credential')
    .addColumn('member_id', t.id, (c) => c.primaryKey().references('baton_org_member.id').onDelete('cascade'))
    .addColumn('password_hash', t.text, (c) => c.notNull())
    .addColumn('must_change', t.boolean, (c) => c.notNull().defaultTo(false))
    .addColumn('changed_at', t.instant, (c) => c.notNull())
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('updated_at', t.instant, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('baton_access_throttle')
    .addColumn('key', t.text, (c) => c.primaryKey())
    .addColumn('window_start', t.instant, (c) => c.notNull())
    .addColumn('failures', t.integer, (c) => c.notNull())
    .addColumn('locked_until', t.instant)
    .addColumn('updated_at', t.instant, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('baton_access_session')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('token_hash', t.text, (c) => c.notNull().unique())
    .addColumn('csrf_hash', t.text, (c) => c.notNull())
    .addColumn('member_id', t.id, (c) => c.notNull().references('baton_org_member.id').onDelete('cascade'))
    .addColumn('ip', t.text)
    .addColumn('user_agent', t.text)
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('last_seen_at', t.instant, (c) => c.notNull())
    .addColumn('idle_timeout_ms', t.bigint, (c) => c.notNull())
    .addColumn('expires_at', t.instant, (c) => c.notNull())
    .addColumn('revoked_at', t.instant)
    .addColumn('revoked_reason', t.text)
    .execute();
  await db.schema.createIndex('baton_access_session_member').on('baton_access_session').column('member_id').execute();

  await db.schema
    .createTable('baton_access_api_token')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('member_id', t.id, (c) => c.notNull().references('baton_org_member.id').onDelete('cascade'))
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('token_hash', t.text, (c) => c.notNull().unique())
    .addColumn('hint', t.text, (c) => c.notNull())
    .addColumn('scopes', t.json, (c) => c.notNull())
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('created_by', t.text)
    .addColumn('expires_at', t.instant)
    .addColumn('last_used_at', t.instant)
    .addColumn('revoked_at', t.instant)
    .execute();
  await db.schema
    .createIndex('baton_access_api_token_member')
    .on('baton_access_api_token')
    .column('member_id')
    .execute();

  await db.schema
    .createTable('baton_access_role_permission')
    .addColumn('role_id', t.id, (c) => c.notNull().references('baton_org_role.id').onDelete('cascade'))
    .addColumn('permission', t.text, (c) => c.notNull())
    .addColumn('granted_at', t.instant, (c) => c.notNull())
    .addColumn('granted_by', t.text)
    .addPrimaryKeyConstraint('baton_access_role_permission_pk', ['role_id', 'permission'])
    .execute();

  await db.schema
    .createTable('baton_access_grant')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('member_id', t.id, (c) => c.notNull().references('baton_org_member.id').onDelete('cascade'))
    .addColumn('resource', t.text, (c) => c.notNull())
    .addColumn('record_id', t.text)
    .addColumn('access', t.text, (c) => c.notNull().check(sql`access in ('read', 'write')`))
    .addColumn('expires_at', t.instant)
    .addColumn('granted_by', t.text)
    .addColumn('reason', t.text)
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('revoked_at', t.instant)
    .addColumn('revoked_by', t.text)
    .execute();
  // The scope predicate's EXISTS probes (member, resource, record): this index answers it.
  await db.schema
    .createIndex('baton_access_grant_lookup')
    .on('baton_access_grant')
    .columns(['member_id', 'resource', 'record_id'])
    .execute();

  await db.schema
    .createTable('baton_access_audit')
    .addColumn('seq', t.bigint, (c) => c.primaryKey())
    .addColumn('id', t.id, (c) => c.notNull().unique())
    .addColumn('at', t.instant, (c) => c.notNull())
    .addColumn('actor_kind', t.text, (c) => c.notNull())
    .addColumn('actor_id', t.text)
    .addColumn('action', t.text, (c) => c.notNull())
    .addColumn('target_type', t.text)
    .addColumn('target_id', t.text)
    .addColumn('ip', t.text)
    .addColumn('detail', t.json)
    .addColumn('prev_hash', t.text, (c) => c.notNull())
    .addColumn('hash', t.text, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('baton_access_audit_at').on('baton_access_audit').column('at').execute();
  await db.schema
    .createIndex('baton_access_audit_actor')
    .on('baton_access_audit')
    .columns(['actor_id', 'seq'])
    .execute();
  await db.schema
    .createIndex('baton_access_audit_action')
    .on('baton_access_audit')
    .columns(['action', 'seq'])
    .execute();
  await db.schema
    .createIndex('baton_access_audit_target')
    .on('baton_access_audit')
    .columns(['target_type', 'target_id', 'seq'])
    .execute();

  await db.schema
    .createTable('baton_access_audit_head')
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('seq', t.bigint, (c) => c.notNull())
    .addColumn('hash', t.text, (c) => c.notNull())
    .execute();
  await db.insertInto('baton_access_audit_head').values({ id: 'audit', seq: 0, hash: GENESIS_HASH }).execute();
}

/** Access tables; they reference org's, so apply after orgMigrations. */
export const accessMigrations = defineMigrations('access', [{ name: '0001_init', up: init }]);
