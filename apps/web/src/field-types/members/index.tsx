import { TeamOutlined } from '@ant-design/icons';
import { defineWebFieldType, type WidgetProps } from '../define.ts';
import { maxPickSetting } from '../design-settings.ts';
import { MemberPicker } from '../member/picker.tsx';

export const membersWebField = defineWebFieldType({
  type: 'members',
  Widget: (props: WidgetProps) => <MemberPicker {...props} multiple />,
  semantics: () => ({ exprType: 'list<member>' }),
  design: {
    label: { zh: '多人员', en: 'Members' },
    icon: <TeamOutlined aria-hidden />,
    group: 'org',
    settings: [maxPickSetting],
  },
});
