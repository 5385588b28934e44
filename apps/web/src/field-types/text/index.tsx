import { FontSizeOutlined } from '@ant-design/icons';
import { Input } from 'antd';
import { defineWebFieldType, type WidgetProps } from '../define.ts';
import { maxLengthSetting } from '../design-settings.ts';
import { numberConfig, ReadValue } from '../shared.tsx';

export function maxLengthCheck(value: unknown, max: number | undefined) {
  if (typeof value === 'string' && max !== undefined && value.length > max) {
    return { zh: `最多 ${max} 个字符`, en: `At most ${max} characters` };
  }
  return undefined;
}

function TextWidget({ field, value, onChange, mode, id, invalid }: WidgetProps) {
  if (mode === 'read') return <ReadValue>{typeof value === 'string' ? value : ''}</ReadValue>;
  return (
    <Input
      id={id}
      value={typeof value === 'string' ? value : ''}
      onChange={(event) => onChange(event.target.value === '' ? null : event.target.value)}
      maxLength={numberConfig(field, 'maxLength') ?? 200}
      status={invalid ? 'error' : undefined}
      aria-invalid={invalid || undefined}
    />
  );
}

export const textWebField = defineWebFieldType({
  type: 'text',
  Widget: TextWidget,
  semantics: (field) => ({
    exprType: 'text',
    check: (value) => maxLengthCheck(value, numberConfig(field, 'maxLength') ?? 200),
  }),
  filter: 'contains',
  design: {
    label: { zh: '单行文本', en: 'Text' },
    icon: <FontSizeOutlined aria-hidden />,
    group: 'basic',
    settings: [maxLengthSetting(2000)],
  },
});
