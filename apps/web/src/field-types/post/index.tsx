import { IdcardOutlined } from '@ant-design/icons';
import { defineWebFieldType, type WidgetProps } from '../define.ts';
import { postsOnce } from '../shared.tsx';
import { NamedSelect } from '../unit/named-select.tsx';

export const postWebField = defineWebFieldType({
  type: 'post',
  Widget: (props: WidgetProps) => <NamedSelect {...props} load={postsOnce} name="posts" />,
  semantics: () => ({ exprType: 'text' }),
  filter: 'eq',
  design: {
    label: { zh: '岗位', en: 'Post' },
    icon: <IdcardOutlined aria-hidden />,
    group: 'org',
    defaultFrom: ['post'],
  },
});
