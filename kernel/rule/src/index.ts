// @baton/rule — rules: on a flow or record event, when a condition holds, run actions from a registry (writeBack,
// adjust, guard, startFlow, grant, notify, callConnector) inside the event's own transaction; compensation on
// withdraw/terminate undoes recorded effects exactly once; change logs of written records. The only entry point.
import './schema.ts';

export {
  type ActionRuntime,
  type ChangeInput,
  type CheckContext,
  defineRuleAction,
  type Effect,
  type ExprOptions,
  type RuleActionDefinition,
  type SourceView,
  type UndoRuntime,
} from './actions/define.ts';
export { describeRuleActions, findRuleAction, listRuleActions, type RuleActionInfo } from './actions/registry.ts';
export {
  type ApplyResult,
  applyRules,
  listRecentRuleRuns,
  listRuleRuns,
  MAX_RULE_DEPTH,
  type RuleEvent,
  type RuleRun,
} from './apply.ts';
export { listRecordChanges, type RecordChange } from './changes.ts';
export { type CompiledRule, compileRule, defineRule, validateRule } from './definition.ts';
export { RuleErrors } from './errors.ts';
export { baseContext as ruleContext } from './expressions.ts';
export { type RuleIssueCode, RuleIssues } from './issues.ts';
export { ruleMigrations } from './migrations.ts';
export type { RuleChangeTable, RuleDefinitionTable, RuleRunTable } from './schema.ts';
export {
  checkRule,
  getRule,
  listRules,
  listRuleVersions,
  type PublishRuleResult,
  publishRule,
  type RuleCheck,
  type RuleSummary,
  type RuleVersion,
  type StoredRule,
} from './store.ts';
export {
  dueOf,
  RULE_DATE_TOPIC,
  RULE_RECORD_TOPIC,
  RULE_SCHEDULE_TOPIC,
  ruleTimerHandlers,
  scheduleKeyOf,
  zonedInstant,
} from './timed.ts';
export {
  type CompensationTrigger,
  type DateTrigger,
  type FlowTrigger,
  type FormRef,
  flowCompensations,
  flowTriggers,
  type RecordTrigger,
  type RuleAction,
  type RuleActionInput,
  type RuleCatalog,
  type RuleDefinition,
  type RuleDefinitionInput,
  type RuleIssue,
  recordCompensations,
  recordTriggers,
  type ScheduleTrigger,
  type TriggerKind,
} from './types.ts';
