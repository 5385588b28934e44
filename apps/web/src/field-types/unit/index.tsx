import { BankOutlined } from '@ant-design/icons';
import { defineWebFieldType, type WidgetProps } from '../define.ts';
import { unitsOnce } from '../shared.tsx';
import { NamedSelect } from './named-select.tsx';

export const unitWebField = defineWebFieldType({
  type: 'unit',
  Widget: (props: WidgetProps) => <NamedSelect {...props} load={unitsOnce} name="units" />,
  semantics: () => ({ exprType: 'text' }),
  filter: 'eq',
  design: {
    label: { zh: '单位', en: 'Unit' },
    icon: <BankOutlined aria-hidden />,
    group: 'org',
    defaultFrom: ['unit'],
  },
});
