import { LinkOutlined } from '@ant-design/icons';
import { Select } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { formsApi, type ReferenceOption } from '../../form-runtime/api.ts';
import type { FieldDefinition } from '../../form-runtime/types.ts';
import { defineWebFieldType, fieldRef, type WidgetProps } from '../define.ts';
import { ReadValue } from '../shared.tsx';

/** The referenced form, as the definition names it: `'pack.key'` or `{ pack, key }` (the engine takes both). */
function target(field: FieldDefinition): { pack: string; key: string } | undefined {
  const form: unknown = field.form;
  if (typeof form === 'string') {
    const [pack, key] = form.split('.');
    return pack && key ? { pack, key } : undefined;
  }
  if (form && typeof form === 'object') {
    const { pack, key } = form as { pack?: unknown; key?: unknown };
    return typeof pack === 'string' && typeof key === 'string' && pack && key ? { pack, key } : undefined;
  }
  return undefined;
}

const displays = new Map<string, Promise<string>>();
const cacheKeyOf = (field: FieldDefinition, id: string) => {
  const form = target(field);
  return `${form ? `${form.pack}.${form.key}` : '?'}:${id}`;
};

/** The display text of a referenced record: its `display` field, read through the records API (and its scope). */
function displayOf(field: FieldDefinition, id: string): Promise<string> {
  const form = target(field);
  const display = typeof field.display === 'string' ? field.display : '';
  const cacheKey = cacheKeyOf(field, id);
  let found = displays.get(cacheKey);
  if (!found) {
    found = form
      ? formsApi.record(form.pack, form.key, id).then(
          (record) => String(record.values[display] ?? id),
          () => id,
        )
      : Promise.resolve(id);
    displays.set(cacheKey, found);
  }
  return found;
}

function useDisplay(field: FieldDefinition, id: string | undefined): string | undefined {
  const [text, setText] = useState<string>();
  useEffect(() => {
    if (!id) return setText(undefined);
    let alive = true;
    void displayOf(field, id).then((found) => alive && setText(found));
    return () => {
      alive = false;
    };
  }, [field, id]);
  return text;
}

/**
 * A record of another form, found by searching (GET …/references/:field?q=). Picking one applies the field's
 * fill mapping to the same row or to the main fields; in read mode the value is a link to the record.
 */
/** A value as the server reads it back: `{ id, display, pack, key }` (reads resolve references), or a bare id. */
function referenceOf(value: unknown): { id?: string; display?: string } {
  if (typeof value === 'string' && value) return { id: value };
  if (value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string') {
    const { id, display } = value as { id: string; display?: unknown };
    return { id, ...(typeof display === 'string' ? { display } : {}) };
  }
  return {};
}

function ReferenceWidget({ field, value, onChange, mode, id, invalid, ctx }: WidgetProps) {
  const given = referenceOf(value);
  const current = given.id;
  // The server's display comes with the value; only a bare id is looked up (which needs read access to it).
  const looked = useDisplay(field, given.display === undefined ? current : undefined);
  const display = given.display ?? looked;
  const [options, setOptions] = useState<ReferenceOption[]>([]);
  const [loading, setLoading] = useState(false);
  const abort = useRef<AbortController>(undefined);
  useEffect(() => () => abort.current?.abort(), []);

  const form = target(field);
  if (mode === 'read') {
    if (!current) return <ReadValue />;
    return form ? (
      <Link to={`/records/${form.pack}/${form.key}/${current}`} className="field-reference-link">
        <LinkOutlined aria-hidden /> {display ?? '…'}
      </Link>
    ) : (
      <ReadValue>{display ?? current}</ReadValue>
    );
  }

  const search = (text: string) => {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setLoading(true);
    formsApi.references(ctx.form.pack, ctx.form.key, fieldRef(field.key, ctx), text.trim(), controller.signal).then(
      (found) => {
        setOptions(found);
        setLoading(false);
      },
      (error: unknown) => {
        if (error instanceof DOMException && error.name === 'AbortError') return;
        setOptions([]);
        setLoading(false);
      },
    );
  };

  const shown =
    options.some((o) => o.id === current) || !current
      ? options
      : [{ id: current, display: display ?? '…' }, ...options];
  return (
    <Select
      id={id}
      className="field-select"
      allowClear
      value={current}
      loading={loading}
      placeholder={ctx.t('fieldType.searchReference')}
      showSearch={{ filterOption: false, onSearch: search }}
      onFocus={() => options.length === 0 && search('')}
      notFoundContent={loading ? ctx.t('fieldType.searching') : ctx.t('fieldType.noMatch')}
      options={shown.map((option) => ({ value: option.id, label: option.display }))}
      onChange={(next: string | undefined) => {
        const picked = options.find((option) => option.id === next);
        if (picked) displays.set(cacheKeyOf(field, picked.id), Promise.resolve(picked.display));
        // One update carrying the pick and its fill: two would race on the same starting values.
        if (picked?.fill && ctx.fill) ctx.fill({ ...picked.fill, [field.key]: next ?? null });
        else onChange(next ?? null);
      }}
      status={invalid ? 'error' : undefined}
      aria-invalid={invalid || undefined}
    />
  );
}

export const referenceWebField = defineWebFieldType({
  type: 'reference',
  Widget: ReferenceWidget,
  semantics: () => ({ exprType: 'text' }),
  filter: 'eq',
  design: {
    label: { zh: '关联表单', en: 'Reference' },
    icon: <LinkOutlined aria-hidden />,
    group: 'advanced',
    config: () => ({ form: '', display: '' }),
    settings: [
      { kind: 'form', name: 'form', label: { zh: '关联的表单', en: 'Form' } },
      { kind: 'targetField', name: 'display', label: { zh: '显示字段', en: 'Shown field' }, formFrom: 'form' },
      {
        kind: 'text',
        name: 'filter',
        label: { zh: '可选范围（条件）', en: 'Which records (condition)' },
        placeholder: 'owner = me.memberId',
      },
    ],
  },
});
