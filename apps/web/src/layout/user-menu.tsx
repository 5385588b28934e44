import { IdcardOutlined, LoginOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { App, Avatar, Button, Dropdown, type MenuProps } from 'antd';
import { useNavigate } from 'react-router';
import { useApiErrorNotice } from '../api/use-api-error-notice.tsx';
import { signOut, useSession } from '../auth/session.ts';
import { useT } from '../i18n/index.ts';

export function UserMenu({ compact = false }: { compact?: boolean }) {
  const t = useT();
  const navigate = useNavigate();
  const session = useSession();
  const { message } = App.useApp();
  const notifyError = useApiErrorNotice();
  const signedIn = session.status === 'signedIn';
  const name = signedIn ? session.member.name : t('user.guest');

  const items: MenuProps['items'] = signedIn
    ? [
        { key: 'profile', icon: <IdcardOutlined aria-hidden />, label: t('user.profile') },
        { type: 'divider' },
        { key: 'signOut', icon: <LogoutOutlined aria-hidden />, label: t('user.signOut') },
      ]
    : [{ key: 'signIn', icon: <LoginOutlined aria-hidden />, label: t('user.signIn') }];

  const onClick: MenuProps['onClick'] = ({ key }) => {
    if (key === 'signIn') navigate('/login');
    if (key === 'profile') navigate('/profile');
    if (key === 'signOut') {
      signOut().then(() => {
        message.success(t('user.signedOut'));
        navigate('/login');
      }, notifyError);
    }
  };

  return (
    <Dropdown menu={{ items, onClick }} trigger={['click']} placement="bottomRight">
      <Button type="text" className="user-menu-button" aria-label={`${t('user.menu')}: ${name}`}>
        <Avatar size="small" icon={<UserOutlined aria-hidden />} />
        {!compact && <span className="user-name">{name}</span>}
      </Button>
    </Dropdown>
  );
}
