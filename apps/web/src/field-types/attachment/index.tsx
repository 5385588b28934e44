import { PaperClipOutlined } from '@ant-design/icons';
import { defineWebFieldType, type WidgetProps } from '../define.ts';
import { maxSizeSetting } from '../design-settings.ts';
import { AttachmentUpload } from './upload.tsx';

export const attachmentWebField = defineWebFieldType({
  type: 'attachment',
  Widget: (props: WidgetProps) => <AttachmentUpload {...props} defaultMax={1} />,
  semantics: () => ({ exprType: null }),
  listable: false,
  design: {
    label: { zh: '单个附件', en: 'Attachment' },
    icon: <PaperClipOutlined aria-hidden />,
    group: 'file',
    settings: [maxSizeSetting],
    staticDefault: false,
  },
});
