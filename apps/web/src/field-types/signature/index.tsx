import { SignatureOutlined } from '@ant-design/icons';
import { Button, Flex, Progress } from 'antd';
import { type PointerEvent, useRef, useState } from 'react';
import { attachmentUrl, uploadAttachment } from '../../form-runtime/api.ts';
import { defineWebFieldType, fieldRef, type WidgetProps } from '../define.ts';
import { asIds, ReadValue } from '../shared.tsx';

const WIDTH = 360;
const HEIGHT = 140;

function SignatureImage({ id, alt }: { id: string; alt: string }) {
  return <img className="field-signature-image" src={attachmentUrl(id)} alt={alt} width={WIDTH / 2} />;
}

/** Drawn with a finger or mouse on a canvas, uploaded as a PNG; the value is that attachment's id list. */
function SignatureWidget({ field, value, onChange, mode, id, ctx }: WidgetProps) {
  const ids = asIds(value);
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawing = useRef(false);
  const [inked, setInked] = useState(false);
  const [editing, setEditing] = useState(ids.length === 0);
  const [progress, setProgress] = useState<number | null>(null);
  const [failed, setFailed] = useState<string | null>(null);

  const alt = ctx.t('fieldType.signatureOf', { field: ctx.locale.startsWith('zh') ? field.label.zh : field.label.en });
  if (mode === 'read') return ids[0] ? <SignatureImage id={ids[0]} alt={alt} /> : <ReadValue />;
  if (!editing && ids[0]) {
    return (
      <Flex gap={8} align="center" wrap>
        <SignatureImage id={ids[0]} alt={alt} />
        <Button onClick={() => setEditing(true)}>{ctx.t('fieldType.signAgain')}</Button>
      </Flex>
    );
  }

  const point = (event: PointerEvent<HTMLCanvasElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    return {
      x: ((event.clientX - rect.left) / rect.width) * WIDTH,
      y: ((event.clientY - rect.top) / rect.height) * HEIGHT,
    };
  };
  const clear = () => {
    canvas.current?.getContext('2d')?.clearRect(0, 0, WIDTH, HEIGHT);
    setInked(false);
  };
  const confirm = () => {
    canvas.current?.toBlob((blob) => {
      if (!blob) return;
      setFailed(null);
      setProgress(0);
      uploadAttachment(
        { pack: ctx.form.pack, key: ctx.form.key, field: fieldRef(field.key, ctx) },
        blob,
        'signature.png',
        setProgress,
      )
        .promise.then(
          (meta) => {
            onChange([meta.id]);
            setEditing(false);
            clear();
          },
          (error: Error) => setFailed(error.message),
        )
        .finally(() => setProgress(null));
    }, 'image/png');
  };

  return (
    <div className="field-signature">
      <canvas
        id={id}
        ref={canvas}
        width={WIDTH}
        height={HEIGHT}
        className="field-signature-pad"
        role="img"
        aria-label={ctx.t('fieldType.signatureHint')}
        onPointerDown={(event) => {
          event.currentTarget.setPointerCapture(event.pointerId);
          const context = event.currentTarget.getContext('2d');
          const { x, y } = point(event);
          if (context) {
            context.lineWidth = 2.5;
            context.lineCap = 'round';
            context.lineJoin = 'round';
            context.strokeStyle = '#1f1f1f';
          }
          context?.beginPath();
          context?.moveTo(x, y);
          drawing.current = true;
        }}
        onPointerMove={(event) => {
          if (!drawing.current) return;
          const context = event.currentTarget.getContext('2d');
          const { x, y } = point(event);
          context?.lineTo(x, y);
          context?.stroke();
          setInked(true);
        }}
        onPointerUp={() => {
          drawing.current = false;
        }}
      />
      <Flex gap={8} align="center" wrap className="field-signature-actions">
        <Button onClick={clear} disabled={!inked}>
          {ctx.t('fieldType.clear')}
        </Button>
        <Button type="primary" onClick={confirm} disabled={!inked || progress !== null}>
          {ctx.t('fieldType.confirmSignature')}
        </Button>
        {ids[0] && <Button onClick={() => setEditing(false)}>{ctx.t('common.cancel')}</Button>}
        {progress !== null && <Progress percent={progress} size="small" style={{ width: 120 }} />}
        {failed && <span className="field-error-text">{failed}</span>}
      </Flex>
    </div>
  );
}

export const signatureWebField = defineWebFieldType({
  type: 'signature',
  Widget: SignatureWidget,
  semantics: () => ({ exprType: null }),
  span: 24,
  listable: false,
  design: {
    label: { zh: '手写签名', en: 'Signature' },
    icon: <SignatureOutlined aria-hidden />,
    group: 'file',
    staticDefault: false,
  },
});
