import { newId } from '@baton/core';
import { type ColumnTypes, defineMigrations, dialectOf, instant } from '@baton/db';
import { type CreateTableBuilder, type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations describe tables that are not typed yet
type AnyDb = Kysely<any>;

/** id, version, created_at, updated_at: the columns every org table (but the change log) starts with. */
function audited<T extends string>(table: CreateTableBuilder<T, never>, t: ColumnTypes): CreateTableBuilder<T, never> {
  return table
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('version', t.integer, (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', t.instant, (c) => c.notNull())
    .addColumn('updated_at', t.instant, (c) => c.notNull());
}

async function init(db: AnyDb, t: ColumnTypes): Promise<void> {
  const postgres = dialectOf(db) === 'postgres';

  await audited(db.schema.createTable('baton_org_unit'), t)
    .addColumn('code', t.text, (c) => c.notNull().unique())
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('kind', t.text, (c) =>
      c.notNull().defaultTo('branch').check(sql`kind in ('headquarters', 'branch', 'subsidiary')`),
    )
    .addColumn('time_zone', t.text, (c) => c.notNull().defaultTo('Asia/Shanghai'))
    .addColumn('sort', t.integer, (c) => c.notNull().defaultTo(0))
    .addColumn('enabled', t.boolean, (c) => c.notNull().defaultTo(true))
    .execute();

  await audited(db.schema.createTable('baton_org_level'), t)
    .addColumn('code', t.text, (c) => c.notNull().unique())
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('rank', t.integer, (c) => c.notNull())
    .execute();

  await audited(db.schema.createTable('baton_org_post'), t)
    .addColumn('unit_id', t.id, (c) => c.references('baton_org_unit.id'))
    .addColumn('code', t.text, (c) => c.notNull().unique())
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('sort', t.integer, (c) => c.notNull().defaultTo(0))
    .addColumn('enabled', t.boolean, (c) => c.notNull().defaultTo(true))
    .execute();

  // Department and member reference each other (head ↔ main department). SQLite accepts a reference to
  // a table created later (it checks at write time) but cannot add one afterwards; PostgreSQL is the reverse.
  await audited(db.schema.createTable('baton_org_department'), t)
    .addColumn('unit_id', t.id, (c) => c.notNull().references('baton_org_unit.id'))
    .addColumn('parent_id', t.id, (c) => c.references('baton_org_department.id'))
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('code', t.text, (c) => c.notNull())
    .addColumn('sort', t.integer, (c) => c.notNull().defaultTo(0))
    .addColumn('enabled', t.boolean, (c) => c.notNull().defaultTo(true))
    .addColumn('head_member_id', t.id, (c) => (postgres ? c : c.references('baton_org_member.id')))
    .addColumn('merged_into_id', t.id, (c) => c.references('baton_org_department.id'))
    .addUniqueConstraint('baton_org_department_unit_code', ['unit_id', 'code'])
    .execute();
  await db.schema.createIndex('baton_org_department_parent').on('baton_org_department').column('parent_id').execute();

  await audited(db.schema.createTable('baton_org_member'), t)
    .addColumn('code', t.text, (c) => c.notNull().unique())
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('login', t.text, (c) => c.notNull().unique())
    .addColumn('email', t.text)
    .addColumn('phone', t.text)
    .addColumn('main_department_id', t.id, (c) => c.notNull().references('baton_org_department.id'))
    .addColumn('post_id', t.id, (c) => c.references('baton_org_post.id'))
    .addColumn('level_id', t.id, (c) => c.references('baton_org_level.id'))
    .addColumn('supervisor_id', t.id, (c) => c.references('baton_org_member.id'))
    .addColumn('status', t.text, (c) => c.notNull().defaultTo('active').check(sql`status in ('active', 'left')`))
    .addColumn('left_at', t.instant)
    .addColumn('locale', t.text)
    .addColumn('sort', t.integer, (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('baton_org_member_department')
    .on('baton_org_member')
    .column('main_department_id')
    .execute();

  if (postgres) {
    await db.schema
      .alterTable('baton_org_department')
      .addForeignKeyConstraint('baton_org_department_head_fk', ['head_member_id'], 'baton_org_member', ['id'])
      .execute();
  }

  await audited(db.schema.createTable('baton_org_division_leader'), t)
    .addColumn('department_id', t.id, (c) => c.notNull().references('baton_org_department.id'))
    .addColumn('member_id', t.id, (c) => c.notNull().references('baton_org_member.id'))
    .addColumn('sort', t.integer, (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('baton_org_division_leader_pair', ['department_id', 'member_id'])
    .execute();
  await db.schema
    .createIndex('baton_org_division_leader_member')
    .on('baton_org_division_leader')
    .column('member_id')
    .execute();

  await audited(db.schema.createTable('baton_org_concurrent_post'), t)
    .addColumn('member_id', t.id, (c) => c.notNull().references('baton_org_member.id'))
    .addColumn('department_id', t.id, (c) => c.notNull().references('baton_org_department.id'))
    .addColumn('post_id', t.id, (c) => c.references('baton_org_post.id'))
    .addColumn('level_id', t.id, (c) => c.references('baton_org_level.id'))
    .addColumn('sort', t.integer, (c) => c.notNull().defaultTo(0))
    .addUniqueConstraint('baton_org_concurrent_post_pair', ['member_id', 'department_id'])
    .execute();
  await db.schema
    .createIndex('baton_org_concurrent_post_department')
    .on('baton_org_concurrent_post')
    .column('department_id')
    .execute();

  await audited(db.schema.createTable('baton_org_role'), t)
    .addColumn('code', t.text, (c) => c.notNull().unique())
    .addColumn('name', t.text, (c) => c.notNull())
    .addColumn('name_en', t.text)
    .addColumn('kind', t.text, (c) => c.notNull().check(sql`kind in ('system', 'business')`))
    .addColumn('scope', t.text, (c) => c.notNull().check(sql`scope in ('global', 'unit', 'department')`))
    .addColumn('scope_id', t.id)
    .addColumn('description', t.text)
    .addColumn('enabled', t.boolean, (c) => c.notNull().defaultTo(true))
    .execute();

  await audited(db.schema.createTable('baton_org_role_assignment'), t)
    .addColumn('role_id', t.id, (c) => c.notNull().references('baton_org_role.id'))
    .addColumn('member_id', t.id, (c) => c.notNull().references('baton_org_member.id'))
    .addColumn('scope_unit_id', t.id, (c) => c.references('baton_org_unit.id'))
    .addColumn('scope_department_id', t.id, (c) => c.references('baton_org_department.id'))
    .execute();
  await db.schema
    .createIndex('baton_org_role_assignment_role')
    .on('baton_org_role_assignment')
    .column('role_id')
    .execute();
  await db.schema
    .createIndex('baton_org_role_assignment_member')
    .on('baton_org_role_assignment')
    .column('member_id')
    .execute();

  await db.schema
    .createTable('baton_org_change')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('at', t.instant, (c) => c.notNull())
    .addColumn('actor', t.json, (c) => c.notNull())
    .addColumn('actor_member_id', t.id)
    .addColumn('entity_type', t.text, (c) => c.notNull())
    .addColumn('entity_id', t.id, (c) => c.notNull())
    .addColumn('member_id', t.id)
    .addColumn('action', t.text, (c) => c.notNull())
    .addColumn('operation', t.text, (c) => c.notNull())
    .addColumn('before', t.json)
    .addColumn('after', t.json)
    .addColumn('batch_id', t.id, (c) => c.notNull())
    .execute();
  // As-of queries pick the latest snapshot per entity at or before an instant.
  await db.schema
    .createIndex('baton_org_change_entity')
    .on('baton_org_change')
    .columns(['entity_type', 'entity_id', 'at'])
    .execute();
  await db.schema.createIndex('baton_org_change_member').on('baton_org_change').columns(['member_id', 'at']).execute();
  await db.schema.createIndex('baton_org_change_batch').on('baton_org_change').column('batch_id').execute();

  await db.schema
    .createTable('baton_org_revision')
    .addColumn('id', t.text, (c) => c.primaryKey())
    .addColumn('revision', t.bigint, (c) => c.notNull())
    .addColumn('stamp', t.text, (c) => c.notNull())
    .addColumn('updated_at', t.instant, (c) => c.notNull())
    .execute();
  // The stamp is random so that a cache entry can never be mistaken for another database's state.
  await db
    .insertInto('baton_org_revision')
    .values({ id: 'org', revision: 0, stamp: newId(), updated_at: instant(new Date(0)) })
    .execute();
}

/** Org tables, in the order the migration runner applies them. */
export const orgMigrations = defineMigrations('org', [{ name: '0001_init', up: init }]);
