// The member table (recipients' language and address) is typed by the org engine.
import '@baton/org';

/** One message in one member's inbox. */
export type MessageItemTable = {
  id: string;
  recipientId: string;
  kind: string;
  titleZh: string;
  titleEn: string;
  bodyZh: string | null;
  bodyEn: string | null;
  link: string | null;
  /** The send's idempotency key (dedupeKey or outbox key): with recipientId it is unique. */
  sendKey: string;
  readAt: string | null;
  createdAt: string;
};

/** A member's choice for one kind (or `*` = every kind) on one channel. */
export type MessagePreferenceTable = {
  memberId: string;
  kind: string;
  channel: string;
  enabled: number | boolean;
  updatedAt: string;
};

/** Proof that a send reached a recipient on a channel: repeats of the outbox row skip it. */
export type MessageDeliveryTable = {
  sendKey: string;
  recipientId: string;
  channel: string;
  deliveredAt: string;
};

declare module '@baton/db' {
  interface BatonDatabase {
    baton_message_item: MessageItemTable;
    baton_message_preference: MessagePreferenceTable;
    baton_message_delivery: MessageDeliveryTable;
  }
}
