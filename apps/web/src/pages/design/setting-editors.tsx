import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { PreparedSchema } from '@baton/expression';
import { Button, Input, InputNumber, Select } from 'antd';
import type { ReactNode } from 'react';
import { useEffect, useState } from 'react';
import type { DesignSetting } from '../../field-types/define.ts';
import { findWebFieldType } from '../../field-types/registry.ts';
import { type FormSummary, formsApi } from '../../form-runtime/api.ts';
import { type FieldDefinition, type FormDefinition, type Label, pickLabel } from '../../form-runtime/types.ts';
import { useLocale, useT } from '../../i18n/index.ts';
import type { PickerEntry } from './expression.ts';
import { FormulaEditor } from './formula-editor.tsx';

// One editor per kind of DesignSetting (field-types/define.ts): the property panel draws a field's type-specific
// properties from its type's `design.settings`, never from its type name.

export type SettingContext = {
  /** The field being edited, with its current config. */
  field: FieldDefinition;
  definition: FormDefinition;
  schema: PreparedSchema | undefined;
  scope?: string;
  entries: readonly PickerEntry[];
  /** Server issue texts under this setting (`options.1.code` → under `options`). */
  issues: readonly string[];
  idPrefix: string;
};

type EditorProps<S extends DesignSetting> = {
  setting: S;
  value: unknown;
  onChange: (value: unknown) => void;
  ctx: SettingContext;
};

type Editor<S extends DesignSetting> = (props: EditorProps<S>) => ReactNode;

type Editors = { [K in DesignSetting['kind']]: Editor<Extract<DesignSetting, { kind: K }>> };

/** A labelled property with its issues underneath. */
export function Prop({
  id,
  label,
  issues = [],
  children,
  help,
}: {
  id?: string;
  label: ReactNode;
  issues?: readonly string[];
  children: ReactNode;
  help?: ReactNode;
}) {
  return (
    <div className={`design-prop${issues.length > 0 ? ' design-prop-invalid' : ''}`}>
      {id ? (
        <label className="design-prop-label" htmlFor={id}>
          {label}
        </label>
      ) : (
        <div className="design-prop-label">{label}</div>
      )}
      {children}
      {help && <div className="design-prop-help">{help}</div>}
      {issues.map((issue) => (
        <div key={issue} className="design-prop-error" role="alert">
          {issue}
        </div>
      ))}
    </div>
  );
}

type Option = { code: string; label: Label };

function OptionsEditor({ value, onChange, ctx }: EditorProps<Extract<DesignSetting, { kind: 'options' }>>) {
  const t = useT();
  const options: Option[] = Array.isArray(value) ? (value as Option[]) : [];
  const set = (next: Option[]) => onChange(next);
  const update = (index: number, change: Partial<Option>) =>
    set(options.map((option, i) => (i === index ? { ...option, ...change } : option)));
  const move = (index: number, delta: number) => {
    const target = index + delta;
    if (target < 0 || target >= options.length) return;
    const next = [...options];
    [next[index], next[target]] = [next[target] as Option, next[index] as Option];
    set(next);
  };
  const add = () => {
    const taken = new Set(options.map((o) => o.code));
    let n = options.length + 1;
    while (taken.has(`option${n}`)) n += 1;
    set([...options, { code: `option${n}`, label: { zh: `选项${n}`, en: `Option ${n}` } }]);
  };
  return (
    <Prop label={t('design.prop.options')} issues={ctx.issues}>
      <ol className="design-options">
        {options.map((option, index) => {
          const n = index + 1;
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: codes change as they are typed; the position is the identity
            <li key={index} className="design-option" data-option={index}>
              <Input
                size="small"
                className="design-option-zh"
                value={option.label.zh}
                aria-label={t('design.prop.optionZh', { n })}
                placeholder={t('design.prop.labelZh')}
                onChange={(event) => update(index, { label: { ...option.label, zh: event.target.value } })}
              />
              <Input
                size="small"
                className="design-option-en"
                value={option.label.en}
                aria-label={t('design.prop.optionEn', { n })}
                placeholder={t('design.prop.labelEn')}
                onChange={(event) => update(index, { label: { ...option.label, en: event.target.value } })}
              />
              <Input
                size="small"
                className="design-option-code"
                value={option.code}
                aria-label={t('design.prop.optionCode', { n })}
                placeholder={t('design.prop.optionCodePlaceholder')}
                onChange={(event) => update(index, { code: event.target.value.trim() })}
              />
              <span className="design-option-actions">
                <Button
                  size="small"
                  type="text"
                  icon={<ArrowUpOutlined aria-hidden />}
                  aria-label={t('design.prop.optionUp', { n })}
                  disabled={index === 0}
                  onClick={() => move(index, -1)}
                />
                <Button
                  size="small"
                  type="text"
                  icon={<ArrowDownOutlined aria-hidden />}
                  aria-label={t('design.prop.optionDown', { n })}
                  disabled={index === options.length - 1}
                  onClick={() => move(index, 1)}
                />
                <Button
                  size="small"
                  type="text"
                  danger
                  icon={<DeleteOutlined aria-hidden />}
                  aria-label={t('design.prop.optionRemove', { n })}
                  disabled={options.length <= 1}
                  onClick={() => set(options.filter((_, i) => i !== index))}
                />
              </span>
            </li>
          );
        })}
      </ol>
      <Button size="small" icon={<PlusOutlined aria-hidden />} onClick={add}>
        {t('design.prop.addOption')}
      </Button>
    </Prop>
  );
}

function NumberEditor({
  setting,
  value,
  onChange,
  ctx,
}: EditorProps<Extract<DesignSetting, { kind: 'integer' | 'decimal' | 'money' }>>) {
  const locale = useLocale();
  const id = `${ctx.idPrefix}-${setting.name}`;
  const money = setting.kind === 'money';
  const shown = typeof value === 'number' ? (money ? value / 100 : value) : null;
  return (
    <Prop id={id} label={pickLabel(setting.label, locale)} issues={ctx.issues}>
      <InputNumber
        id={id}
        size="small"
        className="design-number"
        value={shown}
        min={setting.min}
        max={setting.max}
        precision={setting.kind === 'integer' ? 0 : money ? 2 : undefined}
        onChange={(next) => {
          if (next === null || next === undefined) onChange(undefined);
          else onChange(money ? Math.round(Number(next) * 100) : Number(next));
        }}
      />
    </Prop>
  );
}

function TextEditor({ setting, value, onChange, ctx }: EditorProps<Extract<DesignSetting, { kind: 'text' }>>) {
  const locale = useLocale();
  const id = `${ctx.idPrefix}-${setting.name}`;
  return (
    <Prop id={id} label={pickLabel(setting.label, locale)} issues={ctx.issues}>
      <Input
        id={id}
        size="small"
        value={typeof value === 'string' ? value : ''}
        placeholder={setting.placeholder}
        onChange={(event) => {
          const next = event.target.value;
          onChange(next === '' && !setting.required ? undefined : next);
        }}
      />
      {setting.insert && <PlaceholderPicker setting={setting} value={value} onChange={onChange} ctx={ctx} />}
    </Prop>
  );
}

/** Inserts a placeholder (a serial's `{department}`, `{field:key}`) before the sequence part, else at the end. */
function PlaceholderPicker({ setting, value, onChange, ctx }: EditorProps<Extract<DesignSetting, { kind: 'text' }>>) {
  const locale = useLocale();
  const insert = setting.insert;
  if (!insert) return null;
  const fields = ctx.definition.fields.filter(
    (field) => field.key !== ctx.field.key && insert.fieldTypes.includes(field.type),
  );
  const options = [
    ...insert.fixed.map((part) => ({ value: part.value, label: `${pickLabel(part.label, locale)} ${part.value}` })),
    ...fields.map((field) => ({
      value: `{field:${field.key}}`,
      label: `${pickLabel(field.label, locale)} {field:${field.key}}`,
    })),
  ];
  const add = (part: string) => {
    const text = typeof value === 'string' ? value : '';
    const at = text.indexOf('{seq:');
    onChange(at < 0 ? `${text}${part}` : `${text.slice(0, at)}${part}-${text.slice(at)}`);
  };
  return (
    <Select
      size="small"
      className="design-select design-insert-part"
      aria-label={pickLabel(insert.label, locale)}
      placeholder={pickLabel(insert.label, locale)}
      value={null}
      options={options}
      onChange={(part: string) => add(part)}
    />
  );
}

function ChoiceEditor({ setting, value, onChange, ctx }: EditorProps<Extract<DesignSetting, { kind: 'choice' }>>) {
  const locale = useLocale();
  const id = `${ctx.idPrefix}-${setting.name}`;
  return (
    <Prop id={id} label={pickLabel(setting.label, locale)} issues={ctx.issues}>
      <Select
        id={id}
        size="small"
        className="design-select"
        value={value as string | number | undefined}
        options={setting.choices.map((choice) => ({ value: choice.value, label: pickLabel(choice.label, locale) }))}
        onChange={(next) => onChange(next)}
      />
    </Prop>
  );
}

function FormulaSetting({ setting, value, onChange, ctx }: EditorProps<Extract<DesignSetting, { kind: 'formula' }>>) {
  const locale = useLocale();
  const id = `${ctx.idPrefix}-${setting.name}`;
  return (
    <Prop id={id} label={pickLabel(setting.label, locale)}>
      <FormulaEditor
        id={id}
        value={typeof value === 'string' ? value : ''}
        onChange={(next) => onChange(next)}
        schema={ctx.schema}
        {...(ctx.scope ? { scope: ctx.scope } : {})}
        expect={String(ctx.field[setting.expectFrom] ?? 'number')}
        entries={ctx.entries}
        serverIssues={ctx.issues}
      />
    </Prop>
  );
}

function FieldChoiceEditor({ setting, value, onChange, ctx }: EditorProps<Extract<DesignSetting, { kind: 'field' }>>) {
  const locale = useLocale();
  const t = useT();
  const id = `${ctx.idPrefix}-${setting.name}`;
  const candidates = ctx.definition.fields.filter(
    (field) =>
      field.key !== ctx.field.key && findWebFieldType(field.type).semantics(field).exprType === setting.exprType,
  );
  return (
    <Prop id={id} label={pickLabel(setting.label, locale)} issues={ctx.issues}>
      <Select
        id={id}
        size="small"
        className="design-select"
        value={typeof value === 'string' && value ? value : undefined}
        placeholder={t('fieldType.choose')}
        notFoundContent={t('design.prop.noCandidates')}
        options={candidates.map((field) => ({
          value: field.key,
          label: `${pickLabel(field.label, locale)} (${field.key})`,
        }))}
        onChange={(next) => onChange(next)}
      />
    </Prop>
  );
}

function formRefOf(value: unknown): { pack: string; key: string } | undefined {
  if (typeof value === 'string' && value.includes('.')) {
    const [pack, key] = value.split('.');
    return pack && key ? { pack, key } : undefined;
  }
  if (value && typeof value === 'object' && 'pack' in value && 'key' in value) {
    const ref = value as { pack: unknown; key: unknown };
    return typeof ref.pack === 'string' && typeof ref.key === 'string' ? { pack: ref.pack, key: ref.key } : undefined;
  }
  return undefined;
}

let publishedForms: Promise<FormSummary[]> | undefined;
function publishedFormsOnce(): Promise<FormSummary[]> {
  publishedForms ??= formsApi.list().catch((error) => {
    publishedForms = undefined;
    throw error;
  });
  return publishedForms;
}

function FormChoiceEditor({ setting, value, onChange, ctx }: EditorProps<Extract<DesignSetting, { kind: 'form' }>>) {
  const locale = useLocale();
  const t = useT();
  const id = `${ctx.idPrefix}-${setting.name}`;
  const [forms, setForms] = useState<FormSummary[]>([]);
  useEffect(() => {
    let alive = true;
    publishedFormsOnce().then(
      (list) => alive && setForms(list),
      () => undefined,
    );
    return () => {
      alive = false;
    };
  }, []);
  const ref = formRefOf(value);
  return (
    <Prop id={id} label={pickLabel(setting.label, locale)} issues={ctx.issues}>
      <Select
        id={id}
        size="small"
        className="design-select"
        showSearch={{ optionFilterProp: 'label' }}
        value={ref ? `${ref.pack}.${ref.key}` : undefined}
        placeholder={t('fieldType.choose')}
        options={forms.map((form) => ({
          value: `${form.pack}.${form.key}`,
          label: `${pickLabel(form.name, locale)} (${form.pack}.${form.key})`,
        }))}
        onChange={(next: string) => {
          const [pack, key] = next.split('.');
          onChange({ pack, key });
        }}
      />
    </Prop>
  );
}

function TargetFieldEditor({
  setting,
  value,
  onChange,
  ctx,
}: EditorProps<Extract<DesignSetting, { kind: 'targetField' }>>) {
  const locale = useLocale();
  const t = useT();
  const id = `${ctx.idPrefix}-${setting.name}`;
  const ref = formRefOf(ctx.field[setting.formFrom]);
  const target = ref ? `${ref.pack}.${ref.key}` : '';
  const [fields, setFields] = useState<FieldDefinition[]>([]);
  useEffect(() => {
    let alive = true;
    const [pack, key] = target.split('.');
    if (!pack || !key) {
      setFields([]);
      return;
    }
    formsApi.get(pack, key).then(
      (form) => alive && setFields(form.definition.fields),
      () => alive && setFields([]),
    );
    return () => {
      alive = false;
    };
  }, [target]);
  return (
    <Prop id={id} label={pickLabel(setting.label, locale)} issues={ctx.issues}>
      <Select
        id={id}
        size="small"
        className="design-select"
        value={typeof value === 'string' && value ? value : undefined}
        placeholder={t('fieldType.choose')}
        disabled={!ref}
        options={fields.map((field) => ({
          value: field.key,
          label: `${pickLabel(field.label, locale)} (${field.key})`,
        }))}
        onChange={(next) => onChange(next)}
      />
    </Prop>
  );
}

const editors: Editors = {
  options: OptionsEditor,
  integer: NumberEditor,
  decimal: NumberEditor,
  money: NumberEditor,
  text: TextEditor,
  choice: ChoiceEditor,
  formula: FormulaSetting,
  field: FieldChoiceEditor,
  form: FormChoiceEditor,
  targetField: TargetFieldEditor,
};

/** The editor of one setting, looked up by its kind. */
export function SettingEditor(props: EditorProps<DesignSetting>) {
  const Editor = editors[props.setting.kind] as Editor<DesignSetting>;
  return <Editor {...props} />;
}
