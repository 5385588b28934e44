import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Card,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Switch,
  Table,
  type TableColumnsType,
  Tag,
} from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { orgAdminApi, type PostRow } from '../../api/org-admin.ts';
import { hasPermission, useSession } from '../../auth/session.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useIsNarrow } from '../../hooks/use-media-query.ts';
import { useT } from '../../i18n/index.ts';
import { PageHeader } from '../../layout/page-header.tsx';
import { errorText, showFieldErrors, UnitPicker, useOrgStructure } from './org-pickers.tsx';
import './org-admin-pages.css';

/** 岗位: a list with search, create, rename (and re-code, re-sort), enable and disable. */
export function PostsPage() {
  const t = useT();
  const session = useSession();
  const { message } = App.useApp();
  const canWrite = hasPermission(session, 'org.write');
  const narrow = useIsNarrow();
  useDocumentTitle(t('posts.title'));
  const { units, unitNames } = useOrgStructure();
  const [posts, setPosts] = useState<PostRow[]>();
  const [loading, setLoading] = useState(false);
  const [search, setSearch] = useState('');
  const [showDisabled, setShowDisabled] = useState(true);
  const [editing, setEditing] = useState<PostRow | 'new'>();

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setPosts(await orgAdminApi.posts({ includeDisabled: true }));
    } catch (error) {
      message.error(errorText(error, t));
    } finally {
      setLoading(false);
    }
  }, [message, t]);

  useEffect(() => {
    void load();
  }, [load]);

  const query = search.trim().toLowerCase();
  const shown = useMemo(
    () =>
      (posts ?? []).filter(
        (post) =>
          (showDisabled || post.enabled) &&
          (!query || post.name.toLowerCase().includes(query) || post.code.toLowerCase().includes(query)),
      ),
    [posts, query, showDisabled],
  );

  async function toggle(post: PostRow) {
    try {
      await orgAdminApi.updatePost(post.id, { version: post.version, enabled: !post.enabled });
      message.success(t(post.enabled ? 'posts.disabledDone' : 'posts.enabledDone', { name: post.name }));
      await load();
    } catch (error) {
      message.error(errorText(error, t));
    }
  }

  const columns: TableColumnsType<PostRow> = [
    { key: 'code', dataIndex: 'code', title: t('posts.code'), width: 120, responsive: ['sm'] },
    {
      key: 'name',
      title: t('posts.name'),
      // On a phone the code column gives way; the code shows under the name.
      render: (_, post) =>
        narrow ? (
          <span className="roles-name-cell">
            <span>{post.name}</span>
            <span className="orgx-code">{post.code}</span>
          </span>
        ) : (
          post.name
        ),
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
          <Button
            size="small"
            icon={<EditOutlined aria-hidden />}
            aria-label={t('posts.editNamed', { name: post.name })}
            onClick={() => setEditing(post)}
          >
            {narrow ? null : t('posts.edit')}
          </Button>
          <Popconfirm
            title={t(post.enabled ? 'posts.disableConfirm' : 'posts.enableConfirm', { name: post.name })}
            okText={t(post.enabled ? 'posts.disable' : 'posts.enable')}
            cancelText={t('common.cancel')}
            onConfirm={() => toggle(post)}
          >
            <Button size="small" danger={post.enabled}>
              {t(post.enabled ? 'posts.disable' : 'posts.enable')}
            </Button>
          </Popconfirm>
        </Flex>
      ),
    });
  }

  return (
    <>
      <PageHeader
        title={t('posts.title')}
        description={t('posts.description')}
        extra={
          canWrite && (
            <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setEditing('new')}>
              {t('posts.create')}
            </Button>
          )
        }
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
  const [saving, setSaving] = useState(false);

  async function submit(values: PostValues) {
    setSaving(true);
    try {
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
    } catch (error) {
      showFieldErrors(error, form, ['code', 'name', 'unitId', 'sort'], (text) => message.error(text), t);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open
      title={post ? t('posts.editTitle', { name: post.name }) : t('posts.createTitle')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={submit}
        initialValues={post ? { code: post.code, name: post.name, sort: post.sort } : undefined}
      >
        <Form.Item
          name="code"
          label={t('posts.code')}
          rules={[{ required: true, whitespace: true, message: t('posts.codeRequired') }]}
        >
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('posts.name')}
          rules={[{ required: true, whitespace: true, message: t('posts.nameRequired') }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        {!post && (
          <Form.Item name="unitId" label={t('posts.unit')} extra={t('posts.unitHint')}>
            <UnitPicker units={units} />
          </Form.Item>
        )}
        <Form.Item name="sort" label={t('posts.sort')}>
          <InputNumber precision={0} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
