import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, isApiError } from '../api/client.ts';
import { ApiErrorBody, type ApiErrorDescription, describeApiError } from '../api/use-api-error-notice.tsx';
import { CHANGE_PASSWORD_ROUTE, safeNextPath } from '../auth/require-session.tsx';
import { acceptSession, LOGIN_PATH, type SessionBody } from '../auth/session.ts';
import { useDocumentTitle } from '../hooks/use-document-title.ts';
import { useT } from '../i18n/index.ts';
import { Brand } from '../layout/brand.tsx';
import { LanguageSwitch } from '../layout/language-switch.tsx';

type LoginValues = { login: string; password: string };
const formFields: ReadonlyArray<keyof LoginValues> = ['login', 'password'];

export function LoginPage() {
  const t = useT();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const { message } = App.useApp();
  const [form] = Form.useForm<LoginValues>();
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<ApiErrorDescription>();
  useDocumentTitle(t('login.title'));

  async function submit(values: LoginValues) {
    setSubmitting(true);
    setFailure(undefined);
    try {
      const session = await api<SessionBody>(LOGIN_PATH, { method: 'POST', body: values });
      acceptSession(session);
      message.success(t('login.succeeded'));
      const next = safeNextPath(searchParams.get('next'));
      navigate(session.mustChangePassword ? `${CHANGE_PASSWORD_ROUTE}?next=${encodeURIComponent(next)}` : next, {
        replace: true,
      });
    } catch (error) {
      // Field problems go next to their inputs; whatever remains is summarised above the form.
      const onForm = isApiError(error)
        ? error.fields.filter((field) => formFields.includes(field.path[0] as keyof LoginValues))
        : [];
      form.setFields(onForm.map((field) => ({ name: field.path[0] as keyof LoginValues, errors: [field.message] })));
      const description = describeApiError(error, t, t('login.failed'));
      setFailure({
        ...description,
        fields: description.fields.filter((field) => !formFields.includes(field.label as keyof LoginValues)),
      });
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <div className="login-page">
      <header className="login-topbar">
        <Link to="/" className="brand-link" aria-label={t('common.backToWorkspace')}>
          <Brand />
        </Link>
        <LanguageSwitch />
      </header>
      <main id="main" className="login-main">
        <Card className="login-card">
          <h1 className="login-title">{t('login.title')}</h1>
          <p className="login-subtitle">{t('login.subtitle')}</p>
          {failure && (
            <Alert
              className="login-alert"
              type="error"
              showIcon
              title={failure.title}
              description={<ApiErrorBody description={failure} t={t} />}
            />
          )}
          <Form<LoginValues>
            form={form}
            layout="vertical"
            requiredMark={false}
            onFinish={submit}
            disabled={submitting}
            size="large"
          >
            <Form.Item
              name="login"
              label={t('login.loginName')}
              rules={[{ required: true, whitespace: true, message: t('login.loginNameRequired') }]}
            >
              <Input
                prefix={<UserOutlined aria-hidden />}
                placeholder={t('login.loginNamePlaceholder')}
                autoComplete="username"
              />
            </Form.Item>
            <Form.Item
              name="password"
              label={t('login.password')}
              rules={[{ required: true, message: t('login.passwordRequired') }]}
            >
              <Input.Password
                prefix={<LockOutlined aria-hidden />}
                placeholder={t('login.passwordPlaceholder')}
                autoComplete="current-password"
              />
            </Form.Item>
            <Form.Item className="login-submit">
              <Button type="primary" htmlType="submit" block loading={submitting}>
                {t('login.submit')}
              </Button>
            </Form.Item>
          </Form>
          <p className="login-hint">{t('login.firstStartHint')}</p>
        </Card>
      </main>
    </div>
  );
}
