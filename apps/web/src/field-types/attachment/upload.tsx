import { PaperClipOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { Button, Upload, type UploadFile } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { attachmentUrl, uploadAttachment } from '../../form-runtime/api.ts';
import { fieldRef, type WidgetProps } from '../define.ts';
import { asIds, ReadValue } from '../shared.tsx';

// Names of files uploaded in this tab; a stored id without one shows as "附件 n".
const fileNames = new Map<string, string>();

export function rememberFileName(id: string, name: string): void {
  fileNames.set(id, name);
}

function doneFile(id: string, index: number, t: WidgetProps['ctx']['t']): UploadFile {
  return {
    uid: id,
    name: fileNames.get(id) ?? t('fieldType.attachmentN', { n: index + 1 }),
    status: 'done',
    url: attachmentUrl(id),
  };
}

export function AttachmentLinks({ value, images, ctx }: { value: unknown; images?: boolean; ctx: WidgetProps['ctx'] }) {
  const ids = asIds(value);
  if (ids.length === 0) return <ReadValue />;
  if (images) {
    return (
      <span className="field-images">
        {ids.map((id, index) => (
          <a key={id} href={attachmentUrl(id)} target="_blank" rel="noreferrer">
            <img src={attachmentUrl(id)} alt={fileNames.get(id) ?? ctx.t('fieldType.imageN', { n: index + 1 })} />
          </a>
        ))}
      </span>
    );
  }
  return (
    <ul className="field-files">
      {ids.map((id, index) => (
        <li key={id}>
          <PaperClipOutlined aria-hidden />{' '}
          <a href={attachmentUrl(id)} download>
            {fileNames.get(id) ?? ctx.t('fieldType.attachmentN', { n: index + 1 })}
          </a>
        </li>
      ))}
    </ul>
  );
}

/**
 * Files uploaded one by one to POST /api/attachments with a progress bar each; the value is the list of ids
 * the server answered with, in upload order. Removing a file only removes its id from the value.
 */
export function AttachmentUpload({
  field,
  value,
  onChange,
  mode,
  id,
  ctx,
  images,
  defaultMax,
}: WidgetProps & { images?: boolean; defaultMax: number }) {
  const ids = asIds(value);
  const max = typeof field.maxFiles === 'number' ? field.maxFiles : defaultMax;
  const [pending, setPending] = useState<UploadFile[]>([]);
  const idsRef = useRef(ids);
  idsRef.current = ids;
  const aborts = useRef(new Set<() => void>());
  useEffect(() => {
    const current = aborts.current;
    return () => {
      for (const abort of current) abort();
    };
  }, []);

  if (mode === 'read') return <AttachmentLinks value={value} images={images} ctx={ctx} />;
  const fileList = [...ids.map((fileId, index) => doneFile(fileId, index, ctx.t)), ...pending];
  const full = ids.length + pending.filter((f) => f.status === 'uploading').length >= max;
  return (
    <Upload
      id={id}
      multiple={max > 1}
      listType={images ? 'picture-card' : 'text'}
      accept={images ? 'image/*' : undefined}
      fileList={fileList}
      onRemove={(file) => {
        if (file.status === 'done') {
          const next = idsRef.current.filter((existing) => existing !== file.uid);
          onChange(next.length ? next : null);
        } else setPending((list) => list.filter((f) => f.uid !== file.uid));
        return false;
      }}
      customRequest={({ file, onProgress, onSuccess, onError }) => {
        const blob = file as File;
        const uid = (file as UploadFile).uid ?? String(Math.random());
        // The progress bar is named after its file (a bar with no name is read out as nothing).
        const label = ctx.t('fieldType.uploading', { name: blob.name });
        setPending((list) => [...list, { uid, name: blob.name, status: 'uploading', percent: 0, 'aria-label': label }]);
        const upload = uploadAttachment(
          { pack: ctx.form.pack, key: ctx.form.key, field: fieldRef(field.key, ctx) },
          blob,
          blob.name,
          (percent) => {
            onProgress?.({ percent });
            setPending((list) => list.map((f) => (f.uid === uid ? { ...f, percent } : f)));
          },
        );
        aborts.current.add(upload.abort);
        upload.promise.then(
          (meta) => {
            aborts.current.delete(upload.abort);
            rememberFileName(meta.id, meta.name ?? blob.name);
            setPending((list) => list.filter((f) => f.uid !== uid));
            onChange([...idsRef.current, meta.id].slice(0, max));
            onSuccess?.(meta);
          },
          (error: Error) => {
            aborts.current.delete(upload.abort);
            setPending((list) =>
              list.map((f) => (f.uid === uid ? { ...f, status: 'error', response: error.message } : f)),
            );
            onError?.(error);
          },
        );
      }}
    >
      {full ? null : images ? (
        <button type="button" className="field-upload-tile">
          <PlusOutlined aria-hidden />
          <span>{ctx.t('fieldType.upload')}</span>
        </button>
      ) : (
        <Button icon={<UploadOutlined aria-hidden />}>{ctx.t('fieldType.upload')}</Button>
      )}
    </Upload>
  );
}
