import type { ProblemField } from '../../api/client.ts';
import type { MessageKey, Translate } from '../../i18n/index.ts';
import { locate, type Target, targetId } from './draft.ts';

// The server's definition issues (FORM_DEFINITION_INVALID: every issue with its path) placed on the part of the
// draft they name, so the canvas marks the field and the property panel the property.

export type DesignIssue = { target: Target; rest: (string | number)[]; code: string; message: string };

/** Issues by the id of what they name (`form`, or a field, subtable, column or section uid). */
export type IssueMap = ReadonlyMap<string, readonly DesignIssue[]>;

export function mapIssues(fields: ReadonlyArray<ProblemField>, paths: ReadonlyMap<string, Target>): IssueMap {
  const map = new Map<string, DesignIssue[]>();
  for (const field of fields) {
    const { target, rest } = locate(paths, field.path);
    const id = targetId(target);
    const list = map.get(id) ?? [];
    list.push({ target, rest, code: field.code ?? 'invalid', message: field.message });
    map.set(id, list);
  }
  return map;
}

/** The issues whose path inside their target starts with `prefix` (`['key']`, `['validation', 'expr']`). */
export function issuesUnder(list: readonly DesignIssue[] | undefined, prefix: ReadonlyArray<string | number>) {
  return (list ?? []).filter((issue) => prefix.every((part, i) => String(issue.rest[i]) === String(part)));
}

// Codes of kernel/form's definition checks with a text of our own; the server writes those in English only.
const codeTexts: Readonly<Record<string, MessageKey>> = {
  key_syntax: 'design.issue.keySyntax',
  key_reserved: 'design.issue.keyReserved',
  key_too_long: 'design.issue.keyTooLong',
  name_too_long: 'design.issue.keyTooLong',
  duplicate_key: 'design.issue.duplicateKey',
  not_in_subtable: 'design.issue.notInSubtable',
  formula_cycle: 'design.issue.formulaCycle',
  default_not_allowed: 'design.issue.defaultNotAllowed',
  default_type: 'design.issue.defaultType',
  not_money_field: 'design.issue.notMoneyField',
  bad_total: 'design.issue.badTotal',
  bad_rows: 'design.issue.badRows',
};

export function issueText(issue: DesignIssue, t: Translate): string {
  const last = issue.rest[issue.rest.length - 1];
  const labelPart = issue.rest[issue.rest.length - 2];
  if (labelPart === 'label' && (last === 'zh' || last === 'en') && issue.code === 'too_small') {
    return t('design.issue.labelRequired');
  }
  const key = codeTexts[issue.code];
  return key ? t(key) : issue.message;
}
