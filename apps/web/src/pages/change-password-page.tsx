import { Card } from 'antd';
import { useNavigate, useSearchParams } from 'react-router';
import { ChangePasswordForm } from '../auth/change-password-form.tsx';
import { safeNextPath } from '../auth/require-session.tsx';
import { useSession } from '../auth/session.ts';
import { useDocumentTitle } from '../hooks/use-document-title.ts';
import { useT } from '../i18n/index.ts';
import { Brand } from '../layout/brand.tsx';
import { LanguageSwitch } from '../layout/language-switch.tsx';

/** Shown before anything else while the signed-in member still has a first or reset password. */
export function ChangePasswordPage() {
  const t = useT();
  const navigate = useNavigate();
  const session = useSession();
  const [searchParams] = useSearchParams();
  useDocumentTitle(t('password.title'));
  const mustChange = session.status === 'signedIn' && session.mustChangePassword;
  return (
    <div className="login-page">
      <header className="login-topbar">
        <Brand />
        <LanguageSwitch />
      </header>
      <main id="main" className="login-main">
        <Card className="login-card">
          <h1 className="login-title">{t('password.title')}</h1>
          <p className="login-subtitle">{mustChange ? t('password.mustChange') : t('password.subtitle')}</p>
          <ChangePasswordForm onChanged={() => navigate(safeNextPath(searchParams.get('next')), { replace: true })} />
        </Card>
      </main>
    </div>
  );
}
