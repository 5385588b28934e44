// Row shapes as Kysely sees them (camelCase through CamelCasePlugin; SQL is snake_case).

export type RuleDefinitionTable = {
  pack: string;
  key: string;
  version: number;
  /** The normalised definition as published (JSON text). */
  definition: string;
  hash: string;
  /** `flow` or `form`: what the rule listens to. */
  triggerKind: string;
  /** `pack.key` of that flow or form: the index applyRules looks rules up by. */
  triggerRef: string;
  /** JSON: the form and flow versions the expressions were checked against (they compile against them at run time). */
  catalog: string;
  enabled: number | boolean;
  publishedAt: string;
  publishedBy: string;
};

export type RuleRunState = 'applied' | 'compensated';

/** One application of one rule version to one event: what it did, so compensation undoes exactly that, once. */
export type RuleRunTable = {
  id: string;
  rulePack: string;
  ruleKey: string;
  ruleVersion: number;
  /** Names the event (unique with the rule): a retried event finds its run and applies nothing. */
  eventKey: string;
  eventType: string;
  /** The flow instance (flow rules) or the record (form rules) whose withdrawal or voiding compensates the run. */
  subjectId: string;
  instanceId: string | null;
  recordPack: string;
  recordKey: string;
  recordId: string;
  state: RuleRunState;
  /** JSON array of effects in the order they were made (see actions/define.ts `Effect`). */
  effects: string;
  /** JSON array: effects of the compensation actions, once compensated. */
  compensation: string | null;
  actorId: string;
  appliedAt: string;
  compensatedAt: string | null;
  compensatedBy: string | null;
};

export type RuleChangeOp = 'insert' | 'update' | 'adjust' | 'undo';

/** The history of a record written by rules (writeBack or adjust with `changeLog: true`), newest last. */
export type RuleChangeTable = {
  id: string;
  formPack: string;
  formKey: string;
  recordId: string;
  op: RuleChangeOp;
  /** JSON object of the written fields before the change (null for an insert). */
  before: string | null;
  /** JSON object of the written fields after it. */
  after: string | null;
  rulePack: string;
  ruleKey: string;
  ruleVersion: number;
  runId: string;
  eventType: string;
  /** The request behind the change (drill-through). */
  instanceId: string | null;
  sourcePack: string;
  sourceKey: string;
  sourceRecordId: string;
  actorId: string;
  at: string;
  /** Orders changes made within the same instant. */
  seq: number;
};

/** One row (`id` 'rules'): a random stamp replaced by every publish, naming the set of published rules. */
export type RuleStampTable = { id: string; stamp: string };

declare module '@baton/db' {
  interface BatonDatabase {
    baton_rule_stamp: RuleStampTable;
    baton_rule_definition: RuleDefinitionTable;
    baton_rule_run: RuleRunTable;
    baton_rule_change: RuleChangeTable;
  }
}
