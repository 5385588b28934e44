import { ArrowLeftOutlined, DeleteOutlined, PlusOutlined, SwapOutlined } from '@ant-design/icons';
import { Button, Flex, Input, InputNumber, Radio, Select, Switch, Typography } from 'antd';
import type { ReactNode } from 'react';
import type { FlowSummary } from '../../api/flows.ts';
import type { FormSummary } from '../../form-runtime/api.ts';
import { registrySemantics } from '../../form-runtime/semantics.ts';
import { type FormDefinition, pickLabel } from '../../form-runtime/types.ts';
import { type MessageKey, type Translate, useLocale, useT } from '../../i18n/index.ts';
import { ExpressionInput, type ExprScope } from './expression-input.tsx';
import { usePublishedFlow, usePublishedForm } from './published.ts';
import {
  type Issue,
  issuesAt,
  issuesUnder,
  type JsonSchema,
  type MappingRow,
  type RowsMapping,
  sameNameRows,
  writable,
} from './rule-model.ts';

// An action's settings drawn from its JSON Schema (GET /api/rules/registry): `x-widget` says what a value is — an
// expression, a form, a target field ← expression table … — and the form or flow named beside a table decides the
// fields it offers. A kind the web does not know is still edited: unknown shapes fall back to JSON text.

export type SettingsContext = {
  /** The path of this object in the definition (`['actions', 2]`): the server's issues are found by it. */
  path: (string | number)[];
  issues: readonly Issue[] | null;
  scope: ExprScope;
  forms: readonly FormSummary[];
  flows: readonly FlowSummary[];
  idPrefix: string;
};

const widgetOf = (schema: JsonSchema | undefined) =>
  schema?.['x-widget'] ?? schema?.anyOf?.find((branch) => branch['x-widget'])?.['x-widget'];

/** A catalogue text where there is one, else `fallback`. */
function textOr(t: Translate, key: string, fallback: string): string {
  return (t(key as MessageKey) as string | undefined) ?? fallback;
}

export const settingLabel = (t: Translate, name: string) => textOr(t, `ruleDesign.setting.${name}`, name);
export const valueLabel = (t: Translate, value: string) => textOr(t, `ruleDesign.value.${value}`, value);

function IssueText({ issues }: { issues: readonly Issue[] }) {
  if (issues.length === 0) return null;
  return (
    <div role="alert">
      <ul className="design-draft-issues">
        {issues.map((issue) => (
          <li key={`${issue.path.join('.')}:${issue.code}`} data-path={issue.path.join('.')}>
            {issue.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The form a mapping writes to: the object's `form`, or the form of its `flow`. */
function useTarget(value: Record<string, unknown>, schema: JsonSchema): FormDefinition | undefined {
  const entries = Object.entries(schema.properties ?? {});
  const formName = entries.find(([, property]) => widgetOf(property) === 'form')?.[0];
  const flowName = entries.find(([, property]) => widgetOf(property) === 'flow')?.[0];
  // guard: the record its lookup finds is the `$target` of its condition and message.
  const nested = entries.find(
    ([name, property]) =>
      property.properties &&
      Object.values(property.properties).some((inner) => widgetOf(inner) === 'form') &&
      value[name],
  );
  const nestedForm = nested ? (value[nested[0]] as Record<string, unknown>).form : undefined;
  const formRef = formName ? String(value[formName] ?? '') : typeof nestedForm === 'string' ? nestedForm : '';
  const form = usePublishedForm(formRef);
  const flow = usePublishedFlow(flowName ? String(value[flowName] ?? '') : '');
  return form ?? flow?.form;
}

function MappingTable({
  id,
  widget,
  rows,
  onChange,
  target,
  ctx,
  path,
  scope: given,
  sameNameFrom,
}: {
  id: string;
  widget: string;
  rows: MappingRow[];
  onChange: (rows: MappingRow[]) => void;
  /** Whose fields the rows write (a subtable's columns as `fields` for `columns`). */
  target: FormDefinition | undefined;
  ctx: SettingsContext;
  path: (string | number)[];
  /** What the expressions see, when not the action's scope with `target` as `$target`. */
  scope?: ExprScope;
  /** 同名映射 from these fields (the source form's for `set`). */
  sameNameFrom?: FormDefinition | undefined;
}) {
  const t = useT();
  const locale = useLocale();
  const named = widget === 'params';
  const fieldOptions = (target?.fields ?? [])
    .filter((field) => widget === 'match' || writable(field, registrySemantics))
    .map((field) => ({ value: field.key, label: `${pickLabel(field.label, locale)} (${field.key})` }));
  if (widget === 'match') fieldOptions.unshift({ value: 'id', label: t('ruleDesign.mapping.recordId') });
  // A match is evaluated before the record is found: it cannot read `$target`.
  const scope: ExprScope =
    given ?? (widget === 'match' ? { ...ctx.scope, target: undefined } : { ...ctx.scope, target });
  const update = (index: number, patch: Partial<MappingRow>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  const source = sameNameFrom ?? (widget === 'set' ? ctx.scope.source : undefined);
  return (
    <div className="rule-mapping" id={id} data-widget={widget}>
      {rows.length > 0 && (
        <div className="rule-mapping-head" aria-hidden>
          <span>
            {named
              ? t('ruleDesign.mapping.name')
              : widget === 'columns'
                ? t('ruleDesign.mapping.column')
                : t('ruleDesign.mapping.target')}
          </span>
          <span>{t('ruleDesign.mapping.expression')}</span>
        </div>
      )}
      {rows.map((row, index) => {
        const field = target?.fields.find((f) => f.key === row.key);
        const expect = field ? (registrySemantics(field).exprType ?? undefined) : undefined;
        const rowIssues = row.key ? issuesUnder(ctx.issues, [...path, row.key]) : [];
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place; their key may be blank
          <div className="rule-mapping-row" key={index} data-row={row.key || `#${index}`}>
            {named || !target ? (
              <Input
                aria-label={t('ruleDesign.mapping.rowKey', { n: index + 1 })}
                value={row.key}
                onChange={(e) => update(index, { key: e.target.value })}
                className="rule-mapping-key"
              />
            ) : (
              <Select
                aria-label={t('ruleDesign.mapping.rowKey', { n: index + 1 })}
                value={row.key || undefined}
                onChange={(key: string) => update(index, { key })}
                options={fieldOptions}
                showSearch={{ optionFilterProp: 'label' }}
                className="rule-mapping-key"
                popupMatchSelectWidth={false}
              />
            )}
            <ArrowLeftOutlined aria-hidden className="rule-mapping-arrow" />
            <div className="rule-mapping-expr">
              <ExpressionInput
                id={`${id}-${index}`}
                label={`${t('ruleDesign.mapping.expression')} ${index + 1}`}
                value={row.expr}
                onChange={(expr) => update(index, { expr })}
                scope={scope}
                expect={widget === 'params' ? undefined : row.key === 'id' ? 'text' : expect}
                issues={rowIssues}
              />
            </div>
            <Button
              aria-label={t('ruleDesign.mapping.removeRow', { n: index + 1 })}
              icon={<DeleteOutlined aria-hidden />}
              onClick={() => onChange(rows.filter((_, i) => i !== index))}
            />
          </div>
        );
      })}
      <Flex gap={8} wrap>
        <Button
          size="small"
          icon={<PlusOutlined aria-hidden />}
          onClick={() => onChange([...rows, { key: '', expr: '' }])}
        >
          {t('ruleDesign.mapping.addRow')}
        </Button>
        {source && target && (
          <Button
            size="small"
            icon={<SwapOutlined aria-hidden />}
            onClick={() => onChange([...rows, ...sameNameRows(source, target, rows, registrySemantics)])}
          >
            {t('ruleDesign.mapping.sameName')}
          </Button>
        )}
      </Flex>
    </div>
  );
}

/** A subtable's columns (or a form's fields) as the `fields` of a form, for a mapping table that writes them. */
const asForm = (form: FormDefinition, fields: FormDefinition['fields']): FormDefinition => ({ ...form, fields });

/**
 * writeBack's `subtables`: per target subtable, where its rows come from (a subtable of the record, or one row from
 * the record), which rows (`when`), each column's expression in that row's scope and, on an update, whether they
 * replace the rows there or are added after them.
 */
function RowsEditor({
  id,
  mappings,
  onChange,
  target,
  withTarget,
  ctx,
  path,
}: {
  id: string;
  mappings: RowsMapping[];
  onChange: (mappings: RowsMapping[]) => void;
  target: FormDefinition | undefined;
  /** update / upsert: the matched record is `$target` (an insert has none). */
  withTarget: boolean;
  ctx: SettingsContext;
  path: (string | number)[];
}) {
  const t = useT();
  const locale = useLocale();
  const source = ctx.scope.source;
  const targetSubs = target?.subtables ?? [];
  const sourceSubs = source?.subtables ?? [];
  const update = (index: number, patch: Partial<RowsMapping>) =>
    onChange(mappings.map((mapping, i) => (i === index ? { ...mapping, ...patch } : mapping)));
  const taken = (index: number) => new Set(mappings.filter((_, i) => i !== index).map((m) => m.subtable));
  const add = () => {
    const free = targetSubs.find((sub) => !taken(-1).has(sub.key));
    onChange([...mappings, { subtable: free?.key ?? '', from: '', when: '', set: [], onUpdate: 'replace' }]);
  };
  return (
    <div className="rule-rows" id={id}>
      {mappings.map((mapping, index) => {
        const at = [...path, mapping.subtable];
        const idp = `${id}-${index}`;
        const sub = targetSubs.find((each) => each.key === mapping.subtable);
        const from = sourceSubs.find((each) => each.key === mapping.from);
        const scope: ExprScope = {
          ...ctx.scope,
          row: mapping.from || ctx.scope.row,
          target: withTarget ? target : undefined,
        };
        const keyed = mapping.subtable !== '';
        const others = taken(index);
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: mappings are edited in place; their subtable may be blank
          <div className="rule-rows-item" key={index} data-subtable={mapping.subtable || `#${index}`}>
            <div className="rule-settings">
              <div className="rule-setting">
                <label className="rule-setting-label-text" htmlFor={`${idp}-subtable`}>
                  {t('ruleDesign.rows.subtable')}
                  <span className="rule-setting-required"> *</span>
                </label>
                <div className="rule-setting-control">
                  <Flex gap={8} align="center">
                    {target ? (
                      <Select
                        id={`${idp}-subtable`}
                        value={mapping.subtable || undefined}
                        onChange={(subtable: string) => update(index, { subtable, set: [] })}
                        options={targetSubs.map((each) => ({
                          value: each.key,
                          label: `${pickLabel(each.label, locale)} (${each.key})`,
                          disabled: others.has(each.key),
                        }))}
                        className="rule-setting-ref"
                      />
                    ) : (
                      <Input
                        id={`${idp}-subtable`}
                        value={mapping.subtable}
                        onChange={(e) => update(index, { subtable: e.target.value })}
                        className="rule-setting-ref"
                      />
                    )}
                    <Button
                      aria-label={t('ruleDesign.rows.remove', { n: index + 1 })}
                      icon={<DeleteOutlined aria-hidden />}
                      onClick={() => onChange(mappings.filter((_, i) => i !== index))}
                    />
                  </Flex>
                  <IssueText issues={keyed ? issuesAt(ctx.issues, at) : []} />
                </div>
              </div>
              <div className="rule-setting">
                <label className="rule-setting-label-text" htmlFor={`${idp}-from`}>
                  {t('ruleDesign.rows.from')}
                </label>
                <div className="rule-setting-control">
                  <Select
                    id={`${idp}-from`}
                    allowClear
                    placeholder={t('ruleDesign.rows.fromNone')}
                    value={mapping.from || undefined}
                    onChange={(value?: string) => update(index, { from: value ?? '' })}
                    options={sourceSubs.map((each) => ({
                      value: each.key,
                      label: `${pickLabel(each.label, locale)} (${each.key})`,
                    }))}
                    className="rule-setting-ref"
                  />
                  <IssueText issues={keyed ? issuesUnder(ctx.issues, [...at, 'from']) : []} />
                </div>
              </div>
              <div className="rule-setting">
                <label className="rule-setting-label-text" htmlFor={`${idp}-when`}>
                  {t('ruleDesign.rows.when')}
                </label>
                <div className="rule-setting-control">
                  <ExpressionInput
                    id={`${idp}-when`}
                    value={mapping.when}
                    onChange={(when) => update(index, { when })}
                    scope={scope}
                    expect="boolean"
                    optional
                    issues={keyed ? issuesUnder(ctx.issues, [...at, 'when']) : []}
                  />
                </div>
              </div>
              <div className="rule-setting">
                <label className="rule-setting-label-text" htmlFor={`${idp}-set`}>
                  {t('ruleDesign.rows.set')}
                  <span className="rule-setting-required"> *</span>
                </label>
                <div className="rule-setting-control">
                  <p className="rule-design-hint">{t('ruleDesign.rows.hint')}</p>
                  <MappingTable
                    id={`${idp}-set`}
                    widget="columns"
                    rows={mapping.set}
                    onChange={(set) => update(index, { set })}
                    target={target && sub ? asForm(target, sub.columns) : undefined}
                    ctx={ctx}
                    path={[...at, 'set']}
                    scope={scope}
                    sameNameFrom={source ? asForm(source, from ? from.columns : source.fields) : undefined}
                  />
                  <IssueText issues={keyed ? issuesAt(ctx.issues, [...at, 'set']) : []} />
                </div>
              </div>
              {withTarget && (
                <div className="rule-setting">
                  <span className="rule-setting-label-text" id={`${idp}-onUpdate`}>
                    {t('ruleDesign.rows.onUpdate')}
                  </span>
                  <div className="rule-setting-control">
                    <Radio.Group
                      aria-labelledby={`${idp}-onUpdate`}
                      optionType="button"
                      value={mapping.onUpdate}
                      onChange={(e) => update(index, { onUpdate: e.target.value })}
                      options={(['replace', 'append'] as const).map((value) => ({
                        value,
                        label: valueLabel(t, value),
                      }))}
                    />
                  </div>
                </div>
              )}
            </div>
          </div>
        );
      })}
      <Flex gap={8} wrap>
        <Button
          size="small"
          icon={<PlusOutlined aria-hidden />}
          onClick={add}
          disabled={target !== undefined && targetSubs.every((each) => taken(-1).has(each.key))}
        >
          {t('ruleDesign.rows.add')}
        </Button>
      </Flex>
    </div>
  );
}

function RefSelect({
  id,
  widget,
  value,
  onChange,
  ctx,
}: {
  id: string;
  widget: 'form' | 'flow';
  value: string;
  onChange: (value: string) => void;
  ctx: SettingsContext;
}) {
  const locale = useLocale();
  const options =
    widget === 'form'
      ? ctx.forms.map((f) => ({
          value: `${f.pack}.${f.key}`,
          label: `${pickLabel(f.name, locale)} (${f.pack}.${f.key})`,
        }))
      : ctx.flows.map((f) => ({
          value: `${f.pack}.${f.key}`,
          label: `${pickLabel(f.name, locale)} (${f.pack}.${f.key})`,
        }));
  return (
    <Select
      id={id}
      value={value || undefined}
      onChange={onChange}
      options={options}
      showSearch={{ optionFilterProp: 'label' }}
      className="rule-setting-ref"
    />
  );
}

/** One setting: its label, its control, the server's issues at its path. */
function Setting({
  name,
  schema,
  required,
  value,
  onChange,
  target,
  siblings,
  ctx,
}: {
  name: string;
  schema: JsonSchema;
  required: boolean;
  value: unknown;
  onChange: (value: unknown) => void;
  target: FormDefinition | undefined;
  /** The other settings of the same object (a row mapping reads `$target` only when `mode` finds a record). */
  siblings: Record<string, unknown>;
  ctx: SettingsContext;
}) {
  const t = useT();
  const locale = useLocale();
  const path = [...ctx.path, name];
  const id = `${ctx.idPrefix}-${name}`;
  const widget = widgetOf(schema);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  let control: ReactNode;
  let ownIssues = issuesUnder(ctx.issues, path);
  if (widget === 'set' || widget === 'match' || widget === 'params') {
    control = (
      <MappingTable
        id={id}
        widget={widget}
        rows={Array.isArray(value) ? (value as MappingRow[]) : []}
        onChange={onChange}
        target={target}
        ctx={ctx}
        path={path}
      />
    );
    // Row issues are shown on their rows; the table's own (no row named, empty match …) under it.
    const keys = new Set((Array.isArray(value) ? (value as MappingRow[]) : []).map((row) => row.key));
    ownIssues = ownIssues.filter(
      (issue) => issue.path.length === path.length || !keys.has(String(issue.path[path.length])),
    );
  } else if (widget === 'rows') {
    const mappings = Array.isArray(value) ? (value as RowsMapping[]) : [];
    control = (
      <RowsEditor
        id={id}
        mappings={mappings}
        onChange={(next) => onChange(next.length > 0 ? next : undefined)}
        target={target}
        withTarget={siblings.mode !== undefined && siblings.mode !== 'insert'}
        ctx={ctx}
        path={path}
      />
    );
    // Each mapping shows its own; under the editor, those of subtables it does not list.
    const keys = new Set(mappings.map((mapping) => mapping.subtable));
    ownIssues = ownIssues.filter(
      (issue) => issue.path.length === path.length || !keys.has(String(issue.path[path.length])),
    );
  } else if (widget === 'form' || widget === 'flow') {
    control = <RefSelect id={id} widget={widget} value={String(value ?? '')} onChange={onChange} ctx={ctx} />;
  } else if (widget === 'targetField') {
    control = (
      <Select
        id={id}
        value={(value as string) || undefined}
        onChange={onChange}
        options={(target?.fields ?? []).map((field) => ({
          value: field.key,
          label: `${pickLabel(field.label, locale)} (${field.key})`,
        }))}
        className="rule-setting-ref"
      />
    );
  } else if (widget === 'expression') {
    control = (
      <ExpressionInput
        id={id}
        value={String(value ?? '')}
        onChange={onChange}
        scope={{ ...ctx.scope, target }}
        expect={schema['x-expect']}
        optional={!required}
        issues={ownIssues}
      />
    );
    ownIssues = [];
  } else if (widget === 'label' || (schema.properties?.zh && schema.properties.en)) {
    const label = (value as { zh?: string; en?: string } | undefined) ?? {};
    control = (
      <Flex gap={8} wrap id={id}>
        <Input
          aria-label={`${settingLabel(t, name)} ${t('ruleDesign.zh')}`}
          addonBefore="中"
          value={label.zh ?? ''}
          onChange={(e) => onChange({ ...label, zh: e.target.value })}
          className="rule-setting-label"
        />
        <Input
          aria-label={`${settingLabel(t, name)} ${t('ruleDesign.en')}`}
          addonBefore="EN"
          value={label.en ?? ''}
          onChange={(e) => onChange({ ...label, en: e.target.value })}
          className="rule-setting-label"
        />
      </Flex>
    );
  } else if (schema.enum) {
    const options = schema.enum.map((option) => ({ value: String(option), label: valueLabel(t, String(option)) }));
    control =
      options.length <= 4 ? (
        <Radio.Group
          id={id}
          optionType="button"
          value={value ?? schema.default}
          onChange={(e) => onChange(e.target.value)}
          options={options}
        />
      ) : (
        <Select id={id} value={value ?? schema.default} onChange={onChange} options={options} style={{ width: 200 }} />
      );
  } else if (type === 'boolean') {
    control = (
      <Switch
        id={id}
        aria-label={settingLabel(t, name)}
        checked={Boolean(value ?? schema.default)}
        onChange={(checked) => onChange(checked)}
      />
    );
  } else if (type === 'integer' || type === 'number') {
    control = (
      <InputNumber
        id={id}
        value={typeof value === 'number' ? value : null}
        onChange={(next) => onChange(next ?? undefined)}
        {...(schema.minimum !== undefined ? { min: schema.minimum } : {})}
        {...(schema.maximum !== undefined ? { max: schema.maximum } : {})}
      />
    );
  } else if (type === 'object' && schema.properties) {
    const inner = value as Record<string, unknown> | undefined;
    control = (
      <Flex vertical gap={8}>
        {!required && (
          <Switch
            aria-label={settingLabel(t, name)}
            checked={inner !== undefined}
            onChange={(on) => onChange(on ? {} : undefined)}
          />
        )}
        {(inner !== undefined || required) && (
          <div className="rule-setting-group">
            <SettingsObject
              schema={schema}
              value={inner ?? {}}
              onChange={onChange}
              ctx={{ ...ctx, path, idPrefix: id }}
            />
          </div>
        )}
      </Flex>
    );
    ownIssues = issuesAt(ctx.issues, path);
  } else if (type === 'string') {
    control = <Input id={id} value={String(value ?? '')} onChange={(e) => onChange(e.target.value)} />;
  } else {
    control = (
      <Input.TextArea
        id={id}
        defaultValue={value === undefined ? '' : JSON.stringify(value)}
        onBlur={(e) => {
          const text = e.target.value.trim();
          if (text === '') return onChange(undefined);
          try {
            onChange(JSON.parse(text));
          } catch {
            onChange(text);
          }
        }}
        autoSize={{ minRows: 1, maxRows: 6 }}
        className="rule-setting-json"
      />
    );
  }
  return (
    <div className="rule-setting" data-setting={name}>
      <label className="rule-setting-label-text" htmlFor={id}>
        {settingLabel(t, name)}
        {required && <span className="rule-setting-required"> *</span>}
      </label>
      <div className="rule-setting-control">
        {control}
        <IssueText issues={ownIssues} />
      </div>
    </div>
  );
}

/** Every property of an object schema in its order, with the form named among them as the target of its tables. */
export function SettingsObject({
  schema,
  value,
  onChange,
  ctx,
}: {
  schema: JsonSchema;
  value: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
  ctx: SettingsContext;
}) {
  const t = useT();
  const target = useTarget(value, schema);
  const properties = Object.entries(schema.properties ?? {});
  if (properties.length === 0) return <Typography.Text type="secondary">{t('ruleDesign.noSettings')}</Typography.Text>;
  return (
    <div className="rule-settings">
      {properties.map(([name, property]) => (
        <Setting
          key={name}
          name={name}
          schema={property}
          required={schema.required?.includes(name) ?? false}
          value={value[name]}
          onChange={(next) => {
            const copy = { ...value };
            if (next === undefined) delete copy[name];
            else copy[name] = next;
            onChange(copy);
          }}
          target={target}
          siblings={value}
          ctx={ctx}
        />
      ))}
    </div>
  );
}
