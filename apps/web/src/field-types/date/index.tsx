import { CalendarOutlined } from '@ant-design/icons';
import { DatePicker } from 'antd';
import dayjs from 'dayjs';
import { defineWebFieldType, type WidgetProps } from '../define.ts';
import { ReadValue } from '../shared.tsx';

function DateWidget({ value, onChange, mode, id, invalid }: WidgetProps) {
  const text = typeof value === 'string' ? value : '';
  if (mode === 'read') return <ReadValue>{text}</ReadValue>;
  return (
    <DatePicker
      id={id}
      className="field-date"
      value={text ? dayjs(text, 'YYYY-MM-DD') : null}
      format="YYYY-MM-DD"
      onChange={(next) => onChange(next ? next.format('YYYY-MM-DD') : null)}
      status={invalid ? 'error' : undefined}
      aria-invalid={invalid || undefined}
    />
  );
}

export const dateWebField = defineWebFieldType({
  type: 'date',
  Widget: DateWidget,
  semantics: () => ({ exprType: 'date' }),
  filter: 'range',
  design: {
    label: { zh: '日期', en: 'Date' },
    icon: <CalendarOutlined aria-hidden />,
    group: 'time',
    defaultFrom: ['today'],
  },
});
