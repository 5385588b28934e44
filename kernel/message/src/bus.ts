import { EventEmitter } from 'node:events';
import { Redis } from 'ioredis';

/** A member's unread count changed to `unread`. */
export type UnreadEvent = { memberId: string; unread: number };
export type UnreadListener = (event: UnreadEvent) => void;

/**
 * Carries unread counts from whoever changed them (worker delivering, server marking read) to every
 * SSE stream of that member. In-process by default; with a Redis URL every process publishes to and
 * listens on one pub/sub channel, so a stream on server B hears a message delivered by worker A.
 */
export type MessageBus = {
  publish(event: UnreadEvent): Promise<void>;
  subscribe(memberId: string, listener: UnreadListener): () => void;
  /** Resolves once the bus hears what is published (Redis: the subscription is confirmed). */
  ready(): Promise<void>;
  close(): Promise<void>;
};

export type MessageBusOptions = { redisUrl?: string; channel?: string };

const DEFAULT_CHANNEL = 'baton:message:unread';

export function createMessageBus(options: MessageBusOptions = {}): MessageBus {
  const local = new EventEmitter();
  // Every SSE stream adds a listener: the default limit of 10 is a leak warning for a normal load.
  local.setMaxListeners(0);
  const emit = (event: UnreadEvent) => local.emit(event.memberId, event);
  const subscribe = (memberId: string, listener: UnreadListener) => {
    local.on(memberId, listener);
    return () => {
      local.off(memberId, listener);
    };
  };
  if (!options.redisUrl) {
    return {
      async publish(event) {
        emit(event);
      },
      subscribe,
      ready: async () => {},
      close: async () => {
        local.removeAllListeners();
      },
    };
  }
  const channel = options.channel ?? DEFAULT_CHANNEL;
  const publisher = new Redis(options.redisUrl, { maxRetriesPerRequest: 3 });
  const subscriber = new Redis(options.redisUrl);
  const subscribed = subscriber.subscribe(channel).then(() => undefined);
  subscribed.catch(() => undefined);
  subscriber.on('message', (from: string, text: string) => {
    if (from !== channel) return;
    try {
      const event = JSON.parse(text) as UnreadEvent;
      if (typeof event.memberId === 'string' && Number.isInteger(event.unread)) emit(event);
    } catch {
      // Someone else's traffic on our channel: not ours to act on.
    }
  });
  return {
    async publish(event) {
      await publisher.publish(channel, JSON.stringify({ memberId: event.memberId, unread: event.unread }));
    },
    subscribe,
    ready: () => subscribed,
    async close() {
      local.removeAllListeners();
      subscriber.disconnect();
      await publisher.quit().catch(() => undefined);
    },
  };
}
