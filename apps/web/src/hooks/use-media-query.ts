import { useCallback, useSyncExternalStore } from 'react';

/**
 * Subscribes to a CSS media query. Read synchronously on first render, unlike antd's
 * Grid.useBreakpoint, so a phone never flashes the desktop layout first.
 */
export function useMediaQuery(query: string): boolean {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const list = window.matchMedia(query);
      list.addEventListener('change', onChange);
      return () => list.removeEventListener('change', onChange);
    },
    [query],
  );
  return useSyncExternalStore(subscribe, () => window.matchMedia(query).matches);
}

/** Below antd's `md` breakpoint (768 px) the side menu turns into a drawer. */
export function useIsNarrow(): boolean {
  return useMediaQuery('(max-width: 767.98px)');
}
