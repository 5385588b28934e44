import { defineWebFieldType, type WidgetProps } from '../define.ts';
import { postsOnce } from '../shared.tsx';
import { NamedSelect } from '../unit/named-select.tsx';

export const postWebField = defineWebFieldType({
  type: 'post',
  Widget: (props: WidgetProps) => <NamedSelect {...props} load={postsOnce} name="posts" />,
  semantics: () => ({ exprType: 'text' }),
  filter: 'eq',
});
