import { SwitcherOutlined } from '@ant-design/icons';
import { Switch } from 'antd';
import { defineWebFieldType, type WidgetProps } from '../define.ts';
import { ReadValue } from '../shared.tsx';

function BooleanWidget({ value, onChange, mode, id, ctx }: WidgetProps) {
  if (mode === 'read') {
    return <ReadValue>{typeof value === 'boolean' ? ctx.t(value ? 'fieldType.yes' : 'fieldType.no') : ''}</ReadValue>;
  }
  return (
    <Switch
      id={id}
      checked={value === true}
      onChange={(checked) => onChange(checked)}
      checkedChildren={ctx.t('fieldType.yes')}
      unCheckedChildren={ctx.t('fieldType.no')}
    />
  );
}

export const booleanWebField = defineWebFieldType({
  type: 'boolean',
  Widget: BooleanWidget,
  semantics: () => ({ exprType: 'boolean' }),
  filter: 'eq',
  design: {
    label: { zh: '是/否', en: 'Yes/no' },
    icon: <SwitcherOutlined aria-hidden />,
    group: 'choice',
  },
});
