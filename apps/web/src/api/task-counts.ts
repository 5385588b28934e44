import { useEffect, useSyncExternalStore } from 'react';
import { flowsApi, type TaskCounts } from './flows.ts';
import { useUnreadCount } from './messages.ts';

/**
 * The member's work counts (待办, 知会 …) shared by the menu badges and the workspace tiles. No stream of its own:
 * a new task or notice arrives as a message, so each change of the live unread count (the one SSE connection of
 * the tab) triggers a fetch, and so do returning to the tab and moving between pages (acting on a task changes
 * the counts without a message). Fetches closer than MIN_GAP_MS apart are folded into one.
 */
const MIN_GAP_MS = 2_000;

let counts: TaskCounts | null = null;
let lastFetch = 0;
let inFlight: Promise<void> | null = null;
let again = false;
let lastUnread: number | null | undefined;
const listeners = new Set<() => void>();

function publish(next: TaskCounts | null): void {
  counts = next;
  for (const listener of listeners) listener();
}

/** Fetches the counts now (or right after the fetch in flight), e.g. after an action on a task. */
export function refreshTaskCounts(): Promise<void> {
  if (inFlight) {
    again = true;
    return inFlight;
  }
  lastFetch = Date.now();
  inFlight = flowsApi
    .counts()
    .then(
      (next) => publish(next),
      // A failed fetch keeps the last counts; the next trigger tries again.
      () => undefined,
    )
    .finally(() => {
      inFlight = null;
      if (again) {
        again = false;
        void refreshTaskCounts();
      }
    });
  return inFlight;
}

/** A fetch unless one ran within MIN_GAP_MS. */
export function nudgeTaskCounts(): void {
  if (Date.now() - lastFetch >= MIN_GAP_MS) void refreshTaskCounts();
}

function onVisible(): void {
  if (document.visibilityState === 'visible') nudgeTaskCounts();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (listeners.size === 1) {
    document.addEventListener('visibilitychange', onVisible);
    void refreshTaskCounts();
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      document.removeEventListener('visibilitychange', onVisible);
      // The next subscriber may be another member (sign-out, sign-in): never show them these counts.
      counts = null;
      lastUnread = undefined;
    }
  };
}

/** The member's counts, live; null until the first answer. */
export function useTaskCounts(): TaskCounts | null {
  const unread = useUnreadCount();
  useEffect(() => {
    // Many components use this hook; one change of the unread count is one fetch.
    if (unread === lastUnread) return;
    const first = lastUnread === undefined;
    lastUnread = unread;
    if (!first && unread !== null) void refreshTaskCounts();
  }, [unread]);
  return useSyncExternalStore(subscribe, () => counts);
}
