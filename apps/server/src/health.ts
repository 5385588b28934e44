import type { FastifyBaseLogger, LogLevel } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import * as z from 'zod';

export type ReadinessCheck = () => Promise<{ ok: boolean; detail?: Record<string, unknown> }>;

export type CheckResult = { ok: boolean } & Record<string, unknown>;

const TIMED_OUT = Symbol('timed out');

/**
 * Runs every check in parallel, each against its own timeout. A check that throws or hangs counts
 * as not ok; its error goes to the log only, since /readyz is public and errors carry hosts/ports.
 */
export async function runReadiness(
  checks: Record<string, ReadinessCheck>,
  timeoutMs: number,
  log: FastifyBaseLogger,
): Promise<{ ready: boolean; checks: Record<string, CheckResult> }> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, CheckResult]> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
        timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
      });
      try {
        const outcome = await Promise.race([Promise.resolve().then(check), timeout]);
        if (outcome === TIMED_OUT) {
          log.warn({ check: name, timeoutMs }, 'readiness check timed out');
          return [name, { ok: false, error: 'timeout', timeoutMs }];
        }
        // `ok` comes last so a detail can never claim success for a failed check.
        return [name, { ...outcome.detail, ok: outcome.ok === true }];
      } catch (error) {
        log.warn({ check: name, err: error }, 'readiness check failed');
        return [name, { ok: false, error: 'failed' }];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const results = Object.fromEntries(entries);
  return { ready: entries.every(([, result]) => result.ok), checks: results };
}

const checksSchema = z.record(z.string(), z.looseObject({ ok: z.boolean() }));

export function healthRoutes(
  checks: Record<string, ReadinessCheck>,
  timeoutMs: number,
  logLevel: LogLevel,
): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/healthz',
      {
        logLevel,
        config: { policy: 'public' },
        schema: {
          tags: ['ops'],
          summary: 'Liveness: the process is up',
          response: { 200: z.object({ status: z.literal('ok') }) },
        },
      },
      async (_request, reply) => {
        reply.header('cache-control', 'no-store');
        return { status: 'ok' as const };
      },
    );

    app.get(
      '/readyz',
      {
        logLevel,
        config: { policy: 'public' },
        schema: {
          tags: ['ops'],
          summary: 'Readiness: every dependency check passes',
          response: {
            200: z.object({ status: z.literal('ready'), checks: checksSchema }),
            503: z.object({ status: z.literal('not_ready'), checks: checksSchema }),
          },
        },
      },
      async (request, reply) => {
        const result = await runReadiness(checks, timeoutMs, request.log);
        reply.header('cache-control', 'no-store');
        if (result.ready) return reply.code(200).send({ status: 'ready' as const, checks: result.checks });
        return reply.code(503).send({ status: 'not_ready' as const, checks: result.checks });
      },
    );
  };
}
