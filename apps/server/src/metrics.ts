import { definePermission } from '@baton/access';
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Permission } from './routes.ts';

/**
 * A gauge read from the database (or anything else) at scrape time: outbox backlog, overdue timers …
 * Each reading returns its samples; labels are fixed by the composition root, never taken from input.
 */
export type MetricReading = {
  name: string;
  help: string;
  labelNames?: readonly string[];
  read: () => Promise<ReadonlyArray<{ labels?: Record<string, string>; value: number }>>;
};

export const METRICS_PERMISSION = definePermission('system.metrics', {
  zh: '读取运行指标（Prometheus）',
  en: 'Read runtime metrics (Prometheus)',
}) as Permission;

/**
 * Process metrics (heap, event-loop lag, GC, handles) are per process, not per server: tests build many
 * servers in one process, and prom-client would register its collectors once per registry.
 */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

const READ_TIMEOUT_MS = 2000;

/** Races a reading against a timeout so one slow query cannot hang the scrape. */
async function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('metric reading timed out')), READ_TIMEOUT_MS);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Request counts and latencies per route template (bounded cardinality: `/api/flow/tasks/:id`, never the
 * raw URL), the composition root's readings, and the process metrics, in the Prometheus text format at
 * `GET /api/metrics`. The route is not public: a scraper uses an API token holding `system.metrics`.
 */
export function registerMetrics(app: FastifyInstance, readings: ReadonlyArray<MetricReading>): FastifyPluginAsyncZod {
  const registry = new Registry();
  const requests = new Histogram({
    name: 'baton_http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    // Unmatched URLs share one label so a scanner cannot blow up the series count.
    const route = request.routeOptions.url ?? 'unmatched';
    requests.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });

  const failures = new Gauge({
    name: 'baton_metric_reading_failed',
    help: '1 when a reading failed or timed out at the last scrape',
    labelNames: ['reading'] as const,
    registers: [registry],
  });
  for (const reading of readings) {
    const gauge = new Gauge({
      name: reading.name,
      help: reading.help,
      labelNames: [...(reading.labelNames ?? [])],
      registers: [registry],
      async collect() {
        this.reset();
        try {
          const samples = await withTimeout(reading.read());
          for (const sample of samples) {
            if (sample.labels) this.set(sample.labels, sample.value);
            else this.set(sample.value);
          }
          failures.set({ reading: reading.name }, 0);
        } catch (error) {
          failures.set({ reading: reading.name }, 1);
          app.log.warn({ err: error, reading: reading.name }, 'metric reading failed');
        }
      },
    });
    void gauge;
  }

  return async (api) => {
    api.get(
      '/metrics',
      {
        config: { policy: METRICS_PERMISSION },
        schema: { tags: ['ops'], summary: 'Runtime metrics in the Prometheus text format' },
      },
      async (_request, reply) => {
        const merged = Registry.merge([registry, processMetrics()]);
        const body = await merged.metrics();
        reply.header('cache-control', 'no-store');
        reply.type(merged.contentType);
        return reply.send(body);
      },
    );
  };
}
