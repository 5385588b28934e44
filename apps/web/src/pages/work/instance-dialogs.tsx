import { PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Input, Modal, Radio, Upload, type UploadFile } from 'antd';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import type { InstanceDetail } from '../../api/flows.ts';
import { attachmentUrl, uploadAttachment } from '../../form-runtime/api.ts';
import type { Translate } from '../../i18n/index.ts';

/** The files of one history entry, as download links (names from the request detail's `files`). */
export function HistoryFiles({ ids, files, t }: { ids: string[]; files: InstanceDetail['files']; t: Translate }) {
  if (ids.length === 0) return null;
  const byId = new Map(files.map((file) => [file.id, file]));
  return (
    <ul className="field-files work-history-files">
      {ids.map((id, index) => (
        <li key={id}>
          <PaperClipOutlined aria-hidden />{' '}
          <a href={attachmentUrl(id)} download>
            {byId.get(id)?.fileName ?? t('fieldType.attachmentN', { n: index + 1 })}
          </a>
        </li>
      ))}
    </ul>
  );
}

type Pending = UploadFile & { fileId?: string };

/**
 * 评论: any reader of the request leaves a comment in its history, with files uploaded for it one by one (each
 * with its progress); the comment waits until every upload finished.
 */
export function CommentDialog({
  open,
  instanceId,
  close,
  onSubmit,
  t,
}: {
  open: boolean;
  instanceId: string;
  close: () => void;
  onSubmit: (text: string, attachments: string[]) => Promise<boolean>;
  t: Translate;
}) {
  const [text, setText] = useState('');
  const [files, setFiles] = useState<Pending[]>([]);
  const [busy, setBusy] = useState(false);
  const aborts = useRef(new Set<() => void>());
  useEffect(() => {
    if (!open) {
      for (const abort of aborts.current) abort();
      aborts.current.clear();
      setText('');
      setFiles([]);
    }
  }, [open]);

  const uploading = files.some((file) => file.status === 'uploading');
  const ok = async () => {
    setBusy(true);
    try {
      const ids = files.flatMap((file) => (file.status === 'done' && file.fileId ? [file.fileId] : []));
      if (await onSubmit(text.trim(), ids)) close();
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title={t('work.comment.title')}
      className="work-dialog work-dialog-comment"
      onCancel={close}
      onOk={() => void ok()}
      okText={t('work.comment.submit')}
      cancelText={t('work.cancel')}
      confirmLoading={busy}
      okButtonProps={{ disabled: text.trim() === '' || uploading, className: 'work-dialog-ok' }}
      destroyOnHidden
    >
      <label className="work-dialog-field" htmlFor="work-comment-text">
        <span>{t('work.comment.text')}</span>
        <Input.TextArea
          id="work-comment-text"
          className="work-comment-text"
          autoSize={{ minRows: 3, maxRows: 8 }}
          maxLength={4000}
          value={text}
          placeholder={t('work.comment.placeholder')}
          onChange={(event) => setText(event.target.value)}
        />
      </label>
      <div className="work-dialog-field">
        <span>{t('work.comment.files')}</span>
        <Upload
          multiple
          className="work-comment-files"
          fileList={files}
          onRemove={(file) => {
            setFiles((list) => list.filter((each) => each.uid !== file.uid));
            return false;
          }}
          customRequest={({ file, onProgress, onSuccess, onError }) => {
            const blob = file as File;
            const uid = (file as UploadFile).uid ?? String(Math.random());
            const label = t('fieldType.uploading', { name: blob.name });
            setFiles((list) => [
              ...list,
              { uid, name: blob.name, status: 'uploading', percent: 0, 'aria-label': label },
            ]);
            const upload = uploadAttachment({ instance: instanceId }, blob, blob.name, (percent) => {
              onProgress?.({ percent });
              setFiles((list) => list.map((each) => (each.uid === uid ? { ...each, percent } : each)));
            });
            aborts.current.add(upload.abort);
            upload.promise.then(
              (meta) => {
                aborts.current.delete(upload.abort);
                setFiles((list) =>
                  list.map((each) =>
                    each.uid === uid ? { ...each, status: 'done', percent: 100, fileId: meta.id } : each,
                  ),
                );
                onSuccess?.(meta);
              },
              (error: Error) => {
                aborts.current.delete(upload.abort);
                setFiles((list) =>
                  list.map((each) => (each.uid === uid ? { ...each, status: 'error', response: error.message } : each)),
                );
                onError?.(error);
              },
            );
          }}
        >
          <Button icon={<UploadOutlined aria-hidden />}>{t('fieldType.upload')}</Button>
        </Upload>
      </div>
    </Modal>
  );
}

/**
 * 跳转 (administrators of the flow): move the running request to another step. Its current tasks are cancelled;
 * choosing the step is followed by a confirmation, and the move is audited.
 */
export function JumpDialog({
  open,
  targets,
  close,
  onJump,
  opinionBox,
  t,
}: {
  open: boolean;
  targets: { value: string; label: string }[];
  close: () => void;
  onJump: (to: string) => Promise<boolean>;
  opinionBox: ReactNode;
  t: Translate;
}) {
  const { modal } = App.useApp();
  const [target, setTarget] = useState<string>();
  useEffect(() => {
    if (open) setTarget(undefined);
  }, [open]);
  const label = targets.find((each) => each.value === target)?.label ?? '';
  return (
    <Modal
      open={open}
      title={t('work.jump.title')}
      className="work-dialog work-dialog-jump"
      onCancel={close}
      onOk={() =>
        target &&
        modal.confirm({
          title: t('work.jump.confirmTitle', { node: label }),
          content: t('work.jump.confirmBody'),
          okText: t('work.do.jump'),
          okButtonProps: { danger: true, className: 'work-jump-confirm' },
          cancelText: t('work.cancel'),
          onOk: async () => {
            if (await onJump(target)) close();
          },
        })
      }
      okText={t('work.do.jump')}
      cancelText={t('work.cancel')}
      okButtonProps={{ disabled: !target, danger: true, className: 'work-dialog-ok' }}
      destroyOnHidden
    >
      <Alert type="warning" showIcon className="work-dialog-note" title={t('work.jump.warning')} />
      <fieldset className="work-dialog-field">
        <legend>{t('work.jump.to')}</legend>
        <Radio.Group
          className="work-jump-targets"
          value={target}
          onChange={(event) => setTarget(event.target.value)}
          options={targets}
        />
      </fieldset>
      <div className="work-dialog-field">
        <span>{t('work.opinion.title')}</span>
        {opinionBox}
      </div>
    </Modal>
  );
}
