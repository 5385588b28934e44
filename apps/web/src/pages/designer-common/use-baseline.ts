import { App } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useDirtyGuard } from '../../form-runtime/use-dirty-guard.ts';
import { useT } from '../../i18n/index.ts';
import type { LeaveTexts } from './check-state.ts';

/** While `dirty`, leaving the designer asks whether to drop the unpublished changes. */
export function useLeaveGuard(dirty: boolean, texts: LeaveTexts): void {
  const t = useT();
  const { modal } = App.useApp();
  const confirmLeave = useCallback(
    () =>
      new Promise<boolean>((resolve) => {
        modal.confirm({
          title: t(`${texts}.leaveTitle`),
          content: t(`${texts}.leaveBody`),
          okText: t('formView.leave'),
          cancelText: t('formView.stay'),
          onOk: () => resolve(true),
          onCancel: () => resolve(false),
        });
      }),
    [modal, t, texts],
  );
  useDirtyGuard(dirty, confirmLeave);
}

/**
 * Hands a value to `onReady` once the editor is no longer dirty. A publish moves the baseline and asks for the
 * hand-over in the same breath; moving on (to the new address, or a reload) waits for the render in which the
 * draft equals the baseline, so the leave guard does not ask about changes that were just published.
 */
export function useHandOver<T>(dirty: boolean, onReady: (value: T) => void): (value: T) => void {
  const [pending, setPending] = useState<{ value: T } | null>(null);
  useEffect(() => {
    if (pending && !dirty) {
      setPending(null);
      onReady(pending.value);
    }
  }, [pending, dirty, onReady]);
  return useCallback((value: T) => setPending({ value }), []);
}

/**
 * The published state of a designer's draft: `current` (the definition as text) against what was last loaded or
 * published. Leaving while they differ asks first; `markPublished` makes `current` the baseline and hands `value`
 * to `onPublished` when that has taken effect.
 */
export function useBaseline<T>(
  current: string,
  texts: LeaveTexts,
  onPublished: (value: T) => void,
): { dirty: boolean; markPublished: (value: T) => void } {
  const [baseline, setBaseline] = useState(current);
  const dirty = current !== baseline;
  const handOver = useHandOver(dirty, onPublished);
  useLeaveGuard(dirty, texts);
  const markPublished = (value: T) => {
    setBaseline(current);
    handOver(value);
  };
  return { dirty, markPublished };
}
