import { DownSquareOutlined } from '@ant-design/icons';
import { Select } from 'antd';
import { pickLabel } from '../../form-runtime/types.ts';
import { defineWebFieldType, type WidgetProps } from '../define.ts';
import { optionsSetting, starterOptions } from '../design-settings.ts';
import { optionLabel, optionsOf, ReadValue } from '../shared.tsx';

function SelectWidget({ field, value, onChange, mode, id, invalid, ctx }: WidgetProps) {
  if (mode === 'read') return <ReadValue>{value ? optionLabel(field, value, ctx.locale) : ''}</ReadValue>;
  return (
    <Select
      id={id}
      className="field-select"
      allowClear
      value={typeof value === 'string' ? value : undefined}
      onChange={(next) => onChange(next ?? null)}
      options={optionsOf(field).map((option) => ({ value: option.code, label: pickLabel(option.label, ctx.locale) }))}
      placeholder={ctx.t('fieldType.choose')}
      status={invalid ? 'error' : undefined}
      aria-invalid={invalid || undefined}
    />
  );
}

export const selectWebField = defineWebFieldType({
  type: 'select',
  Widget: SelectWidget,
  semantics: () => ({ exprType: 'text' }),
  filter: 'eq',
  design: {
    label: { zh: '下拉选择', en: 'Select' },
    icon: <DownSquareOutlined aria-hidden />,
    group: 'choice',
    config: starterOptions,
    settings: [optionsSetting],
  },
});
