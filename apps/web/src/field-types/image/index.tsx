import { AttachmentUpload } from '../attachment/upload.tsx';
import { defineWebFieldType, type WidgetProps } from '../define.ts';

export const imageWebField = defineWebFieldType({
  type: 'image',
  Widget: (props: WidgetProps) => <AttachmentUpload {...props} images defaultMax={9} />,
  semantics: () => ({ exprType: null }),
  span: 24,
  listable: false,
});
