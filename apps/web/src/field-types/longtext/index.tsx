import { AlignLeftOutlined } from '@ant-design/icons';
import { Input } from 'antd';
import { defineWebFieldType, type WidgetProps } from '../define.ts';
import { maxLengthSetting } from '../design-settings.ts';
import { numberConfig, ReadValue } from '../shared.tsx';
import { maxLengthCheck } from '../text/index.tsx';

function LongtextWidget({ field, value, onChange, mode, id, invalid, compact }: WidgetProps) {
  const text = typeof value === 'string' ? value : '';
  if (mode === 'read') return <ReadValue className="field-read-multiline">{text}</ReadValue>;
  return (
    <Input.TextArea
      id={id}
      value={text}
      onChange={(event) => onChange(event.target.value === '' ? null : event.target.value)}
      autoSize={compact ? { minRows: 1, maxRows: 4 } : { minRows: 3, maxRows: 12 }}
      maxLength={numberConfig(field, 'maxLength') ?? 10_000}
      status={invalid ? 'error' : undefined}
      aria-invalid={invalid || undefined}
    />
  );
}

export const longtextWebField = defineWebFieldType({
  type: 'longtext',
  Widget: LongtextWidget,
  semantics: (field) => ({
    exprType: 'text',
    check: (value) => maxLengthCheck(value, numberConfig(field, 'maxLength') ?? 10_000),
  }),
  span: 24,
  filter: 'contains',
  design: {
    label: { zh: '多行文本', en: 'Long text' },
    icon: <AlignLeftOutlined aria-hidden />,
    group: 'basic',
    settings: [maxLengthSetting(20_000)],
  },
});
