import { useCallback, useEffect, useState } from 'react';
import { formsApi, type PublishedForm } from '../../form-runtime/api.ts';

export type Loaded<T> = { data?: T; error?: unknown; loading: boolean; reload: () => void };

/** Loads something once per key, with a reload; the latest request wins. */
export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names what `load` depends on
  useEffect(() => {
    let alive = true;
    setState((current) => ({ ...current, loading: true, error: undefined }));
    load().then(
      (data) => alive && setState({ data, loading: false }),
      (error: unknown) => alive && setState({ error, loading: false }),
    );
    return () => {
      alive = false;
    };
  }, [key, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}

export function useFormDefinition(pack: string, key: string): Loaded<PublishedForm> {
  return useLoad(() => formsApi.get(pack, key), `${pack}/${key}`);
}
