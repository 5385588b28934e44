import { Alert, App, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { api, isApiError } from '../api/client.ts';
import { ApiErrorBody, type ApiErrorDescription, describeApiError } from '../api/use-api-error-notice.tsx';
import { type MessageKey, useT } from '../i18n/index.ts';
import { PASSWORD_PATH, refreshSession } from './session.ts';

type PasswordValues = { oldPassword: string; newPassword: string; confirm: string };
const passwordRules: ReadonlyArray<string> = ['tooShort', 'tooLong', 'sameAsLogin', 'tooFewClasses', 'common'];
const serverFields: ReadonlyArray<keyof PasswordValues> = ['oldPassword', 'newPassword'];

/**
 * Old, new and repeated password. The server's verdict on a weak password (ACCESS_WEAK_PASSWORD,
 * one field issue per broken rule) shows under the new-password box; anything else above the form.
 */
export function ChangePasswordForm({ onChanged }: { onChanged?: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<PasswordValues>();
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<ApiErrorDescription>();

  async function submit(values: PasswordValues) {
    setSubmitting(true);
    setFailure(undefined);
    try {
      await api(PASSWORD_PATH, {
        method: 'POST',
        body: { oldPassword: values.oldPassword, newPassword: values.newPassword },
      });
      await refreshSession();
      form.resetFields();
      message.success(t('password.changed'));
      onChanged?.();
    } catch (error) {
      const onForm = isApiError(error)
        ? error.fields.filter((field) => serverFields.includes(field.path[0] as keyof PasswordValues))
        : [];
      const byField = new Map<keyof PasswordValues, string[]>();
      for (const field of onForm) {
        const name = field.path[0] as keyof PasswordValues;
        // The server words its rules in English; known rule codes are shown in the reader's language.
        const rule = field.code && passwordRules.includes(field.code) ? field.code : undefined;
        const text = rule ? t(`password.rule.${rule}` as MessageKey) : field.message;
        byField.set(name, [...(byField.get(name) ?? []), text]);
      }
      if (isApiError(error) && error.code === 'ACCESS_WRONG_OLD_PASSWORD' && !byField.has('oldPassword')) {
        byField.set('oldPassword', [error.detail ?? t('password.wrongOld')]);
      }
      form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
      // Everything the server said is now next to its field: no summary needed above the form.
      const placed = isApiError(error) && error.fields.length > 0 && onForm.length === error.fields.length;
      if (placed || (isApiError(error) && error.code === 'ACCESS_WRONG_OLD_PASSWORD')) return;
      const description = describeApiError(error, t, t('password.failed'));
      setFailure({
        ...description,
        fields: description.fields.filter(
          (field) => !serverFields.includes(field.label.split('.')[0] as keyof PasswordValues),
        ),
      });
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <>
      {failure && (
        <Alert
          className="password-alert"
          type="error"
          showIcon
          title={failure.title}
          description={<ApiErrorBody description={failure} t={t} />}
        />
      )}
      <Form<PasswordValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={submit}
        disabled={submitting}
        className="password-form"
      >
        <Form.Item
          name="oldPassword"
          label={t('password.old')}
          rules={[{ required: true, message: t('password.oldRequired') }]}
        >
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('password.new')}
          extra={t('password.rules')}
          rules={[{ required: true, message: t('password.newRequired') }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('password.confirm')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('password.confirmRequired') },
            ({ getFieldValue }) => ({
              validator: (_rule, value) =>
                !value || getFieldValue('newPassword') === value
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('password.mismatch'))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={submitting}>
            {t('password.submit')}
          </Button>
        </Form.Item>
      </Form>
    </>
  );
}
