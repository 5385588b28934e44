import { adjustAction } from './adjust/index.ts';
import { callConnectorAction } from './call-connector/index.ts';
import type { AnyRuleAction, RuleActionDefinition } from './define.ts';
import { grantAction } from './grant/index.ts';
import { guardAction } from './guard/index.ts';
import { notifyAction } from './notify/index.ts';
import { startFlowAction } from './start-flow/index.ts';
import { writeBackAction } from './write-back/index.ts';

// The one list of rule action kinds.
const kinds: readonly RuleActionDefinition<never>[] = [
  guardAction,
  writeBackAction,
  adjustAction,
  startFlowAction,
  grantAction,
  notifyAction,
  callConnectorAction,
] as unknown as RuleActionDefinition<never>[];

const byKind = new Map<string, AnyRuleAction>(kinds.map((kind) => [kind.kind, kind as unknown as AnyRuleAction]));

export function findRuleAction(kind: string): AnyRuleAction | undefined {
  return byKind.get(kind);
}

export function listRuleActions(): AnyRuleAction[] {
  return [...byKind.values()];
}
