import type { ProblemField } from '../../api/client.ts';
import type { Translate } from '../../i18n/index.ts';
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

/**
 * An issue in the caller's words: the server words every code of kernel/form's definition checks in the language
 * the request asked for (its FormIssues catalogue, with the key, type or cycle named); only a blank label, which
 * reaches it as the schema's generic `too_small`, gets a text of our own.
 */
export function issueText(issue: DesignIssue, t: Translate): string {
  const last = issue.rest[issue.rest.length - 1];
  const labelPart = issue.rest[issue.rest.length - 2];
  if (labelPart === 'label' && (last === 'zh' || last === 'en') && issue.code === 'too_small') {
    return t('design.issue.labelRequired');
  }
  return issue.message;
}
