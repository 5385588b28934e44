import { ArrowDownOutlined, ArrowUpOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Flex, Form, Input, InputNumber, Modal, Table, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { type LevelRow, orgAdminApi } from '../../api/org-admin.ts';
import { hasPermission, useSession } from '../../auth/session.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useIsNarrow } from '../../hooks/use-media-query.ts';
import { useT } from '../../i18n/index.ts';
import { PageHeader } from '../../layout/page-header.tsx';
import { errorText, showFieldErrors } from './org-pickers.tsx';
import './org-admin-pages.css';

const RANK_STEP = 10;

/** 职务级别: ranks, most senior (lowest rank) first; create, edit, and move up or down. */
export function LevelsPage() {
  const t = useT();
  const session = useSession();
  const { message } = App.useApp();
  const canWrite = hasPermission(session, 'org.write');
  const narrow = useIsNarrow();
  useDocumentTitle(t('levels.title'));
  const [levels, setLevels] = useState<LevelRow[]>();
  const [loading, setLoading] = useState(false);
  const [editing, setEditing] = useState<LevelRow | 'new'>();

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setLevels(await orgAdminApi.levels());
    } catch (error) {
      message.error(errorText(error, t));
    } finally {
      setLoading(false);
    }
  }, [message, t]);

  useEffect(() => {
    void load();
  }, [load]);

  /**
   * Moves a level one place by exchanging ranks with its neighbour. The API has no reorder call, so this is
   * two updates; each carries its version, so a concurrent edit fails rather than being overwritten.
   */
  async function shift(index: number, direction: -1 | 1) {
    const list = levels ?? [];
    const level = list[index];
    const neighbour = list[index + direction];
    if (!level || !neighbour) return;
    setLoading(true);
    try {
      if (level.rank === neighbour.rank) {
        const rank = Math.max(0, neighbour.rank + direction);
        await orgAdminApi.updateLevel(level.id, { version: level.version, rank });
      } else {
        await orgAdminApi.updateLevel(level.id, { version: level.version, rank: neighbour.rank });
        await orgAdminApi.updateLevel(neighbour.id, { version: neighbour.version, rank: level.rank });
      }
      message.success(t('levels.moved', { name: level.name }));
    } catch (error) {
      message.error(errorText(error, t));
    } finally {
      await load();
    }
  }

  const columns: TableColumnsType<LevelRow> = [
    { key: 'rank', dataIndex: 'rank', title: t('levels.rank'), width: 80 },
    { key: 'code', dataIndex: 'code', title: t('levels.code'), width: 120, responsive: ['sm'] },
    { key: 'name', dataIndex: 'name', title: t('levels.name') },
  ];
  if (canWrite) {
    columns.push({
      key: 'actions',
      title: t('levels.actions'),
      render: (_, level, index) => (
        <Flex wrap gap={4}>
          <Button
            size="small"
            icon={<ArrowUpOutlined aria-hidden />}
            aria-label={t('levels.moveUp', { name: level.name })}
            disabled={index === 0 || loading}
            onClick={() => shift(index, -1)}
          />
          <Button
            size="small"
            icon={<ArrowDownOutlined aria-hidden />}
            aria-label={t('levels.moveDown', { name: level.name })}
            disabled={index === (levels?.length ?? 0) - 1 || loading}
            onClick={() => shift(index, 1)}
          />
          <Button
            size="small"
            icon={<EditOutlined aria-hidden />}
            aria-label={t('levels.editNamed', { name: level.name })}
            onClick={() => setEditing(level)}
          >
            {narrow ? null : t('levels.edit')}
          </Button>
        </Flex>
      ),
    });
  }

  const nextRank = Math.min(100_000, (levels?.at(-1)?.rank ?? 0) + RANK_STEP);

  return (
    <>
      <PageHeader
        title={t('levels.title')}
        description={t('levels.description')}
        extra={
          canWrite && (
            <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setEditing('new')}>
              {t('levels.create')}
            </Button>
          )
        }
      />
      <Card>
        <Table<LevelRow>
          className="levels-table"
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={levels ?? []}
          loading={loading || !levels}
          pagination={false}
          locale={{ emptyText: t('levels.empty') }}
          scroll={{ x: 'max-content' }}
        />
      </Card>
      {editing && (
        <LevelDialog
          level={editing === 'new' ? undefined : editing}
          nextRank={nextRank}
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

type LevelValues = { code: string; name: string; rank: number };

function LevelDialog({
  level,
  nextRank,
  onClose,
  onDone,
}: {
  level: LevelRow | undefined;
  nextRank: number;
  onClose: () => void;
  onDone: () => Promise<void>;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<LevelValues>();
  const [saving, setSaving] = useState(false);

  async function submit(values: LevelValues) {
    setSaving(true);
    try {
      if (level) {
        await orgAdminApi.updateLevel(level.id, {
          version: level.version,
          code: values.code.trim() !== level.code ? values.code.trim() : undefined,
          name: values.name.trim(),
          rank: values.rank,
        });
        message.success(t('levels.saved', { name: values.name.trim() }));
      } else {
        const created = await orgAdminApi.createLevel({
          code: values.code.trim(),
          name: values.name.trim(),
          rank: values.rank,
        });
        message.success(t('levels.created', { name: created.name }));
      }
      await onDone();
    } catch (error) {
      showFieldErrors(error, form, ['code', 'name', 'rank'], (text) => message.error(text), t);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open
      title={level ? t('levels.editTitle', { name: level.name }) : t('levels.createTitle')}
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
        initialValues={level ? { code: level.code, name: level.name, rank: level.rank } : { rank: nextRank }}
      >
        <Form.Item
          name="code"
          label={t('levels.code')}
          rules={[{ required: true, whitespace: true, message: t('levels.codeRequired') }]}
        >
          <Input maxLength={64} />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('levels.name')}
          rules={[{ required: true, whitespace: true, message: t('levels.nameRequired') }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item
          name="rank"
          label={t('levels.rank')}
          extra={t('levels.rankHint')}
          rules={[{ required: true, message: t('levels.rankRequired') }]}
        >
          <InputNumber min={0} max={100_000} precision={0} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
