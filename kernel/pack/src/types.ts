import type { FieldIssue } from '@baton/core';
import type { FlowDefinition, FlowDefinitionInput } from '@baton/flow';
import type { FormDefinition, FormDefinitionInput } from '@baton/form';
import type { ReportDefinition, ReportDefinitionInput } from '@baton/report';
import type { RuleDefinition, RuleDefinitionInput } from '@baton/rule';

export type Label = { zh: string; en: string };

/** The record scopes a role can be granted on a form beyond its own records (ADR 0004). */
export const grantableScopes = ['department', 'departmentAndBelow', 'managedDepartments', 'unit', 'all'] as const;
export type GrantableScope = (typeof grantableScopes)[number];

/**
 * What a role may do with one form of the pack: `create` (fill in; read and change one's own records),
 * `read` / `write` the records inside the given scopes (write implies read). Forms are named by key.
 */
export type FormRight = { form: string; create?: boolean; read?: GrantableScope[]; write?: GrantableScope[] };
/** Filing requests on one flow of the pack. */
export type FlowRight = { flow: string; start: boolean };
export type PackRight = FormRight | FlowRight;

/**
 * A role the pack relies on, by its org code. Installing creates it when the organisation lacks it and grants
 * it the permissions; members are assigned in the role editor (or by the demo data).
 */
export type PackRole = { code: string; name: Label; description?: Label; permissions: PackRight[] };

/** One entry of a pack menu: a form's records (`view: 'list'`, default) or new-record page, a flow, a report. */
export type PackMenuItem = {
  key: string;
  label: Label;
  form?: string;
  flow?: string;
  report?: string;
  view?: 'list' | 'new';
};
export type PackMenu = { key: string; label: Label; icon?: string; items: PackMenuItem[] };

export type PackLocales = { 'zh-CN': Record<string, string>; 'en-US': Record<string, string> };

/** A rule of kernel/rule over the pack's forms and flows (defineRule, or its input). */
export type PackRule = RuleDefinitionInput | RuleDefinition;
/** A report of kernel/report over the pack's forms (defineReport, or its input). */
export type PackReport = ReportDefinitionInput | ReportDefinition;

/**
 * A member of the organisation the demo data acts as, resolved at install time:
 * `head:<department>` (its head), `staff:<department>:<n>` (the n-th member, by code, whose main department
 * it is, the head left out), `role:<code>[:<n>]` (the n-th holder by code), `login:<login>`. A department is
 * named by its name, or `<unit code>/<name>` when names repeat across units.
 */
export type DemoMember = string;

/**
 * Values of demo records may hold placeholders, resolved at load: `{ $member: DemoMember }`,
 * `{ $members: DemoMember[] }`, `{ $department: name }`, `{ $record: ref }` (a record loaded earlier, for
 * reference fields), `{ $find: { form, where: { field: value } } }` (the one record of a pack form with those
 * values — one a rule wrote, say), `{ $date: days }` (today + days, Asia/Shanghai), `{ $datetime: days, at?: 'HH:MM' }`.
 */
export type DemoValues = Record<string, unknown>;

export type DemoRecord = { ref?: string; form: string; by: DemoMember; values: DemoValues };
/** An approval may write `values` under the node's field permissions (the cashier's paid amount and time). */
export type DemoStep = { action: 'approve' | 'reject'; by: DemoMember; opinion?: string; values?: DemoValues };
/** A request filed on a flow by `by`, then acted on in order by `steps` (left pending after the last). */
export type DemoFiling = {
  ref?: string;
  flow: string;
  by: DemoMember;
  title?: string;
  values: DemoValues;
  steps?: DemoStep[];
};
/** Role assignments the demo needs (`'everyone'`: every active member). */
export type DemoAssignment = { role: string; members: DemoMember[] | 'everyone' };
export type PackDemo = { assignments?: DemoAssignment[]; records?: DemoRecord[]; filings?: DemoFiling[] };

/** What a pack author writes (forms and flows may already be defined with defineForm / defineFlow). */
export type PackInput = {
  /** camelCase ASCII; the `pack` of every form and flow, and the prefix of their tables (`f_<key>_<form>`). */
  key: string;
  /** major.minor.patch; an installed pack is never replaced by an older version. */
  version: string;
  name: Label;
  description?: Label;
  forms: ReadonlyArray<FormDefinitionInput | FormDefinition>;
  flows: ReadonlyArray<FlowDefinitionInput | FlowDefinition>;
  rules?: ReadonlyArray<PackRule>;
  reports?: ReadonlyArray<PackReport>;
  menus: PackMenu[];
  roles: PackRole[];
  locales: PackLocales;
  demo?: PackDemo;
};

/** A validated, deep-frozen pack with its content hash. */
export type PackDefinition = Readonly<{
  key: string;
  version: string;
  name: Label;
  description?: Label;
  forms: readonly FormDefinition[];
  flows: readonly FlowDefinition[];
  rules: readonly RuleDefinition[];
  reports: readonly ReportDefinition[];
  menus: readonly PackMenu[];
  roles: readonly PackRole[];
  locales: PackLocales;
  demo: PackDemo;
  hash: string;
}>;

export type PackIssue = FieldIssue & { message: string };
