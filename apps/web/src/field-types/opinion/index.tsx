import { CommentOutlined } from '@ant-design/icons';
import { formatInstant } from '../datetime/index.tsx';
import { defineWebFieldType, type WidgetProps } from '../define.ts';
import { MemberNames } from '../member/picker.tsx';
import { ReadValue } from '../shared.tsx';

type Opinion = { text?: string; memberId?: string; at?: string };

/** 审批意见: written at its flow node (the task page); everywhere else it is read-only. */
function OpinionWidget({ value, id }: WidgetProps) {
  const opinion = value && typeof value === 'object' ? (value as Opinion) : undefined;
  if (!opinion?.text) return <ReadValue />;
  return (
    <div id={id} className="field-opinion">
      <p className="field-read-multiline">{opinion.text}</p>
      <p className="field-opinion-meta text-muted">
        {opinion.memberId && <MemberNames value={opinion.memberId} />} {formatInstant(opinion.at)}
      </p>
    </div>
  );
}

export const opinionWebField = defineWebFieldType({
  type: 'opinion',
  Widget: OpinionWidget,
  semantics: () => ({ exprType: null, nodeOnly: true }),
  span: 24,
  listable: false,
  design: {
    label: { zh: '审批意见', en: 'Opinion' },
    icon: <CommentOutlined aria-hidden />,
    group: 'advanced',
    config: () => ({ node: '' }),
    settings: [
      { kind: 'text', name: 'node', label: { zh: '流程节点', en: 'Flow node' }, required: true },
      { kind: 'text', name: 'preset', label: { zh: '预填意见', en: 'Preset text' }, placeholder: '同意' },
    ],
    inSubtable: false,
    staticDefault: false,
  },
});
