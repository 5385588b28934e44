import { DeleteOutlined, PlayCircleOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Dropdown,
  Empty,
  Flex,
  Input,
  InputNumber,
  Result,
  Select,
  Skeleton,
  Switch,
  Tabs,
} from 'antd';
import { type ReactNode, useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { datePresets, type ReportDefinition, type ReportResult } from '../../api/reports.ts';
import { ApiErrorBody, describeApiError } from '../../api/use-api-error-notice.tsx';
import { type FormSummary, formsApi } from '../../form-runtime/api.ts';
import { type Label, pickLabel } from '../../form-runtime/types.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useIsNarrow } from '../../hooks/use-media-query.ts';
import { type MessageKey, useLocale, useT } from '../../i18n/index.ts';
import { PageHeader } from '../../layout/page-header.tsx';
import { DraftHeader, DraftIssues, VersionTable } from '../designer-common/draft-parts.tsx';
import { useDesignerDraft } from '../designer-common/use-designer-draft.ts';
import { useLoad } from '../records/use-form-definition.ts';
import { LazyChart } from '../reports/lazy-chart.tsx';
import { chartSpec, type Texts } from '../reports/report-model.ts';
import { defaultParams, type ParamValues, ReportParams } from '../reports/report-params.tsx';
import { ReportTable } from '../reports/report-table.tsx';
import { usePublishedForm } from '../rule-design/published.ts';
import { type ReportVersion, reportDesignApi } from './report-design-api.ts';
import {
  type Aggregate,
  aggregateNames,
  autoDimensionKey,
  bucketNames,
  chartNames,
  columnKeys,
  type DimensionDraft,
  fieldsFor,
  freshKey,
  type Issue,
  issuesUnder,
  listPatches,
  type MeasureDraft,
  measureFields,
  newParam,
  newReport,
  type ParamDraft,
  type ParamType,
  paramIssues,
  paramTypes,
  type ReportDraft,
  reportIn,
  reportOut,
  type SourceField,
  sectionOf,
} from './report-draft.ts';
import '../reports/reports.css';
import './report-design.css';

const blank = (): Label => ({ zh: '', en: '' });

/** A labelled control with the server's issues under it. */
function Field({ id, label, issues, children }: { id?: string; label: string; issues?: Issue[]; children: ReactNode }) {
  return (
    <div className="report-design-field">
      {id ? (
        <label htmlFor={id} className="report-design-label">
          {label}
        </label>
      ) : (
        <span className="report-design-label">{label}</span>
      )}
      <div className="report-design-control">
        {children}
        <DraftIssues issues={issues ?? []} />
      </div>
    </div>
  );
}

function LabelPair({
  id,
  value,
  onChange,
  placeholder,
}: {
  id: string;
  value: Label;
  onChange: (label: Label) => void;
  placeholder?: Label;
}) {
  const t = useT();
  return (
    <Flex gap={6} wrap>
      <Input
        id={`${id}-zh`}
        aria-label={`${t('reportDesign.label')} ${t('reportDesign.zh')}`}
        addonBefore="中"
        value={value.zh}
        placeholder={placeholder?.zh}
        onChange={(e) => onChange({ ...value, zh: e.target.value })}
        className="report-design-label-input"
      />
      <Input
        id={`${id}-en`}
        aria-label={`${t('reportDesign.label')} ${t('reportDesign.en')}`}
        addonBefore="EN"
        value={value.en}
        placeholder={placeholder?.en}
        onChange={(e) => onChange({ ...value, en: e.target.value })}
        className="report-design-label-input"
      />
    </Flex>
  );
}

const fieldOption = (field: SourceField, locale: string) => ({
  value: field.path,
  label: `${pickLabel(field.label, locale)} (${field.path})`,
});

function Remove({ label, onClick }: { label: string; onClick: () => void }) {
  return <Button aria-label={label} icon={<DeleteOutlined aria-hidden />} onClick={onClick} />;
}

/** Appends an item to one of the draft's lists. */
function Add({
  label,
  onClick,
  disabled,
  className,
}: {
  label: string;
  onClick: () => void;
  disabled?: boolean;
  className?: string;
}) {
  return (
    <div>
      <Button
        size="small"
        icon={<PlusOutlined aria-hidden />}
        disabled={disabled}
        onClick={onClick}
        className={className}
      >
        {label}
      </Button>
    </div>
  );
}

type SectionProps = {
  draft: ReportDraft;
  set: (patch: Partial<ReportDraft>) => void;
  fields: SourceField[];
  issues: Issue[] | null;
};

function SourceSection({ draft, set, fields, issues, forms }: SectionProps & { forms: FormSummary[] }) {
  const t = useT();
  const locale = useLocale();
  const form = usePublishedForm(draft.form);
  const joins = listPatches(draft, 'joins');
  return (
    <Card size="small" title={t('reportDesign.source')} className="report-design-section" data-section="source">
      <Flex vertical gap={10}>
        <Field id="report-form" label={t('reportDesign.form')} issues={issuesUnder(issues, ['form'])}>
          <Select
            id="report-form"
            value={draft.form || undefined}
            onChange={(value: string) => set({ form: value, subtable: '', joins: [] })}
            options={forms.map((f) => ({
              value: `${f.pack}.${f.key}`,
              label: `${pickLabel(f.name, locale)} (${f.pack}.${f.key})`,
            }))}
            showSearch={{ optionFilterProp: 'label' }}
            className="report-design-select"
          />
        </Field>
        {(form?.subtables ?? []).length > 0 && (
          <Field id="report-subtable" label={t('reportDesign.subtable')} issues={issuesUnder(issues, ['subtable'])}>
            <Select
              id="report-subtable"
              allowClear
              placeholder={t('reportDesign.subtable.none')}
              value={draft.subtable || undefined}
              onChange={(value?: string) => set({ subtable: value ?? '' })}
              options={(form?.subtables ?? []).map((sub) => ({
                value: sub.key,
                label: `${pickLabel(sub.label, locale)} (${sub.key})`,
              }))}
              className="report-design-select"
            />
          </Field>
        )}
        {draft.joins.map((join, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: joins are edited in place
          <Flex gap={8} wrap key={index} data-join={index}>
            <Field label={t('reportDesign.join', { n: index + 1 })} issues={issuesUnder(issues, ['joins', index])}>
              <Flex gap={8} wrap>
                <Select
                  aria-label={t('reportDesign.joinField', { n: index + 1 })}
                  value={join.field || undefined}
                  onChange={(field: string) => set(joins.change(index, { field }))}
                  options={fieldsFor(fields, 'join')
                    .filter((f) => f.scope !== 'join')
                    .map((f) => fieldOption(f, locale))}
                  className="report-design-select"
                />
                <Input
                  aria-label={t('reportDesign.joinAs', { n: index + 1 })}
                  addonBefore={t('reportDesign.as')}
                  value={join.as}
                  placeholder={join.field}
                  onChange={(e) => set(joins.change(index, { as: e.target.value }))}
                  style={{ width: 200 }}
                />
                <Remove
                  label={t('reportDesign.removeJoin', { n: index + 1 })}
                  onClick={() => set(joins.remove(index))}
                />
              </Flex>
            </Field>
          </Flex>
        ))}
        <Add
          label={t('reportDesign.addJoin')}
          disabled={fieldsFor(fields, 'join').length === 0}
          onClick={() => set(joins.add({ field: '', as: '' }))}
        />
      </Flex>
    </Card>
  );
}

function ParamCard({
  draft,
  index,
  param,
  update,
  remove,
  fields,
  issues,
}: {
  draft: ReportDraft;
  index: number;
  param: ParamDraft;
  update: (param: ParamDraft) => void;
  remove: () => void;
  fields: SourceField[];
  issues: Issue[] | null;
}) {
  const t = useT();
  const locale = useLocale();
  const id = `report-params-${index}`;
  const set = (patch: Partial<ParamDraft>) => update({ ...param, ...patch });
  const mine = paramIssues(draft, issues, index);
  return (
    <Card
      size="small"
      className={`report-design-item${mine.length > 0 ? ' design-draft-invalid' : ''}`}
      data-param={index}
      title={`${t(`reportDesign.param.${param.type}` as MessageKey)} · ${param.key}`}
      extra={<Remove label={t('reportDesign.removeParam', { key: param.key })} onClick={remove} />}
    >
      <Flex vertical gap={8}>
        <Field id={`${id}-key`} label={t('reportDesign.key')}>
          <Input id={`${id}-key`} value={param.key} onChange={(e) => set({ key: e.target.value.trim() })} />
        </Field>
        <Field label={t('reportDesign.label')}>
          <LabelPair id={`${id}-label`} value={param.label} onChange={(label) => set({ label })} />
        </Field>
        {param.type === 'options' && (
          <Field id={`${id}-field`} label={t('reportDesign.optionsOf')}>
            <Select
              id={`${id}-field`}
              value={param.field || undefined}
              onChange={(field: string) => set({ field })}
              options={fieldsFor(fields, 'options').map((f) => fieldOption(f, locale))}
              className="report-design-select"
            />
          </Field>
        )}
        {param.type === 'dateRange' && (
          <Field id={`${id}-preset`} label={t('reportDesign.preset')}>
            <Select
              id={`${id}-preset`}
              allowClear
              value={param.preset || undefined}
              onChange={(preset?: string) => set({ preset: preset ?? '' })}
              options={datePresets.map((preset) => ({
                value: preset,
                label: t(`reports.preset.${preset}` as MessageKey),
              }))}
              className="report-design-select"
            />
          </Field>
        )}
        <Field id={`${id}-filters`} label={t('reportDesign.filters')}>
          <Select
            id={`${id}-filters`}
            mode="multiple"
            value={param.filters}
            onChange={(filters: string[]) => set({ filters })}
            options={fieldsFor(fields, param.type).map((f) => fieldOption(f, locale))}
            className="report-design-select"
          />
        </Field>
        <Flex gap={16} wrap>
          <Flex gap={6} align="center">
            <Switch
              id={`${id}-required`}
              checked={param.required}
              onChange={(required) => set({ required })}
              aria-label={t('reportDesign.required')}
            />
            <label htmlFor={`${id}-required`}>{t('reportDesign.required')}</label>
          </Flex>
          {param.type !== 'dateRange' && (
            <Flex gap={6} align="center">
              <Switch
                id={`${id}-multiple`}
                checked={param.multiple}
                onChange={(multiple) => set({ multiple })}
                aria-label={t('reportDesign.multiple')}
              />
              <label htmlFor={`${id}-multiple`}>{t('reportDesign.multiple')}</label>
            </Flex>
          )}
          {param.type === 'department' && (
            <Flex gap={6} align="center">
              <Switch
                id={`${id}-sub`}
                checked={param.withSubDepartments}
                onChange={(withSubDepartments) => set({ withSubDepartments })}
                aria-label={t('reportDesign.withSub')}
              />
              <label htmlFor={`${id}-sub`}>{t('reportDesign.withSub')}</label>
            </Flex>
          )}
        </Flex>
        <DraftIssues issues={mine} />
      </Flex>
    </Card>
  );
}

function FiltersSection({ draft, set, fields, issues }: SectionProps) {
  const t = useT();
  const locale = useLocale();
  const keys = draft.params.map((p) => p.key);
  const params = listPatches(draft, 'params');
  return (
    <Card
      size="small"
      title={t('reportDesign.filtersSection')}
      className="report-design-section"
      data-section="filters"
    >
      <Flex vertical gap={10}>
        {draft.params.map((param, index) => (
          <ParamCard
            // biome-ignore lint/suspicious/noArrayIndexKey: parameters are edited in place; their key may change
            key={index}
            draft={draft}
            index={index}
            param={param}
            update={(next) => set(params.change(index, next))}
            remove={() => set(params.remove(index))}
            fields={fields}
            issues={issues}
          />
        ))}
        <div>
          <Dropdown
            trigger={['click']}
            menu={{
              items: paramTypes.map((type) => ({ key: type, label: t(`reportDesign.param.${type}` as MessageKey) })),
              onClick: ({ key }) => set(params.add(newParam(key as ParamType, keys))),
            }}
          >
            <Button size="small" icon={<PlusOutlined aria-hidden />}>
              {t('reportDesign.addParam')}
            </Button>
          </Dropdown>
        </div>
        <Field id="report-where" label={t('reportDesign.where')} issues={issuesUnder(issues, ['where'])}>
          <Flex vertical gap={6}>
            <Select
              size="small"
              value={null}
              placeholder={t('reportDesign.insertField')}
              aria-label={t('reportDesign.insertField')}
              options={fields.map((f) => fieldOption(f, locale))}
              showSearch={{ optionFilterProp: 'label' }}
              onChange={(path: string | null) => {
                if (path) set({ where: draft.where ? `${draft.where} ${path}` : path });
              }}
              style={{ maxWidth: 320 }}
              popupMatchSelectWidth={false}
            />
            <Input.TextArea
              id="report-where"
              value={draft.where}
              onChange={(e) => set({ where: e.target.value })}
              placeholder={t('reportDesign.wherePlaceholder')}
              autoSize={{ minRows: 1, maxRows: 4 }}
              className="report-design-code"
            />
          </Flex>
        </Field>
      </Flex>
    </Card>
  );
}

function DimensionRows({ axis, draft, set, fields, issues }: SectionProps & { axis: 'rows' | 'columns' }) {
  const t = useT();
  const locale = useLocale();
  const list = draft[axis];
  const max = axis === 'rows' ? 4 : 2;
  const dims = listPatches(draft, axis);
  const update = (index: number, patch: Partial<DimensionDraft>) => set(dims.change(index, patch));
  return (
    <Flex vertical gap={8}>
      <strong>{t(axis === 'rows' ? 'reportDesign.rows' : 'reportDesign.columns')}</strong>
      {list.map((dim, index) => {
        const id = `report-${axis}-${index}`;
        const field = fields.find((f) => f.path === dim.field);
        return (
          <Flex
            // biome-ignore lint/suspicious/noArrayIndexKey: dimensions are edited in place
            key={index}
            vertical
            gap={6}
            className={`report-design-item${issuesUnder(issues, [axis, index]).length > 0 ? ' design-draft-invalid' : ''}`}
            data-dimension={`${axis}.${index}`}
          >
            <Flex gap={8} wrap align="center">
              <Select
                id={`${id}-field`}
                aria-label={t('reportDesign.dimensionField', { n: index + 1 })}
                value={dim.field || undefined}
                onChange={(value: string) => update(index, { field: value, bucket: '', key: '', label: blank() })}
                options={fieldsFor(fields, 'dimension').map((f) => fieldOption(f, locale))}
                showSearch={{ optionFilterProp: 'label' }}
                className="report-design-select"
              />
              <Select
                id={`${id}-bucket`}
                aria-label={t('reportDesign.bucket', { n: index + 1 })}
                allowClear
                disabled={!field?.date}
                placeholder={t('reportDesign.bucket.none')}
                value={dim.bucket || undefined}
                onChange={(bucket?: string) => update(index, { bucket: bucket ?? '', key: '' })}
                options={bucketNames.map((bucket) => ({
                  value: bucket,
                  label: t(`reportDesign.bucket.${bucket}` as MessageKey),
                }))}
                style={{ width: 140 }}
              />
              <Input
                aria-label={t('reportDesign.dimensionKey', { n: index + 1 })}
                addonBefore={t('reportDesign.key')}
                value={dim.key}
                placeholder={dim.field ? autoDimensionKey(dim.field, dim.bucket) : ''}
                onChange={(e) => update(index, { key: e.target.value.trim() })}
                style={{ width: 220 }}
              />
              <Remove
                label={t('reportDesign.removeDimension', { n: index + 1 })}
                onClick={() => set(dims.remove(index))}
              />
            </Flex>
            <LabelPair
              id={`${id}-label`}
              value={dim.label}
              onChange={(label) => update(index, { label })}
              {...(field ? { placeholder: field.label } : {})}
            />
            <DraftIssues issues={issuesUnder(issues, [axis, index])} />
          </Flex>
        );
      })}
      <Add
        label={t(axis === 'rows' ? 'reportDesign.addRow' : 'reportDesign.addColumn')}
        disabled={list.length >= max}
        onClick={() => set(dims.add({ key: '', field: '', bucket: '', label: blank() }))}
        className={`report-design-add-${axis}`}
      />
    </Flex>
  );
}

function MeasuresSection({ draft, set, fields, issues }: SectionProps) {
  const t = useT();
  const locale = useLocale();
  const measures = listPatches(draft, 'measures');
  const computed = listPatches(draft, 'computed');
  const update = (index: number, patch: Partial<MeasureDraft>) => set(measures.change(index, patch));
  const taken = [...draft.measures.map((m) => m.key), ...draft.computed.map((c) => c.key)];
  return (
    <Card size="small" title={t('reportDesign.measures')} className="report-design-section" data-section="measures">
      <Flex vertical gap={10}>
        {draft.measures.map((measure, index) => {
          const id = `report-measures-${index}`;
          return (
            <Flex
              // biome-ignore lint/suspicious/noArrayIndexKey: measures are edited in place
              key={index}
              vertical
              gap={6}
              className={`report-design-item${issuesUnder(issues, ['measures', index]).length > 0 ? ' design-draft-invalid' : ''}`}
              data-measure={index}
            >
              <Flex gap={8} wrap align="center">
                <Input
                  id={`${id}-key`}
                  aria-label={t('reportDesign.measureKey', { n: index + 1 })}
                  addonBefore={t('reportDesign.key')}
                  value={measure.key}
                  onChange={(e) => update(index, { key: e.target.value.trim() })}
                  style={{ width: 200 }}
                />
                <Select
                  id={`${id}-agg`}
                  aria-label={t('reportDesign.aggregate', { n: index + 1 })}
                  value={measure.agg}
                  onChange={(agg: Aggregate) => update(index, { agg, ...(agg === 'count' ? { field: '' } : {}) })}
                  options={aggregateNames.map((agg) => ({
                    value: agg,
                    label: t(`reportDesign.agg.${agg}` as MessageKey),
                  }))}
                  style={{ width: 140 }}
                />
                <Select
                  id={`${id}-field`}
                  aria-label={t('reportDesign.measureField', { n: index + 1 })}
                  allowClear
                  placeholder={measure.agg === 'count' ? t('reportDesign.allRecords') : undefined}
                  value={measure.field || undefined}
                  onChange={(value?: string) => update(index, { field: value ?? '' })}
                  options={measureFields(fields, measure.agg).map((f) => fieldOption(f, locale))}
                  showSearch={{ optionFilterProp: 'label' }}
                  className="report-design-select"
                />
                <Remove
                  label={t('reportDesign.removeMeasure', { key: measure.key })}
                  onClick={() => set(measures.remove(index))}
                />
              </Flex>
              <LabelPair id={`${id}-label`} value={measure.label} onChange={(label) => update(index, { label })} />
              <Input
                aria-label={t('reportDesign.measureWhere', { n: index + 1 })}
                addonBefore={t('reportDesign.onlyWhere')}
                value={measure.where}
                onChange={(e) => update(index, { where: e.target.value })}
                className="report-design-code"
              />
              <DraftIssues issues={issuesUnder(issues, ['measures', index])} />
            </Flex>
          );
        })}
        <Add
          label={t('reportDesign.addMeasure')}
          onClick={() =>
            set(measures.add({ key: freshKey('count', taken), agg: 'count', field: '', where: '', label: blank() }))
          }
        />
        {draft.computed.map((item, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: computed columns are edited in place
          <Flex key={index} vertical gap={6} className="report-design-item" data-computed={index}>
            <Flex gap={8} wrap align="center">
              <Input
                aria-label={t('reportDesign.computedKey', { n: index + 1 })}
                addonBefore={t('reportDesign.key')}
                value={item.key}
                onChange={(e) => set(computed.change(index, { key: e.target.value.trim() }))}
                style={{ width: 200 }}
              />
              <Input
                aria-label={t('reportDesign.computedExpr', { n: index + 1 })}
                addonBefore="="
                value={item.expr}
                placeholder="ROUND(amount / count, 2)"
                onChange={(e) => set(computed.change(index, { expr: e.target.value }))}
                className="report-design-code"
                style={{ minWidth: 260, flex: 1 }}
              />
              <Remove
                label={t('reportDesign.removeComputed', { key: item.key })}
                onClick={() => set(computed.remove(index))}
              />
            </Flex>
            <LabelPair
              id={`report-computed-${index}-label`}
              value={item.label}
              onChange={(label) => set(computed.change(index, { label }))}
            />
            <DraftIssues issues={issuesUnder(issues, ['computed', index])} />
          </Flex>
        ))}
        <Add
          label={t('reportDesign.addComputed')}
          onClick={() => set(computed.add({ key: freshKey('computed', taken), expr: '', label: blank() }))}
        />
      </Flex>
    </Card>
  );
}

function OutputSection({ draft, set, fields, issues }: SectionProps) {
  const t = useT();
  const locale = useLocale();
  const keys = columnKeys(draft);
  const chart = draft.chart;
  const setChart = (patch: Partial<ReportDraft['chart']>) => set({ chart: { ...chart, ...patch } });
  const keyOptions = (list: string[]) => list.map((key) => ({ value: key, label: key }));
  const sort = listPatches(draft, 'sort');
  return (
    <Card size="small" title={t('reportDesign.output')} className="report-design-section" data-section="output">
      <Flex vertical gap={10}>
        <Flex gap={16} wrap align="center">
          <Flex gap={6} align="center">
            <Switch
              id="report-totals"
              checked={draft.totals}
              onChange={(totals) => set({ totals })}
              aria-label={t('reportDesign.totals')}
            />
            <label htmlFor="report-totals">{t('reportDesign.totals')}</label>
          </Flex>
          <Flex gap={6} align="center">
            <Switch
              id="report-subtotals"
              checked={draft.subtotals}
              onChange={(subtotals) => set({ subtotals })}
              aria-label={t('reportDesign.subtotals')}
            />
            <label htmlFor="report-subtotals">{t('reportDesign.subtotals')}</label>
          </Flex>
          <InputNumber
            aria-label={t('reportDesign.limit')}
            addonBefore={t('reportDesign.limit')}
            min={1}
            max={10000}
            value={draft.limit}
            onChange={(limit) => set({ limit: limit ?? null })}
            style={{ width: 180 }}
          />
        </Flex>
        <DraftIssues
          issues={[
            ...issuesUnder(issues, ['totals']),
            ...issuesUnder(issues, ['subtotals']),
            ...issuesUnder(issues, ['limit']),
          ]}
        />
        <Field id="report-chart-kind" label={t('reportDesign.chart')} issues={issuesUnder(issues, ['chart'])}>
          <Flex gap={8} wrap>
            <Select
              id="report-chart-kind"
              value={chart.kind}
              onChange={(kind: string) => setChart({ kind })}
              options={[
                { value: '', label: t('reportDesign.chart.auto') },
                ...chartNames.map((kind) => ({ value: kind, label: t(`reportDesign.chart.${kind}` as MessageKey) })),
              ]}
              style={{ width: 160 }}
            />
            {chart.kind !== '' && chart.kind !== 'table' && (
              <>
                <Select
                  aria-label={t('reportDesign.chart.x')}
                  allowClear
                  placeholder={t('reportDesign.chart.x')}
                  value={chart.x || undefined}
                  onChange={(x?: string) => setChart({ x: x ?? '' })}
                  options={keyOptions(keys.dimensions)}
                  style={{ width: 180 }}
                />
                <Select
                  aria-label={t('reportDesign.chart.series')}
                  allowClear
                  placeholder={t('reportDesign.chart.series')}
                  value={chart.series || undefined}
                  onChange={(series?: string) => setChart({ series: series ?? '' })}
                  options={keyOptions(keys.dimensions)}
                  style={{ width: 180 }}
                />
                <Select
                  aria-label={t('reportDesign.chart.measures')}
                  mode="multiple"
                  placeholder={t('reportDesign.chart.measures')}
                  value={chart.measures}
                  onChange={(measures: string[]) => setChart({ measures })}
                  options={keyOptions(keys.figures)}
                  style={{ minWidth: 200 }}
                />
              </>
            )}
          </Flex>
        </Field>
        {draft.sort.map((entry, index) => (
          <Field
            // biome-ignore lint/suspicious/noArrayIndexKey: sort keys are edited in place
            key={index}
            label={t('reportDesign.sortN', { n: index + 1 })}
            issues={issuesUnder(issues, ['sort', index])}
          >
            <Flex gap={8} wrap>
              <Select
                aria-label={t('reportDesign.sortBy', { n: index + 1 })}
                value={entry.by || undefined}
                onChange={(by: string) => set(sort.change(index, { by }))}
                options={keyOptions([...keys.dimensions, ...keys.figures])}
                style={{ width: 200 }}
              />
              <Select
                aria-label={t('reportDesign.sortDir', { n: index + 1 })}
                value={entry.dir}
                onChange={(dir: 'asc' | 'desc') => set(sort.change(index, { dir }))}
                options={[
                  { value: 'asc', label: t('reportDesign.asc') },
                  { value: 'desc', label: t('reportDesign.desc') },
                ]}
                style={{ width: 120 }}
              />
              <Remove label={t('reportDesign.removeSort', { n: index + 1 })} onClick={() => set(sort.remove(index))} />
            </Flex>
          </Field>
        ))}
        <Add label={t('reportDesign.addSort')} onClick={() => set(sort.add({ by: '', dir: 'asc' }))} />
        <Field id="report-drill" label={t('reportDesign.drill')} issues={issuesUnder(issues, ['drill'])}>
          <Select
            id="report-drill"
            mode="multiple"
            placeholder={t('reportDesign.drill.default')}
            value={draft.drill}
            onChange={(drill: string[]) => set({ drill })}
            options={fieldsFor(fields, 'dimension').map((f) => fieldOption(f, locale))}
            className="report-design-select"
          />
        </Field>
      </Flex>
    </Card>
  );
}

function Preview({ draft }: { draft: ReportDraft }) {
  const t = useT();
  const locale = useLocale();
  const narrow = useIsNarrow();
  const { message } = App.useApp();
  const [state, setState] = useState<{ definition: ReportDefinition; result: ReportResult } | null>(null);
  const [params, setParams] = useState<ParamValues | null>(null);
  const [error, setError] = useState<unknown>();
  const [running, setRunning] = useState(false);
  const texts: Texts = useMemo(
    () => ({ blank: t('reports.table.blank'), total: t('reports.table.total'), subtotal: t('reports.table.subtotal') }),
    [t],
  );
  const run = async (values: ParamValues | null) => {
    setRunning(true);
    setError(undefined);
    try {
      const answer = await reportDesignApi.preview(reportOut(draft), values ?? {});
      setState(answer);
      setParams(values ?? defaultParams(answer.definition));
    } catch (e) {
      setError(e);
    } finally {
      setRunning(false);
    }
  };
  // No group to draw yet (only the total row): the table says it all.
  const spec = state?.result.rows.some((row) => row.kind === 'detail')
    ? chartSpec(state.definition, state.result, locale, texts)
    : undefined;
  return (
    <Flex vertical gap={12} className="report-design-preview">
      <Flex gap={8} align="center" wrap>
        <Button type="primary" icon={<PlayCircleOutlined aria-hidden />} loading={running} onClick={() => run(params)}>
          {t('reportDesign.runPreview')}
        </Button>
        <span className="text-muted">{t('reportDesign.previewHint')}</span>
      </Flex>
      {error !== undefined && (
        <Alert
          type="error"
          showIcon
          className="report-design-preview-error"
          message={t('reports.runFailed')}
          description={<ApiErrorBody description={describeApiError(error, t, t('reports.runFailed'))} t={t} />}
        />
      )}
      {state && state.definition.params.length > 0 && params && (
        <Card size="small" title={t('reports.params.title')}>
          <ReportParams definition={state.definition} values={params} onApply={(values) => void run(values)} />
        </Card>
      )}
      {state &&
        (state.result.rows.length === 0 ? (
          <Empty description={t('reportDesign.noRows')} />
        ) : (
          <div aria-busy={running} className="report-design-result">
            {spec && (
              <Card size="small" title={t('reports.chart.title')}>
                <LazyChart
                  spec={spec}
                  locale={locale}
                  height={narrow ? 240 : 300}
                  label={t('reports.chart.label', { report: pickLabel(state.definition.label, locale) })}
                  failed={<Alert type="warning" showIcon title={t('reports.chart.failed')} />}
                  onPick={() => message.info(t('reportDesign.drillAfterPublish'))}
                />
              </Card>
            )}
            <Card size="small" title={t('reports.table.title')}>
              <ReportTable
                result={state.result}
                t={t}
                texts={texts}
                onPick={() => message.info(t('reportDesign.drillAfterPublish'))}
              />
            </Card>
          </div>
        ))}
    </Flex>
  );
}

const noFields: SourceField[] = [];

function ReportEditor({
  initial,
  isNew,
  forms,
  versions,
  taken,
  onPublished,
}: {
  initial: ReportDraft;
  isNew: boolean;
  forms: FormSummary[];
  versions: ReportVersion[];
  taken: ReadonlySet<string>;
  onPublished: (draft: ReportDraft) => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [tab, setTab] = useState('design');
  const editor = useDesignerDraft({
    initial,
    toDefinition: reportOut,
    api: reportDesignApi,
    delay: 400,
    texts: 'reportDesign',
    onPublished,
  });
  const { draft, setDraft, set } = editor;
  // The check also lists the fields the source offers; they stay while a later check is under way.
  const fields = editor.answer?.fields ?? noFields;
  const issues = editor.check.issues;
  const sectionProps: SectionProps = { draft, set, fields, issues };
  return (
    <Flex vertical gap={12} className="report-design">
      <DraftHeader
        kind="report"
        editor={editor}
        isNew={isNew}
        taken={taken}
        name={{
          ids: { zh: 'report-label-zh', en: 'report-label-en' },
          value: draft.label,
          onChange: (label) => set({ label }),
        }}
        headerIssues={(issues ?? []).filter((issue) => sectionOf(issue) === 'header')}
      />
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          {
            key: 'design',
            label: t('reportDesign.tab.design'),
            children: (
              <Flex vertical gap={12}>
                <SourceSection {...sectionProps} forms={forms} />
                <FiltersSection {...sectionProps} />
                <Card
                  size="small"
                  title={t('reportDesign.dimensions')}
                  className="report-design-section"
                  data-section="dimensions"
                >
                  <Flex vertical gap={16}>
                    <DimensionRows axis="rows" {...sectionProps} />
                    <DimensionRows axis="columns" {...sectionProps} />
                  </Flex>
                </Card>
                <MeasuresSection {...sectionProps} />
                <OutputSection {...sectionProps} />
              </Flex>
            ),
          },
          { key: 'preview', label: t('reportDesign.tab.preview'), children: <Preview draft={draft} /> },
          {
            key: 'versions',
            label: t('reportDesign.tab.versions'),
            children: (
              <VersionTable
                kind="report"
                versions={versions}
                onLoad={(version) => {
                  setDraft(reportIn(version.definition));
                  setTab('design');
                  message.info(t('reportDesign.versionLoaded', { version: version.version }));
                }}
              />
            ),
          },
        ]}
      />
    </Flex>
  );
}

/** 报表设计 for one report: /admin/reports/new or /admin/reports/:pack/:key (its latest version). */
export function ReportDesignerPage() {
  const t = useT();
  const locale = useLocale();
  const navigate = useNavigate();
  const params = useParams();
  const existing = params.pack && params.key ? { pack: params.pack, key: params.key } : null;
  useDocumentTitle(t('reportDesign.title'));
  const loaded = useLoad(async () => {
    const [forms, reports, versions] = await Promise.all([
      formsApi.list(),
      reportDesignApi.list(),
      existing ? reportDesignApi.versions(existing.pack, existing.key) : Promise.resolve([]),
    ]);
    return { forms, reports, versions };
  }, `${existing?.pack}.${existing?.key}`);
  if (loaded.error) return <Result status="warning" title={describeApiError(loaded.error, t).detail} />;
  if (!loaded.data) return <Skeleton active />;
  const { forms, reports, versions } = loaded.data;
  const latest = versions[0];
  const initial = latest ? reportIn(latest.definition) : newReport();
  return (
    <>
      <PageHeader
        title={latest ? t('reportDesign.pageTitle', { name: pickLabel(initial.label, locale) }) : t('reportDesign.new')}
        description={latest ? `${initial.pack}.${initial.key} · v${latest.version}` : t('reportDesign.newHint')}
        extra={
          latest ? (
            <Link to={`/reports/${encodeURIComponent(initial.pack)}/${encodeURIComponent(initial.key)}`}>
              {t('reportDesign.openReport')}
            </Link>
          ) : undefined
        }
      />
      <ReportEditor
        key={latest ? `${latest.version}` : 'new'}
        initial={initial}
        isNew={!latest}
        forms={forms}
        versions={versions}
        taken={new Set(reports.map((r) => `${r.pack}.${r.key}`))}
        onPublished={(draft) => {
          if (!latest) navigate(`/admin/reports/${encodeURIComponent(draft.pack)}/${encodeURIComponent(draft.key)}`);
          else loaded.reload();
        }}
      />
    </>
  );
}
