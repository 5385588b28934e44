import { Card, Descriptions, Skeleton } from 'antd';
import { useEffect, useState } from 'react';
import { type MemberDetail, orgApi } from '../api/org.ts';
import { ChangePasswordForm } from '../auth/change-password-form.tsx';
import { useSession } from '../auth/session.ts';
import { useDocumentTitle } from '../hooks/use-document-title.ts';
import { useT } from '../i18n/index.ts';
import { PageHeader } from '../layout/page-header.tsx';

export function ProfilePage() {
  const t = useT();
  const session = useSession();
  const [detail, setDetail] = useState<MemberDetail | null>();
  useDocumentTitle(t('profile.title'));
  const memberId = session.status === 'signedIn' ? session.member.id : undefined;

  useEffect(() => {
    if (!memberId) return;
    let cancelled = false;
    orgApi.member(memberId).then(
      (value) => !cancelled && setDetail(value),
      () => !cancelled && setDetail(null),
    );
    return () => {
      cancelled = true;
    };
  }, [memberId]);

  if (session.status !== 'signedIn') return null;
  const { member, permissions } = session;
  const department = detail?.placements.find((placement) => !placement.concurrent)?.departmentName;
  const none = <span className="text-muted">{t('common.none')}</span>;

  return (
    <>
      <PageHeader title={t('profile.title')} description={t('profile.description')} />
      <div className="profile-grid">
        <Card title={t('profile.details')} className="profile-card">
          {detail === undefined ? (
            <Skeleton active />
          ) : (
            <Descriptions column={1} bordered size="small">
              <Descriptions.Item label={t('profile.name')}>{member.name}</Descriptions.Item>
              <Descriptions.Item label={t('profile.login')}>{member.login}</Descriptions.Item>
              <Descriptions.Item label={t('profile.code')}>{member.code}</Descriptions.Item>
              <Descriptions.Item label={t('profile.department')}>{department ?? none}</Descriptions.Item>
              <Descriptions.Item label={t('profile.email')}>{member.email ?? none}</Descriptions.Item>
              <Descriptions.Item label={t('profile.phone')}>{detail?.phone ?? none}</Descriptions.Item>
              <Descriptions.Item label={t('profile.permissions')}>
                {t('profile.permissionCount', { count: permissions.length })}
              </Descriptions.Item>
            </Descriptions>
          )}
        </Card>
        <Card title={t('password.title')} className="profile-card">
          <ChangePasswordForm />
        </Card>
      </div>
    </>
  );
}
