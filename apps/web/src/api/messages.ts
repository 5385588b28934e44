import { useSyncExternalStore } from 'react';
import { api } from './client.ts';

export type Bilingual = { zh: string; en: string };

export type Message = {
  id: string;
  kind: string;
  title: Bilingual;
  body: Bilingual | null;
  /** An app path such as /work/instances/…, never an outside address. */
  link: string | null;
  readAt: string | null;
  createdAt: string;
};

export type MessagePage = { items: Message[]; nextCursor: string | null };
export type Preference = { kind: string; channel: string; enabled: boolean };
export type Preferences = { channels: string[]; preferences: Preference[] };
export type DeadLetter = {
  id: string;
  topic: string;
  key: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  payload: unknown;
};

export const messagesApi = {
  list: (query: { cursor?: string; limit?: number; unreadOnly?: boolean } = {}) =>
    api<MessagePage>('/api/messages', { query }),
  markRead: (id: string) => api<{ changed: boolean; unread: number }>(`/api/messages/${id}/read`, { method: 'POST' }),
  readAll: () => api<{ updated: number; unread: number }>('/api/messages/read-all', { method: 'POST' }),
  unreadCount: () => api<{ unread: number }>('/api/messages/unread-count'),
  preferences: () => api<Preferences>('/api/messages/preferences'),
  savePreferences: (preferences: Preference[]) =>
    api<Preferences>('/api/messages/preferences', { method: 'PUT', body: { preferences } }),
  deadLetters: () => api<{ items: DeadLetter[] }>('/api/messages/dead-letters'),
  retry: (id: string) => api<DeadLetter>(`/api/messages/dead-letters/${id}/retry`, { method: 'POST' }),
};

/**
 * The unread badge: one EventSource per tab, opened while something shows the count, closed when nothing
 * does. The server sends the count on connect and on every change; EventSource reconnects by itself
 * (the server asks for 5 s), and a reading from a page action (mark read) updates it at once.
 */
let unread: number | null = null;
let source: EventSource | null = null;
const listeners = new Set<() => void>();

function publish(next: number): void {
  if (next === unread) return;
  unread = next;
  for (const listener of listeners) listener();
}

function open(): void {
  if (source || typeof EventSource === 'undefined') return;
  source = new EventSource('/api/messages/stream');
  source.addEventListener('unread', (event) => {
    try {
      const data = JSON.parse((event as MessageEvent<string>).data) as { unread?: unknown };
      if (typeof data.unread === 'number') publish(data.unread);
    } catch {
      // A malformed event is dropped; the next one carries the whole count again.
    }
  });
}

function subscribeUnread(listener: () => void): () => void {
  listeners.add(listener);
  open();
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      source?.close();
      source = null;
      // The next subscriber may be another member (sign-out, sign-in): never show them this count.
      unread = null;
    }
  };
}

/** Sets the count from an answer the page already has (mark read, read all), ahead of the pushed event. */
export function setUnread(next: number): void {
  publish(next);
}

/** The member's unread message count, live; null until the first event arrives. */
export function useUnreadCount(): number | null {
  return useSyncExternalStore(subscribeUnread, () => unread);
}
