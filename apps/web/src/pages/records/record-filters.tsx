import { CloseOutlined, FilterOutlined, SearchOutlined } from '@ant-design/icons';
import { Button, Flex, Select, Space } from 'antd';
import { useState } from 'react';
import type { WidgetContext } from '../../field-types/define.ts';
import { findWebFieldType } from '../../field-types/registry.ts';
import type { RecordFilter } from '../../form-runtime/api.ts';
import { type FieldDefinition, isBlank, pickLabel } from '../../form-runtime/types.ts';

export type FilterDraft = { field: string; value: unknown; to?: unknown };

/** Turns the drafts into the API's filters: `contains`, `eq` or a `gte`/`lte` pair, blanks left out. */
export function toQueryFilters(drafts: readonly FilterDraft[], fields: readonly FieldDefinition[]): RecordFilter[] {
  const out: RecordFilter[] = [];
  for (const draft of drafts) {
    const field = fields.find((f) => f.key === draft.field);
    const kind = field ? findWebFieldType(field.type).filter : undefined;
    if (!kind) continue;
    if (kind === 'range') {
      if (!isBlank(draft.value)) out.push({ field: draft.field, op: 'gte', value: draft.value });
      if (!isBlank(draft.to)) out.push({ field: draft.field, op: 'lte', value: draft.to });
    } else if (!isBlank(draft.value)) out.push({ field: draft.field, op: kind, value: draft.value });
  }
  return out;
}

/** The inverse of toQueryFilters, for a saved view: a gte/lte pair on one field becomes one range draft. */
export function fromQueryFilters(filters: readonly RecordFilter[], fields: readonly FieldDefinition[]): FilterDraft[] {
  const drafts: FilterDraft[] = [];
  for (const filter of filters) {
    const field = fields.find((f) => f.key === filter.field);
    const kind = field ? findWebFieldType(field.type).filter : undefined;
    if (!kind) continue;
    let draft = drafts.find((d) => d.field === filter.field);
    if (!draft) {
      draft = { field: filter.field, value: null };
      drafts.push(draft);
    }
    if (kind === 'range' && filter.op === 'lte') draft.to = filter.value;
    else draft.value = filter.value;
  }
  return drafts;
}

/**
 * A filter bar over the form's declared fields: pick a field, give a value (or a range), apply. `initial`
 * seeds the bar (a saved view); remount it with a new `key` to apply another.
 */
export function RecordFilters({
  fields,
  ctx,
  onApply,
  initial = [],
}: {
  fields: readonly FieldDefinition[];
  ctx: WidgetContext;
  onApply: (filters: RecordFilter[]) => void;
  initial?: readonly RecordFilter[];
}) {
  const filterable = fields.filter((field) => findWebFieldType(field.type).filter);
  const [drafts, setDrafts] = useState<FilterDraft[]>(() => fromQueryFilters(initial, fields));
  const unused = filterable.filter((field) => !drafts.some((d) => d.field === field.key));
  const set = (index: number, patch: Partial<FilterDraft>) =>
    setDrafts((list) => list.map((d, i) => (i === index ? { ...d, ...patch } : d)));

  return (
    <form
      className="records-filters"
      aria-label={ctx.t('records.filters')}
      onSubmit={(event) => {
        event.preventDefault();
        onApply(toQueryFilters(drafts, fields));
      }}
    >
      <Flex gap={8} wrap align="center">
        {drafts.map((draft, index) => {
          const field = fields.find((f) => f.key === draft.field);
          if (!field) return null;
          const type = findWebFieldType(field.type);
          const Widget = type.Widget;
          const label = pickLabel(field.label, ctx.locale);
          const id = `filter-${field.key}`;
          return (
            <Space.Compact key={draft.field} className="records-filter">
              <label htmlFor={id} className="ant-btn ant-btn-default records-filter-label">
                {label}
              </label>
              <span className="records-filter-input">
                <Widget
                  field={{ ...field, required: false }}
                  value={draft.value ?? null}
                  onChange={(value) => set(index, { value })}
                  mode="edit"
                  id={id}
                  compact
                  ctx={ctx}
                />
              </span>
              {type.filter === 'range' && (
                <span className="records-filter-input">
                  <Widget
                    field={{ ...field, required: false }}
                    value={draft.to ?? null}
                    onChange={(to) => set(index, { to })}
                    mode="edit"
                    id={`${id}-to`}
                    compact
                    ctx={ctx}
                  />
                </span>
              )}
              <Button
                icon={<CloseOutlined aria-hidden />}
                aria-label={ctx.t('records.removeFilter', { field: label })}
                onClick={() => setDrafts((list) => list.filter((_, i) => i !== index))}
              />
            </Space.Compact>
          );
        })}
        {unused.length > 0 && (
          <Select
            className="records-add-filter"
            aria-label={ctx.t('records.addFilter')}
            placeholder={
              <span>
                <FilterOutlined aria-hidden /> {ctx.t('records.addFilter')}
              </span>
            }
            value={null}
            style={{ minWidth: 160 }}
            options={unused.map((field) => ({ value: field.key, label: pickLabel(field.label, ctx.locale) }))}
            onChange={(key: string) => setDrafts((list) => [...list, { field: key, value: null }])}
          />
        )}
        <Button type="primary" htmlType="submit" icon={<SearchOutlined aria-hidden />}>
          {ctx.t('records.search')}
        </Button>
        {drafts.length > 0 && (
          <Button
            onClick={() => {
              setDrafts([]);
              onApply([]);
            }}
          >
            {ctx.t('records.clearFilters')}
          </Button>
        )}
      </Flex>
    </form>
  );
}
