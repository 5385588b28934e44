import { MoneyCollectOutlined } from '@ant-design/icons';
import { Input } from 'antd';
import { useEffect, useState } from 'react';
import { formatFen, parseYuan } from '../../form-runtime/money.ts';
import { defineWebFieldType, type WidgetProps } from '../define.ts';
import { numberConfig, ReadValue } from '../shared.tsx';

export function MoneyText({ fen }: { fen: unknown }) {
  return <ReadValue className="field-money">{typeof fen === 'number' ? `¥${formatFen(fen)}` : ''}</ReadValue>;
}

/**
 * Yuan typed as text, kept as integer fen. While the input has focus the text is what the person typed; on blur
 * it is rewritten with thousands separators and two decimals.
 */
export function MoneyInput({ value, onChange, id, invalid, ctx }: Omit<WidgetProps, 'field' | 'mode'>) {
  const fen = typeof value === 'number' ? value : null;
  const [text, setText] = useState(() => formatFen(fen));
  const [focused, setFocused] = useState(false);
  const [bad, setBad] = useState(false);
  useEffect(() => {
    if (!focused) {
      setText(formatFen(fen));
      setBad(false);
    }
  }, [fen, focused]);
  return (
    <Input
      id={id}
      className="field-money-input"
      prefix="¥"
      inputMode="decimal"
      value={text}
      onFocus={() => setFocused(true)}
      onBlur={() => {
        setFocused(false);
        setText(bad ? text : formatFen(fen));
      }}
      onChange={(event) => {
        setText(event.target.value);
        const parsed = parseYuan(event.target.value);
        setBad(!parsed.ok);
        if (parsed.ok) onChange(parsed.fen);
      }}
      status={invalid || bad ? 'error' : undefined}
      aria-invalid={invalid || bad || undefined}
      title={bad ? ctx.t('fieldType.moneyInvalid') : undefined}
    />
  );
}

function MoneyWidget(props: WidgetProps) {
  if (props.mode === 'read') return <MoneyText fen={props.value} />;
  return <MoneyInput {...props} />;
}

export const moneyWebField = defineWebFieldType({
  type: 'money',
  Widget: MoneyWidget,
  semantics: (field) => ({
    exprType: 'money',
    check: (value) => {
      const min = numberConfig(field, 'min');
      const max = numberConfig(field, 'max');
      if (typeof value !== 'number') return undefined;
      if (min !== undefined && value < min)
        return { zh: `不能小于 ¥${formatFen(min)}`, en: `At least ¥${formatFen(min)}` };
      if (max !== undefined && value > max)
        return { zh: `不能大于 ¥${formatFen(max)}`, en: `At most ¥${formatFen(max)}` };
      return undefined;
    },
  }),
  filter: 'range',
  design: {
    label: { zh: '金额', en: 'Money' },
    icon: <MoneyCollectOutlined aria-hidden />,
    group: 'basic',
    settings: [
      { kind: 'money', name: 'min', label: { zh: '最小金额（元）', en: 'Minimum (yuan)' } },
      { kind: 'money', name: 'max', label: { zh: '最大金额（元）', en: 'Maximum (yuan)' } },
    ],
  },
});
