import { NumberOutlined } from '@ant-design/icons';
import { InputNumber } from 'antd';
import type { FieldDefinition } from '../../form-runtime/types.ts';
import { defineWebFieldType, type WidgetProps } from '../define.ts';
import { numberConfig, ReadValue } from '../shared.tsx';

export function formatNumber(value: unknown, scale: number | undefined, locale: string): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '';
  return new Intl.NumberFormat(locale, { maximumFractionDigits: scale ?? 10 }).format(value);
}

export function rangeCheck(value: unknown, min: number | undefined, max: number | undefined) {
  if (typeof value !== 'number') return undefined;
  if (min !== undefined && value < min) return { zh: `不能小于 ${min}`, en: `At least ${min}` };
  if (max !== undefined && value > max) return { zh: `不能大于 ${max}`, en: `At most ${max}` };
  return undefined;
}

const scaleOf = (field: FieldDefinition) => numberConfig(field, 'scale') ?? 2;

function NumberWidget({ field, value, onChange, mode, id, invalid, ctx }: WidgetProps) {
  const unit = typeof field.unit === 'string' ? field.unit : undefined;
  if (mode === 'read') {
    const text = formatNumber(value, scaleOf(field), ctx.locale);
    return <ReadValue>{text && (unit ? `${text} ${unit}` : text)}</ReadValue>;
  }
  return (
    <InputNumber<number>
      id={id}
      className="field-number"
      value={typeof value === 'number' ? value : null}
      onChange={(next) => onChange(typeof next === 'number' ? next : null)}
      precision={scaleOf(field)}
      min={numberConfig(field, 'min')}
      max={numberConfig(field, 'max')}
      suffix={unit}
      status={invalid ? 'error' : undefined}
      aria-invalid={invalid || undefined}
    />
  );
}

export const numberWebField = defineWebFieldType({
  type: 'number',
  Widget: NumberWidget,
  semantics: (field) => ({
    exprType: 'number',
    check: (value) => rangeCheck(value, numberConfig(field, 'min'), numberConfig(field, 'max')),
  }),
  filter: 'range',
  design: {
    label: { zh: '数字', en: 'Number' },
    icon: <NumberOutlined aria-hidden />,
    group: 'basic',
    settings: [
      { kind: 'integer', name: 'scale', label: { zh: '小数位数', en: 'Decimal places' }, min: 0, max: 10 },
      { kind: 'decimal', name: 'min', label: { zh: '最小值', en: 'Minimum' } },
      { kind: 'decimal', name: 'max', label: { zh: '最大值', en: 'Maximum' } },
      { kind: 'text', name: 'unit', label: { zh: '单位', en: 'Unit' }, placeholder: '人 / 天 / kg' },
    ],
  },
});
