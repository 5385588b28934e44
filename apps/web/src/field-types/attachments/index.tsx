import { AttachmentUpload } from '../attachment/upload.tsx';
import { defineWebFieldType, type WidgetProps } from '../define.ts';

export const attachmentsWebField = defineWebFieldType({
  type: 'attachments',
  Widget: (props: WidgetProps) => <AttachmentUpload {...props} defaultMax={50} />,
  semantics: () => ({ exprType: null }),
  span: 24,
  listable: false,
});
