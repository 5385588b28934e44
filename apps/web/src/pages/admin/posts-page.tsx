import { App, Card, Flex, Form, Input, InputNumber, Switch, Table, type TableColumnsType, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { orgAdminApi, type PostRow } from '../../api/org-admin.ts';
import { hasPermission, useSession } from '../../auth/session.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useIsNarrow } from '../../hooks/use-media-query.ts';
import { useT } from '../../i18n/index.ts';
import { PageHeader } from '../../layout/page-header.tsx';
import { FormDialog, RequiredText } from './org-form.tsx';
import { CreateButton, EditButton, EnableToggle, NameWithCode, useLoaded } from './org-lists.tsx';
import { UnitPicker, useOrgStructure } from './org-pickers.tsx';
import { matchesText } from './org-search.ts';
import './org-admin-pages.css';

// Disabled posts too: the page can show them and enable them again.
const allPosts = () => orgAdminApi.posts({ includeDisabled: true });

/** 岗位: a list with search, create, rename (and re-code, re-sort), enable and disable. */
export function PostsPage() {
  const t = useT();
  const session = useSession();
  const canWrite = hasPermission(session, 'org.write');
  const narrow = useIsNarrow();
  useDocumentTitle(t('posts.title'));
  const { units, unitNames } = useOrgStructure();
  const { data: posts, loading, load } = useLoaded(allPosts);
  const [search, setSearch] = useState('');
  const [showDisabled, setShowDisabled] = useState(true);
  const [editing, setEditing] = useState<PostRow | 'new'>();

  const shown = useMemo(
    () => (posts ?? []).filter((post) => (showDisabled || post.enabled) && matchesText(search, post.name, post.code)),
    [posts, search, showDisabled],
  );

  const columns: TableColumnsType<PostRow> = [
    { key: 'code', dataIndex: 'code', title: t('posts.code'), width: 120, responsive: ['sm'] },
    {
      key: 'name',
      title: t('posts.name'),
      // On a phone the code column gives way; the code shows under the name.
      render: (_, post) => (narrow ? <NameWithCode name={post.name} code={post.code} /> : post.name),
    },
    {
      key: 'unit',
      title: t('posts.unit'),
      responsive: ['md'],
      render: (_, post) => (post.unitId ? (unitNames.get(post.unitId) ?? post.unitId) : t('posts.groupWide')),
    },
    { key: 'sort', dataIndex: 'sort', title: t('posts.sort'), width: 80, responsive: ['lg'] },
    {
      key: 'status',
      title: t('posts.status'),
      width: 90,
      render: (_, post) =>
        post.enabled ? <Tag color="green">{t('posts.enabled')}</Tag> : <Tag>{t('posts.disabled')}</Tag>,
    },
  ];
  if (canWrite) {
    columns.push({
      key: 'actions',
      title: t('posts.actions'),
      render: (_, post) => (
        <Flex wrap gap={4}>
          <EditButton
            label={t('posts.editNamed', { name: post.name })}
            text={t('posts.edit')}
            onClick={() => setEditing(post)}
          />
          <EnableToggle
            messages="posts"
            name={post.name}
            enabled={post.enabled}
            size="small"
            change={(enabled) => orgAdminApi.updatePost(post.id, { version: post.version, enabled })}
            onChanged={load}
          />
        </Flex>
      ),
    });
  }

  return (
    <>
      <PageHeader
        title={t('posts.title')}
        description={t('posts.description')}
        extra={canWrite && <CreateButton onClick={() => setEditing('new')}>{t('posts.create')}</CreateButton>}
      />
      <Card>
        <Flex wrap gap={12} align="center" className="orgx-toolbar">
          <Input.Search
            className="orgx-search"
            placeholder={t('posts.search')}
            aria-label={t('posts.search')}
            allowClear
            value={search}
            onChange={(event) => setSearch(event.target.value)}
          />
          <span className="orgx-switch">
            <Switch id="posts-show-disabled" size="small" checked={showDisabled} onChange={setShowDisabled} />
            <label htmlFor="posts-show-disabled">{t('posts.showDisabled')}</label>
          </span>
        </Flex>
        <Table<PostRow>
          className="posts-table"
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={shown}
          loading={loading || !posts}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
          locale={{ emptyText: t('posts.empty') }}
          scroll={{ x: 'max-content' }}
        />
      </Card>
      {editing && (
        <PostDialog
          post={editing === 'new' ? undefined : editing}
          units={units}
          onClose={() => setEditing(undefined)}
          onDone={async () => {
            setEditing(undefined);
            await load();
          }}
        />
      )}
    </>
  );
}

type PostValues = { code: string; name: string; unitId?: string | null; sort?: number | null };

function PostDialog({
  post,
  units,
  onClose,
  onDone,
}: {
  post: PostRow | undefined;
  units: ReturnType<typeof useOrgStructure>['units'];
  onClose: () => void;
  onDone: () => Promise<void>;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<PostValues>();

  async function submit(values: PostValues) {
    const sort = values.sort ?? undefined;
    if (post) {
      await orgAdminApi.updatePost(post.id, {
        version: post.version,
        code: values.code.trim() !== post.code ? values.code.trim() : undefined,
        name: values.name.trim(),
        sort: sort !== post.sort ? sort : undefined,
      });
      message.success(t('posts.saved', { name: values.name.trim() }));
    } else {
      const created = await orgAdminApi.createPost({
        code: values.code.trim(),
        name: values.name.trim(),
        unitId: values.unitId ?? null,
        sort,
      });
      message.success(t('posts.created', { name: created.name }));
    }
    await onDone();
  }

  return (
    <FormDialog
      title={post ? t('posts.editTitle', { name: post.name }) : t('posts.createTitle')}
      form={form}
      fields={['code', 'name', 'unitId', 'sort']}
      onSubmit={submit}
      onClose={onClose}
      initialValues={post ? { code: post.code, name: post.name, sort: post.sort } : undefined}
    >
      <RequiredText name="code" label={t('posts.code')} message={t('posts.codeRequired')} maxLength={64} />
      <RequiredText name="name" label={t('posts.name')} message={t('posts.nameRequired')} maxLength={200} />
      {!post && (
        <Form.Item name="unitId" label={t('posts.unit')} extra={t('posts.unitHint')}>
          <UnitPicker units={units} />
        </Form.Item>
      )}
      <Form.Item name="sort" label={t('posts.sort')}>
        <InputNumber precision={0} style={{ width: '100%' }} />
      </Form.Item>
    </FormDialog>
  );
}
