import type { ErrorParams } from '@baton/core';
import type { DbCtx } from '@baton/db';
import type { Type, Value, ValueType } from '@baton/expression';
import type { FormRecord, RecordContext } from '@baton/form';
import type { z } from 'zod';
import type { FormInfo } from '../forms.ts';
import type { RuleIssueCode } from '../issues.ts';
import type { FormRef, Label, RuleDefinition } from '../types.ts';

type Path = readonly (string | number)[];

export type ExprOptions = {
  expect?: ValueType;
  /** The expression reads `$target.<field>` of this form: the record the action matched. */
  target?: FormInfo;
  /** Compile in the action's `forEachRow` scope (default true); false for what is evaluated once. */
  row?: boolean;
  /** Compile in the row scope of this subtable of the source instead (a row mapping `from` it). */
  scope?: string;
};

/**
 * What an action kind sees while its config is checked. Paths are relative to the action (`['set', 'amount']`).
 * Without a catalog (`checking` false) forms are unknown and expressions are checked for syntax only.
 */
export type CheckContext = {
  readonly rule: { pack: string; key: string };
  readonly checking: boolean;
  /** The form whose record the rule reacts to (undefined without a catalog). */
  readonly source: FormInfo | undefined;
  /** The action's `forEachRow` subtable, when it runs per row. */
  readonly rowScope: string | undefined;
  /** An issue of the action; its code's texts are in RuleIssues (`issues.ts`), `params` the values they name. */
  add(path: Path, code: RuleIssueCode, params?: ErrorParams): void;
  /** Compiles an expression kept for run time under this path; its type, when checked against the forms. */
  expr(path: Path, source: string, options?: ExprOptions): Type | undefined;
  /** Checks `{name}` placeholders of a bilingual template against its params and compiles each param at `[...paramsPath, name]`. */
  template(
    path: Path,
    label: Label,
    params: Readonly<Record<string, string>> | undefined,
    paramsPath: Path,
    options?: ExprOptions,
  ): void;
  /** A form named by the action: undefined without a catalog or when unknown (then an issue is added). */
  form(path: Path, ref: FormRef): FormInfo | undefined;
  /** A published flow named by the action and its form. */
  flow(path: Path, ref: FormRef): { form: FormInfo; nodes: readonly string[] } | undefined;
};

/** A JSON record of something an action did, enough to undo it exactly. */
export type Effect = { readonly kind: string; readonly [detail: string]: unknown };

export type ChangeInput = {
  form: FormRef;
  recordId: string;
  op: 'insert' | 'update' | 'adjust' | 'undo';
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
};

/** The source of the event: its record (references as ids), flow instance and initiator. */
export type SourceView = {
  readonly form: FormRef;
  readonly record: FormRecord;
  readonly instanceId: string | null;
  readonly initiator: Omit<RecordContext, 'memberId'> & { memberId: string | null };
};

/** What an action kind sees while it runs: everything joins the event's transaction. */
export type ActionRuntime = {
  /** The event's transaction, acting as `system:rule:<pack>.<key>`. */
  readonly ctx: DbCtx;
  readonly rule: RuleDefinition;
  readonly runId: string;
  readonly source: SourceView;
  /** The row of `forEachRow` being handled (index from 0). */
  readonly row: { subtable: string; index: number } | undefined;
  /** Evaluates the expression compiled at this relative path (with the matched record's values for `$target`). */
  eval(path: Path, target?: Readonly<Record<string, unknown>>): Value;
  /** The same for an expression compiled in a subtable's row scope (`ExprOptions.scope`), at that row (from 0). */
  evalRow(path: Path, rowIndex: number, target?: Readonly<Record<string, unknown>>): Value;
  /**
   * What a named action (`as`) hands to the actions after it, read as `$actions.<as>.<name>`: the names its kind
   * declares in `output`. Ignored when the action is not named.
   */
  output(values: Readonly<Record<string, unknown>>): void;
  /** Fills a template with its params evaluated at `[...paramsPath, name]`. */
  text(
    label: Label,
    params: Readonly<Record<string, string>> | undefined,
    paramsPath: Path,
    target?: Readonly<Record<string, unknown>>,
  ): Label;
  /**
   * The one record of `form` whose fields equal the evaluated `match` (`id` matches the record id; voided records
   * never match). None: undefined, or RULE_TARGET_NOT_FOUND when `required`. Several: RULE_TARGET_AMBIGUOUS.
   */
  findTarget(
    form: FormRef,
    match: Readonly<Record<string, string>>,
    matchPath: Path,
    required: boolean,
  ): Promise<FormRecord | undefined>;
  /** A form of the rule's catalog (labels for messages). */
  form(ref: FormRef): FormInfo | undefined;
  /** Owner, department and unit of records the action creates: the initiator's. */
  readonly writeContext: RecordContext;
  /** The same transaction acting as a member (a flow started on someone's behalf). */
  memberCtx(memberId: string): DbCtx;
  /** Unique per run, action and row: idempotency keys of outbox rows. */
  readonly actionKey: string;
  effect(effect: Effect): void;
  logChange(change: ChangeInput): Promise<void>;
  /** A coded error for a value the action needs but got blank. */
  required(path: Path): Error;
};

/** What undoing a recorded effect sees (compensation). */
export type UndoRuntime = {
  readonly ctx: DbCtx;
  readonly rule: RuleDefinition;
  readonly runId: string;
  logChange(change: ChangeInput): Promise<void>;
};

/**
 * One action kind: its options, their checks against the forms, what it does and how its effects are undone.
 * Registered once in registry.ts; nothing else switches on `kind`.
 */
export type RuleActionDefinition<C = unknown> = {
  readonly kind: string;
  /** The kind-specific keys (everything but kind, when, forEachRow). Strict; defaults applied here. */
  readonly configSchema: z.ZodType<C>;
  /** Forms and flows the action names (the catalog publishRule loads). */
  refs?(config: C): { forms?: FormRef[]; flows?: FormRef[] };
  /**
   * What the action can hand to later actions of its rule when named with `as`: fixed names → types, plus (with
   * `fieldsOf`) every field expressions can read of the form (or the flow's form) named by that setting.
   * Kinds without it cannot be named.
   */
  readonly output?: ActionOutput;
  check?(config: C, context: CheckContext): void;
  run(rt: ActionRuntime, config: C): Promise<void>;
  /** Reverses one effect this kind recorded. Kinds without it (notify, callConnector, startFlow) are not undone. */
  undo?(rt: UndoRuntime, effect: Effect): Promise<void>;
};

export type ActionOutput = {
  readonly values: Readonly<Record<string, ValueType>>;
  readonly fieldsOf?: 'form' | 'flow';
};

export type AnyRuleAction = RuleActionDefinition<unknown>;

export function defineRuleAction<C>(definition: RuleActionDefinition<C>): RuleActionDefinition<C> {
  return Object.freeze(definition);
}
