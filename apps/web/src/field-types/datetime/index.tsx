import { FieldTimeOutlined } from '@ant-design/icons';
import { DatePicker } from 'antd';
import dayjs from 'dayjs';
import { defineWebFieldType, type WidgetProps } from '../define.ts';
import { ReadValue } from '../shared.tsx';

/** Shown in the browser's time zone, stored as a UTC instant. */
export function formatInstant(value: unknown): string {
  return typeof value === 'string' && value ? dayjs(value).format('YYYY-MM-DD HH:mm') : '';
}

function DatetimeWidget({ value, onChange, mode, id, invalid }: WidgetProps) {
  if (mode === 'read') return <ReadValue>{formatInstant(value)}</ReadValue>;
  return (
    <DatePicker
      id={id}
      className="field-date"
      showTime={{ format: 'HH:mm' }}
      format="YYYY-MM-DD HH:mm"
      value={typeof value === 'string' && value ? dayjs(value) : null}
      onChange={(next) => onChange(next ? next.second(0).millisecond(0).toISOString() : null)}
      status={invalid ? 'error' : undefined}
      aria-invalid={invalid || undefined}
    />
  );
}

export const datetimeWebField = defineWebFieldType({
  type: 'datetime',
  Widget: DatetimeWidget,
  semantics: () => ({ exprType: 'datetime' }),
  filter: 'range',
  design: {
    label: { zh: '日期时间', en: 'Date and time' },
    icon: <FieldTimeOutlined aria-hidden />,
    group: 'time',
    defaultFrom: ['now'],
  },
});
