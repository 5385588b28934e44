import { FunctionOutlined } from '@ant-design/icons';
import { Tooltip } from 'antd';
import { formatFen } from '../../form-runtime/money.ts';
import { formatInstant } from '../datetime/index.tsx';
import { defineWebFieldType, type WidgetProps } from '../define.ts';
import { formatNumber } from '../number/index.tsx';
import { ReadValue } from '../shared.tsx';

function formulaText(value: unknown, resultType: unknown, props: WidgetProps): string {
  if (value === null || value === undefined) return '';
  if (resultType === 'money' && typeof value === 'number') return `¥${formatFen(value)}`;
  if (resultType === 'number') return formatNumber(value, 10, props.ctx.locale);
  if (resultType === 'boolean') return props.ctx.t(value === true ? 'fieldType.yes' : 'fieldType.no');
  if (resultType === 'datetime') return formatInstant(value);
  return String(value);
}

/** Always read-only: computed live in the browser and recomputed by the server on save. */
function FormulaWidget(props: WidgetProps) {
  const text = formulaText(props.value, props.field.resultType, props);
  return (
    <Tooltip title={props.compact ? undefined : props.ctx.t('fieldType.computed')}>
      <output id={props.id} className="field-computed" aria-live="polite">
        <ReadValue className={props.field.resultType === 'money' ? 'field-money' : undefined}>{text}</ReadValue>
      </output>
    </Tooltip>
  );
}

export const formulaWebField = defineWebFieldType({
  type: 'formula',
  Widget: FormulaWidget,
  semantics: (field) => ({
    exprType: String(field.resultType),
    formula: { expr: String(field.expr), expect: String(field.resultType) },
    computed: true,
  }),
  filter: 'range',
  design: {
    label: { zh: '计算公式', en: 'Formula' },
    icon: <FunctionOutlined aria-hidden />,
    group: 'computed',
    config: () => ({ expr: '', resultType: 'number' }),
    settings: [
      {
        kind: 'choice',
        name: 'resultType',
        label: { zh: '结果类型', en: 'Result type' },
        choices: [
          { value: 'number', label: { zh: '数字', en: 'Number' } },
          { value: 'money', label: { zh: '金额', en: 'Money' } },
          { value: 'text', label: { zh: '文本', en: 'Text' } },
          { value: 'boolean', label: { zh: '是/否', en: 'Yes/no' } },
          { value: 'date', label: { zh: '日期', en: 'Date' } },
          { value: 'datetime', label: { zh: '日期时间', en: 'Date and time' } },
        ],
      },
      { kind: 'formula', name: 'expr', label: { zh: '公式', en: 'Formula' }, expectFrom: 'resultType' },
    ],
  },
});
