import { ScheduleOutlined } from '@ant-design/icons';
import { DatePicker } from 'antd';
import dayjs from 'dayjs';
import { defineWebFieldType, type WidgetProps } from '../define.ts';
import { ReadValue } from '../shared.tsx';

function MonthWidget({ value, onChange, mode, id, invalid }: WidgetProps) {
  const text = typeof value === 'string' ? value : '';
  if (mode === 'read') return <ReadValue>{text}</ReadValue>;
  return (
    <DatePicker
      id={id}
      picker="month"
      className="field-date"
      format="YYYY-MM"
      value={text ? dayjs(`${text}-01`, 'YYYY-MM-DD') : null}
      onChange={(next) => onChange(next ? next.format('YYYY-MM') : null)}
      status={invalid ? 'error' : undefined}
      aria-invalid={invalid || undefined}
    />
  );
}

export const monthWebField = defineWebFieldType({
  type: 'month',
  Widget: MonthWidget,
  semantics: () => ({ exprType: 'text' }),
  filter: 'range',
  design: {
    label: { zh: '年月', en: 'Month' },
    icon: <ScheduleOutlined aria-hidden />,
    group: 'time',
  },
});
