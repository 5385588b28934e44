import { AccountBookOutlined } from '@ant-design/icons';
import { defineWebFieldType, type WidgetProps } from '../define.ts';
import { ReadValue } from '../shared.tsx';

/** 大写金额 of a money field, live: UPPERMONEY of @baton/expression, as the server computes it. */
function MoneyUpperWidget({ value, id }: WidgetProps) {
  return (
    <output id={id} className="field-computed field-money-upper" aria-live="polite">
      <ReadValue>{typeof value === 'string' ? value : ''}</ReadValue>
    </output>
  );
}

export const moneyUpperWebField = defineWebFieldType({
  type: 'moneyUpper',
  Widget: MoneyUpperWidget,
  semantics: (field) => ({
    exprType: 'text',
    formula: { expr: `UPPERMONEY(${String(field.of)})`, expect: 'text' },
    computed: true,
  }),
  filter: 'contains',
  design: {
    label: { zh: '大写金额', en: 'Amount in words' },
    icon: <AccountBookOutlined aria-hidden />,
    group: 'computed',
    config: () => ({ of: '' }),
    settings: [{ kind: 'field', name: 'of', label: { zh: '对应金额字段', en: 'Money field' }, exprType: 'money' }],
  },
});
