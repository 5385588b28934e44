import { Select } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { orgApi } from '../../api/org.ts';
import type { WidgetProps } from '../define.ts';
import { asIds, ReadValue, rememberMember, useMemberNames } from '../shared.tsx';

/** Member ids as names, for read mode and list cells. */
export function MemberNames({ value }: { value: unknown }) {
  const ids = asIds(value);
  const names = useMemberNames(ids);
  return <ReadValue>{ids.map((id) => names[id] ?? '…').join('、')}</ReadValue>;
}

/** Searches /api/org/members as the member types; one id (`member`) or a list (`members`, up to `max`). */
export function MemberPicker({
  field,
  value,
  onChange,
  mode,
  id,
  invalid,
  ctx,
  multiple,
}: WidgetProps & { multiple: boolean }) {
  const ids = asIds(value);
  const names = useMemberNames(ids);
  const [options, setOptions] = useState<Array<{ value: string; label: string }>>([]);
  const [loading, setLoading] = useState(false);
  const latest = useRef(0);

  const search = async (text: string) => {
    const ticket = ++latest.current;
    setLoading(true);
    try {
      const page = await orgApi.members({ search: text.trim() || undefined, limit: 20 });
      if (ticket !== latest.current) return;
      for (const member of page.items) rememberMember(member.id, member.name);
      setOptions(page.items.map((m) => ({ value: m.id, label: `${m.name}（${m.login}）` })));
    } catch {
      if (ticket === latest.current) setOptions([]);
    } finally {
      if (ticket === latest.current) setLoading(false);
    }
  };

  useEffect(() => () => void latest.current++, []);

  if (mode === 'read') return <MemberNames value={value} />;
  const known = new Set(options.map((o) => o.value));
  const merged = [...ids.filter((i) => !known.has(i)).map((i) => ({ value: i, label: names[i] ?? '…' })), ...options];
  const max = typeof field.max === 'number' ? field.max : undefined;
  return (
    <Select
      id={id}
      className="field-select"
      mode={multiple ? 'multiple' : undefined}
      allowClear
      value={multiple ? ids : ids[0]}
      maxCount={multiple ? max : undefined}
      loading={loading}
      placeholder={ctx.t('fieldType.searchMember')}
      showSearch={{ filterOption: false, onSearch: (text) => void search(text) }}
      onFocus={() => options.length === 0 && void search('')}
      notFoundContent={loading ? ctx.t('fieldType.searching') : ctx.t('fieldType.noMatch')}
      options={merged}
      onChange={(next: string | string[] | undefined) => {
        if (multiple) onChange(Array.isArray(next) && next.length ? next : null);
        else onChange(typeof next === 'string' ? next : null);
      }}
      status={invalid ? 'error' : undefined}
      aria-invalid={invalid || undefined}
    />
  );
}
