import { SearchOutlined, UndoOutlined } from '@ant-design/icons';
import { Button, DatePicker, Flex, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { type DateRangeValue, datePresets, type ReportDefinition, type ReportParam } from '../../api/reports.ts';
import type { WidgetContext } from '../../field-types/define.ts';
import { DepartmentPicker } from '../../field-types/department/picker.tsx';
import { MemberPicker } from '../../field-types/member/picker.tsx';
import { optionsOf } from '../../field-types/shared.tsx';
import { formsApi } from '../../form-runtime/api.ts';
import { type FieldDefinition, type FormDefinition, pickLabel } from '../../form-runtime/types.ts';
import { type MessageKey, useLocale, useT } from '../../i18n/index.ts';

export type ParamValues = Record<string, unknown>;

/** What a parameter starts with: its declared default, or nothing (the server applies the same default). */
export function defaultParams(definition: ReportDefinition): ParamValues {
  const values: ParamValues = {};
  for (const param of definition.params) {
    if ((param.type === 'dateRange' || param.type === 'options') && param.default !== undefined) {
      values[param.key] = param.default;
    }
  }
  return values;
}

/**
 * The field an options parameter takes its codes from: a field of the report's form, a column of its subtable
 * (`lines.kind`) or a field of a joined form (`customer.industry`).
 */
async function optionField(definition: ReportDefinition, path: string): Promise<FieldDefinition | undefined> {
  const main = (await formsApi.get(definition.form.pack, definition.form.key)).definition;
  const [head, rest] = path.includes('.') ? (path.split('.', 2) as [string, string]) : [path, undefined];
  if (rest === undefined) return main.fields.find((field) => field.key === head);
  if (definition.subtable === head) {
    return main.subtables?.find((sub) => sub.key === head)?.columns.find((column) => column.key === rest);
  }
  const join = definition.joins.find((j) => (j.as ?? j.field) === head);
  const reference = main.fields.find((field) => field.key === join?.field);
  const target = reference?.form as { pack: string; key: string } | undefined;
  if (!target) return undefined;
  const joined: FormDefinition = (await formsApi.get(target.pack, target.key)).definition;
  return joined.fields.find((field) => field.key === rest);
}

function useOptionFields(definition: ReportDefinition): Record<string, FieldDefinition | undefined> {
  const [fields, setFields] = useState<Record<string, FieldDefinition | undefined>>({});
  useEffect(() => {
    let alive = true;
    const wanted = definition.params.filter((p) => p.type === 'options');
    void Promise.all(
      wanted.map(async (param) => [param.key, await optionField(definition, param.field).catch(() => undefined)]),
    ).then((pairs) => alive && setFields(Object.fromEntries(pairs)));
    return () => {
      alive = false;
    };
  }, [definition]);
  return fields;
}

const CUSTOM = 'custom';
const ANY = 'any';

function DateRangeInput({
  id,
  value,
  onChange,
}: {
  id: string;
  value: DateRangeValue | undefined;
  onChange: (value: DateRangeValue | undefined) => void;
}) {
  const t = useT();
  const chosen = value === undefined ? ANY : 'preset' in value ? value.preset : CUSTOM;
  const [custom, setCustom] = useState(chosen === CUSTOM);
  const range = value && !('preset' in value) ? value : undefined;
  const picked: [Dayjs | null, Dayjs | null] = [
    range?.from ? dayjs(range.from) : null,
    range?.to ? dayjs(range.to) : null,
  ];
  return (
    <Flex gap={8} wrap className="report-param-range">
      <Select
        id={id}
        className="report-param-preset"
        value={custom ? CUSTOM : chosen}
        onChange={(next: string) => {
          if (next === CUSTOM) {
            setCustom(true);
            return;
          }
          setCustom(false);
          onChange(next === ANY ? undefined : { preset: next as (typeof datePresets)[number] });
        }}
        options={[
          { value: ANY, label: t('reports.params.any') },
          ...datePresets.map((preset) => ({ value: preset, label: t(`reports.preset.${preset}` as MessageKey) })),
          { value: CUSTOM, label: t('reports.params.custom') },
        ]}
      />
      {custom && (
        <DatePicker.RangePicker
          className="report-param-dates"
          aria-label={t('reports.params.custom')}
          allowEmpty={[true, true]}
          value={picked}
          onChange={(dates) => {
            const from = dates?.[0]?.format('YYYY-MM-DD');
            const to = dates?.[1]?.format('YYYY-MM-DD');
            onChange(from || to ? { ...(from ? { from } : {}), ...(to ? { to } : {}) } : undefined);
          }}
        />
      )}
    </Flex>
  );
}

function ParamInput({
  param,
  value,
  onChange,
  field,
  ctx,
}: {
  param: ReportParam;
  value: unknown;
  onChange: (value: unknown) => void;
  field: FieldDefinition | undefined;
  ctx: WidgetContext;
}) {
  const id = `report-param-${param.key}`;
  const pseudo: FieldDefinition = { key: param.key, label: param.label, type: param.type };
  switch (param.type) {
    case 'dateRange':
      return <DateRangeInput id={id} value={value as DateRangeValue | undefined} onChange={onChange} />;
    case 'department':
      return (
        <DepartmentPicker
          field={pseudo}
          value={value ?? null}
          onChange={onChange}
          mode="edit"
          id={id}
          ctx={ctx}
          multiple={param.multiple}
        />
      );
    case 'member':
      return (
        <MemberPicker
          field={pseudo}
          value={value ?? null}
          onChange={onChange}
          mode="edit"
          id={id}
          ctx={ctx}
          multiple={param.multiple}
        />
      );
    case 'options': {
      const options = (field ? optionsOf(field) : []).map((option) => ({
        value: option.code,
        label: pickLabel(option.label, ctx.locale),
      }));
      const list = Array.isArray(value) ? (value as string[]) : typeof value === 'string' ? [value] : [];
      return (
        <Select
          id={id}
          className="field-select"
          mode={param.multiple ? 'multiple' : undefined}
          allowClear
          loading={field === undefined}
          placeholder={ctx.t('reports.params.choose')}
          value={param.multiple ? list : list[0]}
          options={options}
          optionFilterProp="label"
          onChange={(next: string | string[] | undefined) => {
            if (Array.isArray(next)) onChange(next.length > 0 ? next : undefined);
            else onChange(next ?? undefined);
          }}
        />
      );
    }
  }
}

/** The parameter panel: one input per declared parameter, applied together with 查询. */
export function ReportParams({
  definition,
  values,
  onApply,
}: {
  definition: ReportDefinition;
  values: ParamValues;
  onApply: (values: ParamValues) => void;
}) {
  const t = useT();
  const locale = useLocale();
  const [draft, setDraft] = useState<ParamValues>(values);
  useEffect(() => setDraft(values), [values]);
  const fields = useOptionFields(definition);
  const ctx: WidgetContext = useMemo(() => ({ form: definition.form, locale, t }), [definition.form, locale, t]);
  return (
    <form
      className="report-params"
      aria-label={t('reports.params.title')}
      onSubmit={(event) => {
        event.preventDefault();
        onApply(draft);
      }}
    >
      <div className="report-params-grid">
        {definition.params.map((param) => (
          <div key={param.key} className="report-param" data-param={param.key} data-type={param.type}>
            <label htmlFor={`report-param-${param.key}`} className="report-param-label">
              {pickLabel(param.label, locale)}
              {param.required && <span className="report-param-required"> *</span>}
              {param.type === 'department' && param.withSubDepartments && (
                <span className="report-param-note">（{t('reports.params.withSub')}）</span>
              )}
            </label>
            <ParamInput
              param={param}
              value={draft[param.key]}
              onChange={(next) => setDraft((current) => ({ ...current, [param.key]: next }))}
              field={fields[param.key]}
              ctx={ctx}
            />
          </div>
        ))}
      </div>
      <Flex gap={8} justify="flex-end" className="report-params-actions">
        <Button
          icon={<UndoOutlined aria-hidden />}
          onClick={() => {
            const reset = defaultParams(definition);
            setDraft(reset);
            onApply(reset);
          }}
        >
          {t('reports.params.reset')}
        </Button>
        <Button type="primary" htmlType="submit" icon={<SearchOutlined aria-hidden />}>
          {t('reports.params.apply')}
        </Button>
      </Flex>
    </form>
  );
}
