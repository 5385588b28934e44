import { ArrowDownOutlined, ArrowUpOutlined } from '@ant-design/icons';
import { App, Button, Card, Flex, Form, InputNumber, Table, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { type LevelRow, orgAdminApi } from '../../api/org-admin.ts';
import { hasPermission, useSession } from '../../auth/session.ts';
import { useDocumentTitle } from '../../hooks/use-document-title.ts';
import { useT } from '../../i18n/index.ts';
import { PageHeader } from '../../layout/page-header.tsx';
import { FormDialog, RequiredText } from './org-form.tsx';
import { CreateButton, EditButton, useLoaded } from './org-lists.tsx';
import { errorText } from './org-pickers.tsx';
import './org-admin-pages.css';

const RANK_STEP = 10;

/** 职务级别: ranks, most senior (lowest rank) first; create, edit, and move up or down. */
export function LevelsPage() {
  const t = useT();
  const session = useSession();
  const { message } = App.useApp();
  const canWrite = hasPermission(session, 'org.write');
  useDocumentTitle(t('levels.title'));
  const { data: levels, loading: fetching, load } = useLoaded(orgAdminApi.levels);
  // While a move's two updates run, the move buttons wait too.
  const [moving, setMoving] = useState(false);
  const loading = fetching || moving;
  const [editing, setEditing] = useState<LevelRow | 'new'>();

  /**
   * Moves a level one place by exchanging ranks with its neighbour. The API has no reorder call, so this is
   * two updates; each carries its version, so a concurrent edit fails rather than being overwritten.
   */
  async function shift(index: number, direction: -1 | 1) {
    const list = levels ?? [];
    const level = list[index];
    const neighbour = list[index + direction];
    if (!level || !neighbour) return;
    setMoving(true);
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
      setMoving(false);
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
          <EditButton
            label={t('levels.editNamed', { name: level.name })}
            text={t('levels.edit')}
            onClick={() => setEditing(level)}
          />
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
        extra={canWrite && <CreateButton onClick={() => setEditing('new')}>{t('levels.create')}</CreateButton>}
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

  async function submit(values: LevelValues) {
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
  }

  return (
    <FormDialog
      title={level ? t('levels.editTitle', { name: level.name }) : t('levels.createTitle')}
      form={form}
      fields={['code', 'name', 'rank']}
      onSubmit={submit}
      onClose={onClose}
      initialValues={level ? { code: level.code, name: level.name, rank: level.rank } : { rank: nextRank }}
    >
      <RequiredText name="code" label={t('levels.code')} message={t('levels.codeRequired')} maxLength={64} />
      <RequiredText name="name" label={t('levels.name')} message={t('levels.nameRequired')} maxLength={200} />
      <Form.Item
        name="rank"
        label={t('levels.rank')}
        extra={t('levels.rankHint')}
        rules={[{ required: true, message: t('levels.rankRequired') }]}
      >
        <InputNumber min={0} max={100_000} precision={0} style={{ width: '100%' }} />
      </Form.Item>
    </FormDialog>
  );
}
