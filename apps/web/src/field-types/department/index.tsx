import { ApartmentOutlined } from '@ant-design/icons';
import { defineWebFieldType, type WidgetProps } from '../define.ts';
import { DepartmentPicker } from './picker.tsx';

export const departmentWebField = defineWebFieldType({
  type: 'department',
  Widget: (props: WidgetProps) => <DepartmentPicker {...props} multiple={false} />,
  semantics: () => ({ exprType: 'department' }),
  filter: 'eq',
  design: {
    label: { zh: '部门', en: 'Department' },
    icon: <ApartmentOutlined aria-hidden />,
    group: 'org',
    defaultFrom: ['department'],
  },
});
