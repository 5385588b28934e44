import { SafetyCertificateOutlined, SaveOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Collapse, Empty, Flex, Input, Skeleton } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api } from '../../api/client.ts';
import { useApiErrorNotice } from '../../api/use-api-error-notice.tsx';
import { type Locale, useLocale, useT } from '../../i18n/index.ts';

type CatalogueEntry = { code: string; zh: string; en: string };

const rolePermissionsApi = {
  catalogue: () => api<{ items: CatalogueEntry[] }>('/api/access/permissions').then((body) => body.items),
  of: (role: string) =>
    api<{ permissions: string[] }>(`/api/access/roles/${encodeURIComponent(role)}/permissions`).then(
      (body) => body.permissions,
    ),
  set: (role: string, permissions: string[]) =>
    api<{ permissions: string[] }>(`/api/access/roles/${encodeURIComponent(role)}/permissions`, {
      method: 'PUT',
      body: { permissions },
    }).then((body) => body.permissions),
};

/** Groups by the code's first segment (org, form, flow, report …), the engine that declared it. */
function groups(entries: CatalogueEntry[]): Array<[string, CatalogueEntry[]]> {
  const map = new Map<string, CatalogueEntry[]>();
  for (const entry of entries) {
    const head = entry.code.split('.')[0] ?? entry.code;
    map.set(head, [...(map.get(head) ?? []), entry]);
  }
  return [...map.entries()].sort(([a], [b]) => a.localeCompare(b));
}

const labelOf = (entry: CatalogueEntry, locale: Locale) => (locale === 'en-US' ? entry.en : entry.zh);

/**
 * 功能权限 of one role: every declared permission (forms, flows and reports add theirs when published), grouped
 * by engine, searchable; saving replaces the role's set (the server grants and revokes the difference, audited).
 */
export function RolePermissionsCard({ role, system }: { role: { id: string; code: string }; system: boolean }) {
  const t = useT();
  const locale = useLocale();
  const { message } = App.useApp();
  const notify = useApiErrorNotice();
  const [catalogue, setCatalogue] = useState<CatalogueEntry[] | null>(null);
  const [held, setHeld] = useState<Set<string>>(new Set());
  const [saved, setSaved] = useState<Set<string>>(new Set());
  const [query, setQuery] = useState('');
  const [saving, setSaving] = useState(false);
  const isAdmin = system && role.code === 'admin';

  const load = useCallback(async () => {
    try {
      const [all, mine] = await Promise.all([rolePermissionsApi.catalogue(), rolePermissionsApi.of(role.id)]);
      setCatalogue(all);
      setHeld(new Set(mine));
      setSaved(new Set(mine));
    } catch (error) {
      notify(error);
    }
  }, [role.id, notify]);

  useEffect(() => {
    void load();
  }, [load]);

  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    const list = catalogue ?? [];
    return q
      ? list.filter((e) => e.code.toLowerCase().includes(q) || e.zh.includes(q) || e.en.toLowerCase().includes(q))
      : list;
  }, [catalogue, query]);

  const dirty = held.size !== saved.size || [...held].some((code) => !saved.has(code));

  async function save() {
    setSaving(true);
    try {
      const next = await rolePermissionsApi.set(role.id, [...held].sort());
      setHeld(new Set(next));
      setSaved(new Set(next));
      message.success(t('rolePermissions.saved', { count: next.length }));
    } catch (error) {
      notify(error);
    } finally {
      setSaving(false);
    }
  }

  const toggle = (code: string, on: boolean) =>
    setHeld((before) => {
      const next = new Set(before);
      if (on) next.add(code);
      else next.delete(code);
      return next;
    });

  return (
    <Card
      className="role-permissions-card"
      title={
        <h2 className="orgx-card-title">
          <SafetyCertificateOutlined aria-hidden /> {t('rolePermissions.title', { count: held.size })}
        </h2>
      }
      extra={
        !isAdmin && (
          <Button
            type="primary"
            icon={<SaveOutlined aria-hidden />}
            disabled={!dirty}
            loading={saving}
            onClick={() => void save()}
          >
            {t('rolePermissions.save')}
          </Button>
        )
      }
    >
      {isAdmin ? (
        <Alert type="info" showIcon title={t('rolePermissions.admin')} />
      ) : !catalogue ? (
        <Skeleton active />
      ) : (
        <Flex vertical gap={12}>
          <Input.Search
            allowClear
            placeholder={t('rolePermissions.search')}
            aria-label={t('rolePermissions.search')}
            value={query}
            onChange={(event) => setQuery(event.target.value)}
          />
          {shown.length === 0 ? (
            <Empty description={t('rolePermissions.none')} />
          ) : (
            <Collapse
              size="small"
              defaultActiveKey={query ? groups(shown).map(([head]) => head) : []}
              key={query ? `q:${query}` : 'all'}
              items={groups(shown).map(([head, entries]) => ({
                key: head,
                label: `${head} (${entries.filter((e) => held.has(e.code)).length}/${entries.length})`,
                children: (
                  <Flex vertical gap={4}>
                    {entries.map((entry) => (
                      <Checkbox
                        key={entry.code}
                        checked={held.has(entry.code)}
                        onChange={(event) => toggle(entry.code, event.target.checked)}
                      >
                        {labelOf(entry, locale)} <code className="role-permission-code">{entry.code}</code>
                      </Checkbox>
                    ))}
                  </Flex>
                ),
              }))}
            />
          )}
        </Flex>
      )}
    </Card>
  );
}
