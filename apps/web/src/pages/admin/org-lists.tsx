// What the list pages of the organisation administration (posts, levels, roles and a role's holders) have in
// common: loading the list, the create and edit buttons, enabling and disabling a row, and the phone layouts.
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Popconfirm } from 'antd';
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { useIsNarrow } from '../../hooks/use-media-query.ts';
import { useT } from '../../i18n/index.ts';
import { errorText } from './org-pickers.tsx';

/**
 * Fetches on mount and whenever `fetch` changes (keep it stable: module level or useCallback); `load` fetches
 * again after a change. A failure becomes a message and what was loaded before stays.
 */
export function useLoaded<T>(fetch: () => Promise<T>) {
  const t = useT();
  const { message } = App.useApp();
  const [data, setData] = useState<T>();
  const [loading, setLoading] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setData(await fetch());
    } catch (error) {
      message.error(errorText(error, t));
    } finally {
      setLoading(false);
    }
  }, [fetch, message, t]);

  useEffect(() => {
    void load();
  }, [load]);

  return { data, loading, load };
}

/** Where the details column stacks below the list (narrower than antd's `lg`), brings it into view. */
export function revealWhenStacked(selector: string): void {
  if (window.matchMedia('(max-width: 991.98px)').matches) {
    window.requestAnimationFrame(() => document.querySelector(selector)?.scrollIntoView({ block: 'start' }));
  }
}

/** The page header's button that opens the create dialog. */
export function CreateButton({ onClick, children }: { onClick: () => void; children: ReactNode }) {
  return (
    <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={onClick}>
      {children}
    </Button>
  );
}

/** A row's edit button; on a phone only its icon shows, and `label` names the row for screen readers. */
export function EditButton({ label, text, onClick }: { label: string; text: string; onClick: () => void }) {
  const narrow = useIsNarrow();
  return (
    <Button size="small" icon={<EditOutlined aria-hidden />} aria-label={label} onClick={onClick}>
      {narrow ? null : text}
    </Button>
  );
}

/** A name with its code beside it, the code wrapping below where the cell is narrow. */
export function NameWithCode({ name, code, nameClassName }: { name: ReactNode; code: string; nameClassName?: string }) {
  return (
    <span className="roles-name-cell">
      <span className={nameClassName}>{name}</span>
      <span className="orgx-code">{code}</span>
    </span>
  );
}

/**
 * 停用 / 启用 behind a confirmation, worded by the page's messages (`posts.disable`, `roles.enableConfirm` …).
 * `change` saves the new state (with the row's version, so a concurrent edit is refused, not overwritten).
 */
export function EnableToggle({
  messages,
  name,
  enabled,
  size,
  change,
  onChanged,
}: {
  messages: 'posts' | 'roles';
  name: string;
  enabled: boolean;
  size?: 'small';
  change: (enabled: boolean) => Promise<unknown>;
  onChanged: () => Promise<void>;
}) {
  const t = useT();
  const { message } = App.useApp();

  async function toggle() {
    try {
      await change(!enabled);
      message.success(t(`${messages}.${enabled ? 'disabledDone' : 'enabledDone'}`, { name }));
      await onChanged();
    } catch (error) {
      message.error(errorText(error, t));
    }
  }

  return (
    <Popconfirm
      title={t(`${messages}.${enabled ? 'disableConfirm' : 'enableConfirm'}`, { name })}
      okText={t(`${messages}.${enabled ? 'disable' : 'enable'}`)}
      cancelText={t('common.cancel')}
      onConfirm={toggle}
    >
      <Button size={size} danger={enabled}>
        {t(`${messages}.${enabled ? 'disable' : 'enable'}`)}
      </Button>
    </Popconfirm>
  );
}
