import { PercentageOutlined } from '@ant-design/icons';
import { InputNumber } from 'antd';
import { defineWebFieldType, type WidgetProps } from '../define.ts';
import { formatNumber } from '../number/index.tsx';
import { numberConfig, ReadValue } from '../shared.tsx';

/** 12.5 means 12.5 %: the value is the number before the percent sign. */
function PercentWidget({ field, value, onChange, mode, id, invalid, ctx }: WidgetProps) {
  const scale = numberConfig(field, 'scale') ?? 2;
  if (mode === 'read') {
    const text = formatNumber(value, scale, ctx.locale);
    return <ReadValue>{text && `${text}%`}</ReadValue>;
  }
  return (
    <InputNumber<number>
      id={id}
      className="field-number"
      value={typeof value === 'number' ? value : null}
      onChange={(next) => onChange(typeof next === 'number' ? next : null)}
      precision={scale}
      suffix="%"
      status={invalid ? 'error' : undefined}
      aria-invalid={invalid || undefined}
    />
  );
}

export const percentWebField = defineWebFieldType({
  type: 'percent',
  Widget: PercentWidget,
  semantics: () => ({ exprType: 'number' }),
  filter: 'range',
  design: {
    label: { zh: '百分比', en: 'Percent' },
    icon: <PercentageOutlined aria-hidden />,
    group: 'basic',
    settings: [{ kind: 'integer', name: 'scale', label: { zh: '小数位数', en: 'Decimal places' }, min: 0, max: 6 }],
  },
});
