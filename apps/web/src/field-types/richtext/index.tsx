import { FileTextOutlined } from '@ant-design/icons';
import { Input } from 'antd';
import { useEffect, useRef } from 'react';
import { defineWebFieldType, type WidgetProps } from '../define.ts';
import { maxLengthSetting } from '../design-settings.ts';
import { numberConfig, ReadValue } from '../shared.tsx';
import { maxLengthCheck } from '../text/index.tsx';
import { sanitizedFragment } from './sanitize.ts';

/** Renders stored HTML through DOMPurify into a DOM node: the raw text never reaches innerHTML. */
export function SafeHtml({ html }: { html: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.replaceChildren(sanitizedFragment(html));
  }, [html]);
  return <div ref={ref} className="field-richtext" />;
}

function RichtextWidget({ field, value, onChange, mode, id, invalid, ctx }: WidgetProps) {
  const html = typeof value === 'string' ? value : '';
  if (mode === 'read') return html ? <SafeHtml html={html} /> : <ReadValue />;
  // The editor is plain HTML source for now; the preview below shows what readers will see.
  return (
    <div className="field-richtext-editor">
      <Input.TextArea
        id={id}
        value={html}
        onChange={(event) => onChange(event.target.value === '' ? null : event.target.value)}
        autoSize={{ minRows: 4, maxRows: 16 }}
        maxLength={numberConfig(field, 'maxLength') ?? 100_000}
        status={invalid ? 'error' : undefined}
        aria-invalid={invalid || undefined}
        placeholder={ctx.t('fieldType.richtextPlaceholder')}
      />
      {html && (
        <section className="field-richtext-preview" aria-label={ctx.t('fieldType.preview')}>
          <SafeHtml html={html} />
        </section>
      )}
    </div>
  );
}

export const richtextWebField = defineWebFieldType({
  type: 'richtext',
  Widget: RichtextWidget,
  semantics: (field) => ({
    exprType: null,
    check: (value) => maxLengthCheck(value, numberConfig(field, 'maxLength') ?? 100_000),
  }),
  span: 24,
  listable: false,
  design: {
    label: { zh: '富文本', en: 'Rich text' },
    icon: <FileTextOutlined aria-hidden />,
    group: 'basic',
    settings: [maxLengthSetting(200_000)],
    staticDefault: false,
  },
});
