import { useEffect, useRef } from 'react';
import type { Values } from './types.ts';

/**
 * Calls `onAutoSave` with the latest values once they have stopped changing for `delayMs` while dirty: the
 * flow UI saves drafts through it. A save still running is not started twice.
 */
export function useAutoSave(
  values: Values,
  dirty: boolean,
  onAutoSave: ((values: Values) => void | Promise<void>) | undefined,
  delayMs: number,
): void {
  const saving = useRef(false);
  const callback = useRef(onAutoSave);
  callback.current = onAutoSave;
  useEffect(() => {
    if (!dirty || !callback.current) return;
    const timer = window.setTimeout(() => {
      if (saving.current || !callback.current) return;
      saving.current = true;
      Promise.resolve(callback.current(values))
        .catch(() => undefined)
        .finally(() => {
          saving.current = false;
        });
    }, delayMs);
    return () => window.clearTimeout(timer);
  }, [values, dirty, delayMs]);
}
