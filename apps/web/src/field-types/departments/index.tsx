import { defineWebFieldType, type WidgetProps } from '../define.ts';
import { DepartmentPicker } from '../department/picker.tsx';

export const departmentsWebField = defineWebFieldType({
  type: 'departments',
  Widget: (props: WidgetProps) => <DepartmentPicker {...props} multiple />,
  semantics: () => ({ exprType: 'list<department>' }),
});
