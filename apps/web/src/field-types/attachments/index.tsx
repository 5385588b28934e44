import { FolderOpenOutlined } from '@ant-design/icons';
import { AttachmentUpload } from '../attachment/upload.tsx';
import { defineWebFieldType, type WidgetProps } from '../define.ts';
import { maxCountSetting, maxSizeSetting } from '../design-settings.ts';

export const attachmentsWebField = defineWebFieldType({
  type: 'attachments',
  Widget: (props: WidgetProps) => <AttachmentUpload {...props} defaultMax={50} />,
  semantics: () => ({ exprType: null }),
  span: 24,
  listable: false,
  design: {
    label: { zh: '多个附件', en: 'Attachments' },
    icon: <FolderOpenOutlined aria-hidden />,
    group: 'file',
    settings: [maxCountSetting(100), maxSizeSetting],
    staticDefault: false,
  },
});
