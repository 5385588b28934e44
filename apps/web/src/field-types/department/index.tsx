import { defineWebFieldType, type WidgetProps } from '../define.ts';
import { DepartmentPicker } from './picker.tsx';

export const departmentWebField = defineWebFieldType({
  type: 'department',
  Widget: (props: WidgetProps) => <DepartmentPicker {...props} multiple={false} />,
  semantics: () => ({ exprType: 'department' }),
  filter: 'eq',
});
