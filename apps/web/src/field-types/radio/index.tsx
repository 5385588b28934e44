import { CheckCircleOutlined } from '@ant-design/icons';
import { Radio } from 'antd';
import { pickLabel } from '../../form-runtime/types.ts';
import { defineWebFieldType, type WidgetProps } from '../define.ts';
import { optionsSetting, starterOptions } from '../design-settings.ts';
import { selectWebField } from '../select/index.tsx';
import { optionLabel, optionsOf, ReadValue } from '../shared.tsx';

function RadioWidget(props: WidgetProps) {
  const { field, value, onChange, mode, id, ctx, compact } = props;
  if (mode === 'read') return <ReadValue>{value ? optionLabel(field, value, ctx.locale) : ''}</ReadValue>;
  // In a subtable cell a row of radio buttons does not fit: it becomes a select.
  if (compact) return <selectWebField.Widget {...props} />;
  return (
    <Radio.Group
      id={id}
      value={typeof value === 'string' ? value : undefined}
      onChange={(event) => onChange(event.target.value ?? null)}
      options={optionsOf(field).map((option) => ({ value: option.code, label: pickLabel(option.label, ctx.locale) }))}
    />
  );
}

export const radioWebField = defineWebFieldType({
  type: 'radio',
  Widget: RadioWidget,
  semantics: () => ({ exprType: 'text' }),
  filter: 'eq',
  design: {
    label: { zh: '单选', en: 'Radio' },
    icon: <CheckCircleOutlined aria-hidden />,
    group: 'choice',
    config: starterOptions,
    settings: [optionsSetting],
  },
});
