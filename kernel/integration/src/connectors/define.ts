import type { DbCtx } from '@baton/db';
import type { z } from 'zod';

/**
 * A kind of connector (generic HTTP, Yonyou NC voucher, DingTalk …): how an administrator configures one and
 * how a call is made. Rules call connectors by name (`callConnector`), through the outbox, so `call` runs in a
 * worker after the cause committed and may run more than once: it receives the idempotency key to pass on.
 */
export type ConnectorKind<C = unknown> = {
  kind: string;
  label: { zh: string; en: string };
  configSchema: z.ZodType<C>;
  /** Checks a configuration beyond its schema (e.g. the URL's form); throws coded errors. */
  check?(config: C): void;
  call(ctx: DbCtx, input: { config: C; body: unknown; idempotencyKey: string }): Promise<void>;
};

export function defineConnectorKind<C>(kind: ConnectorKind<C>): ConnectorKind<C> {
  return Object.freeze(kind);
}
