import { ClusterOutlined } from '@ant-design/icons';
import { defineWebFieldType, type WidgetProps } from '../define.ts';
import { DepartmentPicker } from '../department/picker.tsx';
import { maxPickSetting } from '../design-settings.ts';

export const departmentsWebField = defineWebFieldType({
  type: 'departments',
  Widget: (props: WidgetProps) => <DepartmentPicker {...props} multiple />,
  semantics: () => ({ exprType: 'list<department>' }),
  design: {
    label: { zh: '多部门', en: 'Departments' },
    icon: <ClusterOutlined aria-hidden />,
    group: 'org',
    settings: [maxPickSetting],
  },
});
