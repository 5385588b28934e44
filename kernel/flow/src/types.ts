import type { ErrorParams, FieldIssue } from '@baton/core';
import type { FormDefinition } from '@baton/form';
import type { FlowIssueCode } from './issues.ts';

export type Label = { zh: string; en: string };

/** One node; kind-specific options sit beside the common keys. */
export type FlowNodeInput = { key: string; kind: string; name?: Label; [option: string]: unknown };

export type FlowEdge = { from: string; to: string; condition?: string; else?: true };

/** Who may terminate a running instance. */
export type TerminatePolicy = 'administrator' | 'initiatorOrAdministrator';

export type FlowDefinitionInput = {
  pack: string;
  key: string;
  name: Label;
  category?: string;
  /** The flow form whose records this flow approves. */
  form: { pack: string; key: string };
  /** Member ids: receive tasks under emptyPolicy 'administrator', may jump and terminate. */
  administrators?: string[];
  terminatePolicy?: TerminatePolicy;
  nodes: FlowNodeInput[];
  edges: FlowEdge[];
};

export type FlowDefinition = Readonly<
  Omit<FlowDefinitionInput, 'administrators' | 'nodes' | 'edges' | 'terminatePolicy'> & {
    administrators: readonly string[];
    terminatePolicy: TerminatePolicy;
    nodes: readonly Readonly<FlowNodeInput>[];
    edges: readonly Readonly<FlowEdge>[];
    hash: string;
  }
>;

export type FlowIssue = FieldIssue & { message: string };

/** What validation knows about the bound form (when given). */
export type FormView = {
  readonly def: FormDefinition;
  /** Main field key → expression type (null: not readable by expressions). */
  readonly fieldTypes: ReadonlyMap<string, { type: string; exprType: string | null; config: unknown }>;
  readonly subtables: ReadonlySet<string>;
};

/** Adds an issue whose texts are in FlowIssues (`issues.ts`): its code and the values the texts name. */
export type AddIssue = (path: (string | number)[], code: FlowIssueCode, params?: ErrorParams) => void;
