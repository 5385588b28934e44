import { z } from 'zod';
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

/** An action kind as an editor sees it: its settings as JSON Schema (input side, with `x-widget` hints). */
export type RuleActionInfo = {
  kind: string;
  settings: Record<string, unknown>;
  /** Compensation reverses what it did (startFlow, notify and callConnector are not undone). */
  undoable: boolean;
  /**
   * Named with `as`, what it hands on to later actions (`$actions.<as>.<name>`): fixed names → types, and with
   * `fieldsOf` the fields of the form that setting names. null: the kind cannot be named.
   */
  output: { values: Record<string, string>; fieldsOf?: string } | null;
};

let described: RuleActionInfo[] | undefined;

/** Every registered kind with the JSON Schema of its settings (computed once: the registry is fixed at load). */
export function describeRuleActions(): RuleActionInfo[] {
  described ??= listRuleActions().map((kind) => ({
    kind: kind.kind,
    settings: z.toJSONSchema(kind.configSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>,
    undoable: kind.undo !== undefined,
    output: kind.output
      ? { values: { ...kind.output.values }, ...(kind.output.fieldsOf ? { fieldsOf: kind.output.fieldsOf } : {}) }
      : null,
  }));
  return described;
}
