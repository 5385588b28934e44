import { z } from 'zod';
import { checkOutboundUrl, sendHttp } from '../../outbound.ts';
import { SIGNATURE_HEADER, signBody } from '../../signature.ts';
import { defineConnectorKind } from '../define.ts';

/** POSTs the call's body as JSON to a fixed URL, optionally signed like webhooks; 2xx means done. */
export const httpConnector = defineConnectorKind({
  kind: 'http',
  label: { zh: 'HTTP 接口', en: 'HTTP endpoint' },
  configSchema: z.strictObject({
    url: z.string().max(2000),
    /** Extra headers such as an API key of the other system. */
    headers: z.record(z.string().regex(/^[A-Za-z0-9-]{1,64}$/), z.string().max(2000)).optional(),
    /** When set, the body is signed with X-Baton-Signature like a webhook. */
    secret: z.string().min(16).max(200).optional(),
    timeoutMs: z.number().int().min(100).max(60_000).optional(),
  }),
  check(config) {
    checkOutboundUrl(config.url);
  },
  async call(ctx, { config, body, idempotencyKey }) {
    const text = JSON.stringify(body ?? null);
    const res = await sendHttp(ctx, {
      url: config.url,
      method: 'POST',
      headers: {
        ...config.headers,
        'content-type': 'application/json; charset=utf-8',
        'idempotency-key': idempotencyKey,
        ...(config.secret ? { [SIGNATURE_HEADER]: signBody(config.secret, text, ctx.clock.now()) } : {}),
      },
      body: text,
      ...(config.timeoutMs ? { timeoutMs: config.timeoutMs } : {}),
    });
    if (res.status < 200 || res.status >= 300) throw new Error(`connector answered ${res.status}`);
  },
});
