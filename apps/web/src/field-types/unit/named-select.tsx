import { Select } from 'antd';
import type { WidgetProps } from '../define.ts';
import { ReadValue, useLoaded } from '../shared.tsx';

type Named = { id: string; name: string };

/** One id chosen from a short organisation list (units, posts), fetched once. */
export function NamedSelect({
  load,
  name,
  value,
  onChange,
  mode,
  id,
  invalid,
  ctx,
}: Pick<WidgetProps, 'value' | 'onChange' | 'mode' | 'id' | 'invalid' | 'ctx'> & {
  load: () => Promise<Named[]>;
  name: string;
}) {
  const items = useLoaded(load, name, []);
  const current = typeof value === 'string' ? value : undefined;
  if (mode === 'read') {
    const name = items?.find((item) => item.id === current)?.name;
    return <ReadValue>{current ? (name ?? (items ? current : '…')) : ''}</ReadValue>;
  }
  return (
    <Select
      id={id}
      className="field-select"
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      loading={items === undefined}
      value={current}
      onChange={(next) => onChange(next ?? null)}
      options={(items ?? []).map((item) => ({ value: item.id, label: item.name }))}
      placeholder={ctx.t('fieldType.choose')}
      status={invalid ? 'error' : undefined}
      aria-invalid={invalid || undefined}
    />
  );
}
