import type { FieldIssue } from '@baton/core';
import type { FormDefinition } from '@baton/form';

export type Label = { zh: string; en: string };
export type FormRef = { pack: string; key: string };
/** `'pack.key'`, a bare `'key'` of the rule's own pack, or `{ pack, key }`; normalised to `{ pack, key }`. */
export type FormRefInput = string | FormRef;

/** Flow events a rule can listen to. */
export const flowTriggers = [
  'submitted',
  'nodeEntered',
  'nodeCompleted',
  'approved',
  'rejected',
  'returned',
  'withdrawn',
  'terminated',
] as const;
export type FlowTrigger = (typeof flowTriggers)[number];

/** Record events a rule can listen to. */
export const recordTriggers = ['created', 'updated', 'voided'] as const;
export type RecordTrigger = (typeof recordTriggers)[number];

/** What undoes a flow rule's runs: `returnedToInitiator` is a return that makes the request a draft again. */
export const flowCompensations = ['withdrawn', 'terminated', 'rejected', 'returnedToInitiator'] as const;
export const recordCompensations = ['voided'] as const;
export type CompensationTrigger = (typeof flowCompensations)[number] | (typeof recordCompensations)[number];

/** One action; kind-specific options sit beside the common keys. */
export type RuleActionInput = {
  kind: string;
  /** Runs the action only when this is true (per row with forEachRow). */
  when?: string;
  /** Runs the action once per row of this subtable of the record (bare column names are the row's cells). */
  forEachRow?: string;
  /**
   * Names what the action hands on to the actions after it in the same list, read as `$actions.<as>.<name>`
   * (writeBack: the written record's `id` and fields; blank when the action did not run).
   */
  as?: string;
  [option: string]: unknown;
};

export type RuleDefinitionInput = {
  pack: string;
  key: string;
  name: Label;
  description?: Label;
  /** Default true; publishing a version with false switches the rule off. */
  enabled?: boolean;
  /** Rules on the same event run by ascending order, then by pack and key (default 0). */
  order?: number;
  on:
    | { flow: FormRefInput; events: string[]; nodes?: string[] }
    | { form: FormRefInput; events: string[] }
    /** On a cron schedule, for each (non-voided) record of the form that passes `when`. */
    | { form: FormRefInput; schedule: ScheduleTrigger }
    /** `days` (negative: before) from a date field of each record, at `at` local time (reminders). */
    | { form: FormRefInput; date: DateTrigger };
  /** A boolean expression over the record, `$event.*`, `$initiator.*` … */
  when?: string;
  actions: RuleActionInput[];
  /**
   * What happens to the rule's runs on an instance when it is withdrawn or terminated (or, when listed, rejected or
   * returned to the initiator; `voided` for form rules): `undo` reverses each recorded effect exactly (default
   * true), then `actions` run.
   */
  compensate?: { on?: string[]; undo?: boolean; actions?: RuleActionInput[] };
};

export type ScheduleTrigger = { cron: string; timeZone?: string };
export type DateTrigger = { field: string; days?: number; at?: string; timeZone?: string };

export type RuleAction = Readonly<RuleActionInput>;

export type RuleOn =
  | Readonly<{ flow: FormRef; events: readonly FlowTrigger[]; nodes?: readonly string[] }>
  | Readonly<{ form: FormRef; events: readonly RecordTrigger[] }>
  | Readonly<{ form: FormRef; schedule: Readonly<Required<ScheduleTrigger>> }>
  | Readonly<{ form: FormRef; date: Readonly<Required<DateTrigger>> }>;

/** How a stored rule is found: by the flow or form whose events it listens to, or by the form it runs over. */
export type TriggerKind = 'flow' | 'form' | 'schedule' | 'date';

export function triggerOf(on: RuleOn): { kind: TriggerKind; ref: string } {
  if ('flow' in on) return { kind: 'flow', ref: refId(on.flow) };
  if ('schedule' in on) return { kind: 'schedule', ref: refId(on.form) };
  if ('date' in on) return { kind: 'date', ref: refId(on.form) };
  return { kind: 'form', ref: refId(on.form) };
}

/** A validated, defaults-applied, deep-frozen definition with its content hash. */
export type RuleDefinition = Readonly<{
  pack: string;
  key: string;
  name: Label;
  description?: Label;
  enabled: boolean;
  order: number;
  on: RuleOn;
  when?: string;
  actions: readonly RuleAction[];
  compensate?: Readonly<{ on: readonly CompensationTrigger[]; undo: boolean; actions: readonly RuleAction[] }>;
  hash: string;
}>;

export type RuleIssue = FieldIssue & { message: string };

/**
 * The forms and flows a rule names, as validation sees them (keys `pack.key`). Without a catalog a definition is
 * checked for shape and expression syntax only; with one, every expression type-checks against the forms.
 */
export type RuleCatalog = {
  forms: Readonly<Record<string, FormDefinition>>;
  flows: Readonly<Record<string, { form: FormRef; nodes: readonly string[] }>>;
};

export const refId = (ref: FormRef): string => `${ref.pack}.${ref.key}`;
