import { PictureOutlined } from '@ant-design/icons';
import { AttachmentUpload } from '../attachment/upload.tsx';
import { defineWebFieldType, type WidgetProps } from '../define.ts';
import { maxCountSetting, maxSizeSetting } from '../design-settings.ts';

export const imageWebField = defineWebFieldType({
  type: 'image',
  Widget: (props: WidgetProps) => <AttachmentUpload {...props} images defaultMax={9} />,
  semantics: () => ({ exprType: null }),
  span: 24,
  listable: false,
  design: {
    label: { zh: '图片', en: 'Images' },
    icon: <PictureOutlined aria-hidden />,
    group: 'file',
    settings: [maxCountSetting(100), maxSizeSetting],
    staticDefault: false,
  },
});
