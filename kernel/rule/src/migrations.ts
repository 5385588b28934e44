import { createStampTable, defineMigrations } from '@baton/db';

export const ruleMigrations = defineMigrations('rule', [
  {
    name: '0001_definitions_runs_changes',
    async up(db, t) {
      await db.schema
        .createTable('baton_rule_definition')
        .addColumn('pack', t.text, (c) => c.notNull())
        .addColumn('key', t.text, (c) => c.notNull())
        .addColumn('version', t.integer, (c) => c.notNull())
        .addColumn('definition', t.json, (c) => c.notNull())
        .addColumn('hash', t.text, (c) => c.notNull())
        .addColumn('trigger_kind', t.text, (c) => c.notNull())
        .addColumn('trigger_ref', t.text, (c) => c.notNull())
        .addColumn('catalog', t.json, (c) => c.notNull())
        .addColumn('enabled', t.boolean, (c) => c.notNull())
        .addColumn('published_at', t.instant, (c) => c.notNull())
        .addColumn('published_by', t.text, (c) => c.notNull())
        .addPrimaryKeyConstraint('baton_rule_definition_pk', ['pack', 'key', 'version'])
        .execute();
      await db.schema
        .createIndex('baton_rule_definition_trigger')
        .on('baton_rule_definition')
        .columns(['trigger_kind', 'trigger_ref'])
        .execute();
      await db.schema
        .createTable('baton_rule_run')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('rule_pack', t.text, (c) => c.notNull())
        .addColumn('rule_key', t.text, (c) => c.notNull())
        .addColumn('rule_version', t.integer, (c) => c.notNull())
        .addColumn('event_key', t.text, (c) => c.notNull())
        .addColumn('event_type', t.text, (c) => c.notNull())
        .addColumn('subject_id', t.id, (c) => c.notNull())
        .addColumn('instance_id', t.id)
        .addColumn('record_pack', t.text, (c) => c.notNull())
        .addColumn('record_key', t.text, (c) => c.notNull())
        .addColumn('record_id', t.id, (c) => c.notNull())
        .addColumn('state', t.text, (c) => c.notNull())
        .addColumn('effects', t.json, (c) => c.notNull())
        .addColumn('compensation', t.json)
        .addColumn('actor_id', t.text, (c) => c.notNull())
        .addColumn('applied_at', t.instant, (c) => c.notNull())
        .addColumn('compensated_at', t.instant)
        .addColumn('compensated_by', t.text)
        .addUniqueConstraint('baton_rule_run_event', ['rule_pack', 'rule_key', 'event_key'])
        .execute();
      await db.schema
        .createIndex('baton_rule_run_subject')
        .on('baton_rule_run')
        .columns(['subject_id', 'state'])
        .execute();
      await db.schema
        .createTable('baton_rule_change')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('form_pack', t.text, (c) => c.notNull())
        .addColumn('form_key', t.text, (c) => c.notNull())
        .addColumn('record_id', t.id, (c) => c.notNull())
        .addColumn('op', t.text, (c) => c.notNull())
        .addColumn('before', t.json)
        .addColumn('after', t.json)
        .addColumn('rule_pack', t.text, (c) => c.notNull())
        .addColumn('rule_key', t.text, (c) => c.notNull())
        .addColumn('rule_version', t.integer, (c) => c.notNull())
        .addColumn('run_id', t.id, (c) => c.notNull())
        .addColumn('event_type', t.text, (c) => c.notNull())
        .addColumn('instance_id', t.id)
        .addColumn('source_pack', t.text, (c) => c.notNull())
        .addColumn('source_key', t.text, (c) => c.notNull())
        .addColumn('source_record_id', t.id, (c) => c.notNull())
        .addColumn('actor_id', t.text, (c) => c.notNull())
        .addColumn('at', t.instant, (c) => c.notNull())
        .addColumn('seq', t.integer, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('baton_rule_change_record')
        .on('baton_rule_change')
        .columns(['form_pack', 'form_key', 'record_id', 'at', 'seq'])
        .execute();
    },
  },
  {
    // The administrator's "recent runs of this rule" reads them newest first.
    name: '0002_run_recent',
    async up(db) {
      await db.schema
        .createIndex('baton_rule_run_recent')
        .on('baton_rule_run')
        .columns(['rule_pack', 'rule_key', 'applied_at'])
        .execute();
    },
  },
  {
    // One row whose random stamp changes with every publish: processes cache the published rules under it.
    name: '0003_rule_stamp',
    up: (db, t) => createStampTable(db, t, 'baton_rule_stamp', 'rules'),
  },
]);
