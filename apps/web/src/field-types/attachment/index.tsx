import { defineWebFieldType, type WidgetProps } from '../define.ts';
import { AttachmentUpload } from './upload.tsx';

export const attachmentWebField = defineWebFieldType({
  type: 'attachment',
  Widget: (props: WidgetProps) => <AttachmentUpload {...props} defaultMax={1} />,
  semantics: () => ({ exprType: null }),
  listable: false,
});
