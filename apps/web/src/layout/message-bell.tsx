import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Tooltip } from 'antd';
import { useNavigate } from 'react-router';
import { useUnreadCount } from '../api/messages.ts';
import { useT } from '../i18n/index.ts';

/** The header bell: the unread count pushed live by the server; a click opens the inbox. */
export function MessageBell() {
  const t = useT();
  const navigate = useNavigate();
  const unread = useUnreadCount();
  const label = unread ? t('messages.bellUnread', { count: unread }) : t('messages.bell');
  return (
    <Tooltip title={label}>
      <Button
        type="text"
        className="header-icon-button message-bell"
        aria-label={label}
        data-unread={unread ?? ''}
        onClick={() => navigate('/messages')}
        icon={
          <Badge count={unread ?? 0} size="small" overflowCount={99} offset={[4, -2]}>
            <BellOutlined aria-hidden />
          </Badge>
        }
      />
    </Tooltip>
  );
}
