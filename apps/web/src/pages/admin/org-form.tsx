// The forms of the organisation administration pages save alike: the save button spins while the call
// runs, and a refusal puts each field issue under its input and says the rest in one message.
import { App, Form, type FormInstance, Input, Modal, Select } from 'antd';
import { type ReactNode, useState } from 'react';
import { useT } from '../../i18n/index.ts';
import { showFieldErrors } from './org-pickers.tsx';

/** Runs a save for a form: `saving` while it runs; a failure lands on `fields` of the form, or in a message. */
export function useFormSave<Values>(form: FormInstance<Values>, fields: ReadonlyArray<string>) {
  const t = useT();
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);

  async function save(action: () => Promise<void>) {
    setSaving(true);
    try {
      await action();
    } catch (error) {
      showFieldErrors(error, form, fields, (text) => message.error(text), t);
    } finally {
      setSaving(false);
    }
  }

  return { saving, save };
}

/**
 * A dialog that is one vertical form: OK submits it (保存 unless `okText` says otherwise), and `onSubmit`
 * runs through {@link useFormSave}. `intro` stands above the form.
 */
export function FormDialog<Values>({
  title,
  okText,
  danger,
  form,
  fields,
  onSubmit,
  onClose,
  initialValues,
  className,
  intro,
  children,
}: {
  title: string;
  okText?: string;
  danger?: boolean;
  form: FormInstance<Values>;
  fields: ReadonlyArray<string>;
  onSubmit: (values: Values) => Promise<void>;
  onClose: () => void;
  initialValues?: Partial<Values>;
  className?: string;
  intro?: ReactNode;
  children: ReactNode;
}) {
  const t = useT();
  const { saving, save } = useFormSave(form, fields);
  return (
    <Modal
      open
      title={title}
      okText={okText ?? t('common.save')}
      okButtonProps={danger ? { danger: true } : undefined}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {intro}
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(values) => save(() => onSubmit(values))}
        initialValues={initialValues}
        className={className}
      >
        {children}
      </Form>
    </Modal>
  );
}

/** A text field that must hold more than white space: codes and names. */
export function RequiredText({
  name,
  label,
  message,
  maxLength,
  extra,
  disabled,
  autoComplete,
}: {
  name: string;
  label: string;
  /** Said under the input when it is left blank. */
  message: string;
  maxLength: number;
  extra?: ReactNode;
  disabled?: boolean;
  autoComplete?: string;
}) {
  return (
    <Form.Item name={name} label={label} extra={extra} rules={[{ required: true, whitespace: true, message }]}>
      <Input maxLength={maxLength} disabled={disabled} autoComplete={autoComplete} />
    </Form.Item>
  );
}

/** A member's e-mail address and phone number, both optional (fields `email` and `phone`). */
export function ContactItems() {
  const t = useT();
  return (
    <>
      <Form.Item name="email" label={t('org.memberEmail')} rules={[{ type: 'email', message: t('org.emailInvalid') }]}>
        <Input maxLength={200} type="email" />
      </Form.Item>
      <Form.Item name="phone" label={t('org.memberPhone')}>
        <Input maxLength={32} type="tel" />
      </Form.Item>
    </>
  );
}

type Option = { value: string; label: string; disabled?: boolean };

/** The optional post and level of a member's placement (fields `postId` and `levelId`). */
export function PostAndLevelItems({ postOptions, levelOptions }: { postOptions: Option[]; levelOptions: Option[] }) {
  const t = useT();
  return (
    <>
      <Form.Item name="postId" label={t('org.memberPost')}>
        <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={postOptions} />
      </Form.Item>
      <Form.Item name="levelId" label={t('org.memberLevel')}>
        <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={levelOptions} />
      </Form.Item>
    </>
  );
}
