import { prepareSchema } from '@baton/expression';
import { useMemo } from 'react';
import { registrySemantics } from '../../form-runtime/semantics.ts';
import type { Label } from '../../form-runtime/types.ts';
import { type MessageKey, type Translate, useT } from '../../i18n/index.ts';
import { type PickerEntry, pickerEntries } from '../design/expression.ts';
import { FormulaEditor } from '../design/formula-editor.tsx';
import { type Issue, type OutputName, ruleSchema, type ScopeForms } from './rule-model.ts';

/** What an expression of the rule sees: the source form, `$before`, the matched `$target`, a subtable row. */
export type ExprScope = ScopeForms & {
  /** The registry's `$` names and types. */
  context: Record<string, string>;
  /** forEachRow (or a row mapping's `from`): bare names are this subtable's cells, `$row` the row's number. */
  row?: string | undefined;
  /** What named actions before this one hand on (`$actions.<as>.*`). */
  outputs?: readonly OutputName[] | undefined;
};

/** The label of a `$` name: a catalogue text where there is one, else the name itself. */
export function contextLabel(t: Translate, name: string): Label {
  const text = t(`ruleDesign.ctx.${name}` as MessageKey) as string | undefined;
  return { zh: text ?? `$${name}`, en: text ?? `$${name}` };
}

function contextEntries(scope: ExprScope, t: Translate): PickerEntry[] {
  const entries: PickerEntry[] = Object.entries(scope.context).map(([name, type]) => ({
    insert: `$${name}`,
    label: contextLabel(t, name),
    type,
    kind: 'field',
  }));
  const prefixed = (prefix: string, fields: ScopeForms['source'], zh: string, en: string) => {
    for (const field of fields?.fields ?? []) {
      const type = registrySemantics(field).exprType;
      if (!type) continue;
      entries.push({
        insert: `$${prefix}.${field.key}`,
        label: { zh: `${zh}.${field.label.zh}`, en: `${en}.${field.label.en}` },
        type,
        kind: 'field',
      });
    }
  };
  if (scope.row) entries.push({ insert: '$row', label: contextLabel(t, 'row'), type: 'number', kind: 'field' });
  for (const output of scope.outputs ?? []) {
    const value = output.field?.label ?? contextLabel(t, `output.${output.value}`);
    entries.push({
      insert: `$${output.path}`,
      label: { zh: `${output.name}.${value.zh}`, en: `${output.name}.${value.en}` },
      type: output.type,
      kind: 'field',
    });
  }
  if (scope.before) prefixed('before', scope.source, t('ruleDesign.ctx.before'), t('ruleDesign.ctx.before'));
  if (scope.target) prefixed('target', scope.target, t('ruleDesign.ctx.target'), t('ruleDesign.ctx.target'));
  return entries;
}

/**
 * An expression of a rule in the form designer's formula editor: field picker (the record's fields, subtable
 * columns, `$initiator.*`, `$target.*` …), the function list and live type-checking against the same schema the
 * server compiles it with; the server's issues at this path are shown under it.
 */
export function ExpressionInput({
  id,
  value,
  onChange,
  scope,
  expect,
  optional,
  issues,
  label,
}: {
  id: string;
  /** Its name where no <label for> names it. */
  label?: string;
  value: string;
  onChange: (value: string) => void;
  scope: ExprScope;
  expect?: string | undefined;
  optional?: boolean;
  issues?: readonly Issue[];
}) {
  const t = useT();
  const { source, target, before, context, row, outputs } = scope;
  const schema = useMemo(() => {
    const readable = { ...context, ...Object.fromEntries((outputs ?? []).map((output) => [output.path, output.type])) };
    return prepareSchema(ruleSchema({ source, target, before: before ?? false }, readable, registrySemantics)).schema;
  }, [source, target, before, context, outputs]);
  const entries = useMemo(() => {
    const fields = source ? pickerEntries(source, registrySemantics, row ? { scope: row } : {}) : [];
    return [...fields, ...contextEntries({ source, target, before, context, row, outputs }, t)];
  }, [source, target, before, context, row, outputs, t]);
  return (
    <FormulaEditor
      id={id}
      value={value}
      onChange={onChange}
      // Without the source form the names cannot be checked here: the server's check still runs.
      schema={source ? schema : undefined}
      {...(row ? { scope: row } : {})}
      {...(expect ? { expect } : {})}
      optional={optional ?? false}
      entries={entries}
      serverIssues={(issues ?? []).map((issue) => issue.message)}
      {...(label ? { label } : {})}
    />
  );
}
