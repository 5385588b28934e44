import { UserOutlined } from '@ant-design/icons';
import { defineWebFieldType, type WidgetProps } from '../define.ts';
import { MemberPicker } from './picker.tsx';

export const memberWebField = defineWebFieldType({
  type: 'member',
  Widget: (props: WidgetProps) => <MemberPicker {...props} multiple={false} />,
  semantics: () => ({ exprType: 'member' }),
  filter: 'eq',
  design: {
    label: { zh: '人员', en: 'Member' },
    icon: <UserOutlined aria-hidden />,
    group: 'org',
    defaultFrom: ['member'],
  },
});
