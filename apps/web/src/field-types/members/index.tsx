import { defineWebFieldType, type WidgetProps } from '../define.ts';
import { MemberPicker } from '../member/picker.tsx';

export const membersWebField = defineWebFieldType({
  type: 'members',
  Widget: (props: WidgetProps) => <MemberPicker {...props} multiple />,
  semantics: () => ({ exprType: 'list<member>' }),
});
