import { DesktopOutlined, MobileOutlined, ReloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Segmented } from 'antd';
import { useMemo, useState } from 'react';
import { initialValues, prepareClientForm, validateValues } from '../../form-runtime/compute.ts';
import { FormView, todayContext } from '../../form-runtime/form-view.tsx';
import { registrySemantics } from '../../form-runtime/semantics.ts';
import type { FormDefinition, FormIssue, Values } from '../../form-runtime/types.ts';
import { useT } from '../../i18n/index.ts';

/** The width of the phone preview: an iPhone 12–15 in CSS pixels, as the phone journeys use. */
export const PHONE_WIDTH = 390;

/**
 * The draft drawn by the real form runtime, at desktop width or in a 390 px phone frame, with values that can be
 * typed in: formulas compute live, and "check" runs the client's required, type and validation checks.
 */
export function DesignPreview({ definition }: { definition: FormDefinition }) {
  const t = useT();
  const [device, setDevice] = useState<'desktop' | 'phone'>('desktop');
  const client = useMemo(() => prepareClientForm(definition, registrySemantics), [definition]);
  const [values, setValues] = useState<Values>(() => initialValues(client, todayContext()));
  const [issues, setIssues] = useState<FormIssue[]>([]);
  const [checked, setChecked] = useState(false);

  const reset = () => {
    setValues(initialValues(client, todayContext()));
    setIssues([]);
    setChecked(false);
  };
  const check = () => {
    setIssues(validateValues(client, values));
    setChecked(true);
  };
  const view = (
    <FormView
      definition={definition}
      values={values}
      onChange={(next) => {
        setValues(next);
        if (checked) setIssues(validateValues(client, next));
      }}
      issues={issues}
      layout={device === 'phone' ? 'phone' : 'auto'}
    />
  );
  return (
    <div className="designer-preview">
      <Flex className="designer-preview-bar" gap={8} wrap align="center">
        <Segmented
          value={device}
          onChange={(value) => setDevice(value as 'desktop' | 'phone')}
          options={[
            { value: 'desktop', icon: <DesktopOutlined aria-hidden />, label: t('design.preview.desktop') },
            {
              value: 'phone',
              icon: <MobileOutlined aria-hidden />,
              label: t('design.preview.phone', { width: PHONE_WIDTH }),
            },
          ]}
        />
        <Button icon={<SafetyCertificateOutlined aria-hidden />} onClick={check}>
          {t('design.preview.check')}
        </Button>
        <Button icon={<ReloadOutlined aria-hidden />} onClick={reset}>
          {t('design.preview.reset')}
        </Button>
      </Flex>
      {checked && issues.length === 0 && (
        <Alert className="designer-preview-note" type="success" showIcon title={t('design.preview.checkPassed')} />
      )}
      <p className="text-muted designer-preview-note">{t('design.preview.note')}</p>
      {device === 'desktop' ? (
        <div className="designer-preview-desktop" data-device="desktop">
          {view}
        </div>
      ) : (
        <div className="designer-phone" data-device="phone" style={{ width: PHONE_WIDTH + 24 }}>
          <div className="designer-phone-screen" style={{ width: PHONE_WIDTH }}>
            {view}
          </div>
        </div>
      )}
    </div>
  );
}
