import { DeleteOutlined, SaveOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, Modal, Popconfirm, Select, Space } from 'antd';

import { useCallback, useEffect, useState } from 'react';
import { useApiErrorNotice } from '../../api/use-api-error-notice.tsx';
import { type SavedView, type ViewSpec, viewsApi } from '../../form-runtime/api.ts';
import { useT } from '../../i18n/index.ts';

/**
 * 常用查询: pick one of the member's saved views to apply its filters, sort and columns; save what is on
 * screen under a name (the same name replaces it); delete the selected one. Views live on the server, so
 * they follow the member to the phone.
 */
export function RecordViews({
  pack,
  formKey,
  current,
  onApply,
}: {
  pack: string;
  formKey: string;
  current: ViewSpec;
  onApply: (view: SavedView | undefined) => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const notify = useApiErrorNotice();
  const [views, setViews] = useState<SavedView[]>([]);
  const [selected, setSelected] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);
  const [naming, setNaming] = useState(false);
  /** The name typed in the save dialog; controlled, so saving never depends on a form instance being mounted. */
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState(false);

  const reload = useCallback(async () => {
    try {
      setViews(await viewsApi.list(pack, formKey));
    } catch (error) {
      notify(error);
    }
  }, [pack, formKey, notify]);

  useEffect(() => {
    setSelected(undefined);
    void reload();
  }, [reload]);

  async function save() {
    if (!name.trim() || name.trim().length > 60) {
      setNameError(true);
      return;
    }
    setSaving(true);
    try {
      const saved = await viewsApi.save(pack, formKey, name.trim(), current);
      message.success(t('records.views.saved', { name: saved.name }));
      setNaming(false);
      await reload();
      setSelected(saved.id);
    } catch (error) {
      notify(error);
    } finally {
      setSaving(false);
    }
  }

  async function remove(id: string) {
    try {
      await viewsApi.remove(pack, formKey, id);
      setSelected(undefined);
      onApply(undefined);
      await reload();
    } catch (error) {
      notify(error);
    }
  }

  const active = views.find((view) => view.id === selected);
  return (
    <Space.Compact className="record-views">
      <Select
        className="record-views-select"
        aria-label={t('records.views.label')}
        placeholder={t('records.views.placeholder')}
        allowClear
        value={selected ?? null}
        style={{ minWidth: 160 }}
        options={views.map((view) => ({ value: view.id, label: view.name }))}
        onChange={(id: string | null) => {
          setSelected(id ?? undefined);
          onApply(views.find((view) => view.id === id));
        }}
        notFoundContent={t('records.views.none')}
      />
      <Button
        icon={<SaveOutlined aria-hidden />}
        onClick={() => {
          setName(active?.name ?? '');
          setNameError(false);
          setNaming(true);
        }}
      >
        {t('records.views.save')}
      </Button>
      {active && (
        <Popconfirm title={t('records.views.deleteConfirm', { name: active.name })} onConfirm={() => remove(active.id)}>
          <Button icon={<DeleteOutlined aria-hidden />} aria-label={t('records.views.delete')} />
        </Popconfirm>
      )}
      <Modal
        title={t('records.views.saveTitle')}
        open={naming}
        okText={t('records.views.save')}
        confirmLoading={saving}
        onOk={() => void save()}
        onCancel={() => setNaming(false)}
        destroyOnHidden
      >
        <Form layout="vertical" onFinish={() => void save()}>
          <Form.Item
            label={t('records.views.name')}
            required
            validateStatus={nameError ? 'error' : undefined}
            help={nameError ? t('records.views.nameRequired') : t('records.views.nameHelp')}
          >
            <Input
              autoFocus
              maxLength={60}
              value={name}
              onChange={(event) => {
                setName(event.target.value);
                setNameError(false);
              }}
              onPressEnter={() => void save()}
            />
          </Form.Item>
        </Form>
      </Modal>
    </Space.Compact>
  );
}
