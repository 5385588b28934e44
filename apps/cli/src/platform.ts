import path from 'node:path';
import { accessMemberLeft, accessMigrations, purgeSessions, purgeThrottle } from '@baton/access';
import { type Clock, type Logger, systemClock } from '@baton/core';
import { type Database, dbMigrations, type EngineMigrations, migrate, migrationStatus, openDatabase } from '@baton/db';
import { flowMemberLeft, flowMigrations, flowTimerHandlers } from '@baton/flow';
import { formMigrations, localBlobStore, purgePendingAttachments } from '@baton/form';
import { integrationMigrations, purgeIntakeHits } from '@baton/integration';
import { messageMigrations } from '@baton/message';
import { orgMigrations, registerHandover } from '@baton/org';
import { packMigrations } from '@baton/pack';
import { reportMigrations } from '@baton/report';
import { ruleMigrations } from '@baton/rule';
import { registerTimerHandler, scheduleMigrations, timerJob } from '@baton/schedule';
import {
  accessGate,
  attachmentRoutes,
  auditRoutes,
  authRoutes,
  buildServer,
  DEFAULT_BODY_LIMIT,
  delegationsRoutes,
  flowsRoutes,
  formsRoutes,
  formViewsRoutes,
  intakeRoutes,
  integrationRoutes,
  messagesRoutes,
  orgImportRoutes,
  orgRoutes,
  packsRoutes,
  type RoutePlugin,
  reportsRoutes,
  rolePermissionsRoutes,
  rulesRoutes,
  schedulesRoutes,
  settingsRoutes,
} from '@baton/server';
import { createWorker, type OutboxHandler, type WorkerJob } from '@baton/worker';
import { type Config, sqlitePathOf } from './config.ts';
import { platformMetricReadings } from './metrics.ts';
import { wireIntegration } from './wiring/integration.ts';
import { messageBus, messageDeliverers, wireMessageEvents } from './wiring/messages.ts';
import { wireRules } from './wiring/rules.ts';
import { wireSerialCodes } from './wiring/serial-codes.ts';

/*
 * The composition root: the one place that knows every engine. Engines never import the engines
 * that react to them; their events, routes, migrations and outbox handlers are wired here.
 */

/** Every engine's migrations, in dependency order. */
export const platformMigrations: ReadonlyArray<EngineMigrations> = [
  dbMigrations,
  scheduleMigrations,
  orgMigrations,
  accessMigrations,
  formMigrations,
  flowMigrations,
  ruleMigrations,
  reportMigrations,
  messageMigrations,
  integrationMigrations,
  packMigrations,
];

/** Uploaded files live beside the database, never under webRoot or any other served folder. */
function blobStoreOf(config: Pick<Config, 'dataDir'>) {
  return localBlobStore({ root: path.join(config.dataDir, 'blobs') });
}

/** What 系统设置 shows as fixed by the deployment: never a password, only whether and where. */
function deploymentFacts(
  database: Database,
  config: Pick<Config, 'redisUrl'> & Partial<Pick<Config, 'publicUrl' | 'smtpUrl' | 'mailFrom' | 'bodyLimit'>>,
) {
  let host: string | null = null;
  try {
    if (config.smtpUrl) host = new URL(config.smtpUrl).host;
  } catch {
    host = null;
  }
  return {
    database: database.dialect,
    publicUrl: config.publicUrl ?? null,
    mail: { configured: Boolean(config.smtpUrl && config.mailFrom), host, from: config.mailFrom ?? null },
    redis: Boolean(config.redisUrl),
    bodyLimit: config.bodyLimit ?? DEFAULT_BODY_LIMIT,
  };
}

/** Every engine's HTTP routes, mounted under /api. */
export function platformRoutes(
  database: Database,
  config: Pick<Config, 'dataDir' | 'redisUrl'> &
    Partial<Pick<Config, 'publicUrl' | 'smtpUrl' | 'mailFrom' | 'bodyLimit'>>,
): RoutePlugin[] {
  const db = database.db;
  // Uploaded files live beside the database, never under webRoot or any other served folder.
  const store = blobStoreOf(config);
  return [
    authRoutes({ db }),
    auditRoutes({ db }),
    orgRoutes({ db }),
    rolePermissionsRoutes({ db }),
    ...orgImportRoutes({ db }),
    attachmentRoutes({ db, store }),
    formsRoutes({ db }),
    formViewsRoutes({ db }),
    ...flowsRoutes({ db }),
    delegationsRoutes({ db }),
    reportsRoutes({ db }),
    rulesRoutes({ db }),
    schedulesRoutes({ db }),
    settingsRoutes({ db, deployment: deploymentFacts(database, config) }),
    packsRoutes({ db }),
    integrationRoutes({ db }),
    ...intakeRoutes({ db }),
    // The same per-process bus the embedded worker's message handler publishes on (Redis when configured).
    messagesRoutes({ db, bus: messageBus(config) }),
  ];
}

// What a leaving member holds is handed over inside the leave's own transaction.
registerHandover('access', accessMemberLeft);
registerHandover('flow', flowMemberLeft);

// Flow events become notices (message.send rows) and webhook deliveries in the action's own transaction, in
// every process that runs flow actions (servers and workers alike), so both subscribe at module load.
// Rules first: a guard's refusal stops the action before anything else reacts to it (all of it rolls back anyway).
wireRules();
wireMessageEvents();
wireSerialCodes();
const integrationHandlers = wireIntegration();

// Flow task deadlines and reminders (timers armed by the flow engine, run by timerJob below).
for (const [topic, handler] of Object.entries(flowTimerHandlers)) registerTimerHandler(topic, handler);

/** Deliverers of outbox topics (mail, IM, webhooks …). */
export const platformOutboxHandlers: Readonly<Record<string, OutboxHandler>> = {
  ...integrationHandlers,
};

/** Every outbox deliverer, including those that depend on the configuration (SMTP, Redis). */
export function platformConfiguredHandlers(
  config: Pick<Config, 'redisUrl' | 'publicUrl' | 'smtpUrl' | 'mailFrom'>,
): Record<string, OutboxHandler> {
  return { ...platformOutboxHandlers, ...messageDeliverers(config) };
}

const HOUR = 3_600_000;

/** Housekeeping that may run late or twice without harm, at most once per `everyMs` per process. */
function periodic(name: string, everyMs: number, run: WorkerJob['run']): WorkerJob {
  let last = Number.NEGATIVE_INFINITY;
  return {
    name,
    async run(ctx) {
      const now = ctx.clock.now().getTime();
      if (now - last < everyMs) return 0;
      last = now;
      return run(ctx);
    },
  };
}

/** Background jobs run on every worker tick (due timers, schedules …). */
export function platformJobs(config: Pick<Config, 'dataDir'>): WorkerJob[] {
  const store = blobStoreOf(config);
  return [
    periodic('access.purgeSessions', HOUR, (ctx) => purgeSessions(ctx)),
    periodic('access.purgeThrottle', HOUR, (ctx) => purgeThrottle(ctx, 24 * HOUR)),
    // Due timers and recurring schedules; handlers come from registerTimerHandler calls made in this module.
    timerJob(),
    periodic('integration.purgeIntakeHits', HOUR, (ctx) => purgeIntakeHits(ctx)),
    // Uploads never saved onto a record (an abandoned form) are dropped with their blobs after a day.
    periodic('form.purgePendingAttachments', HOUR, (ctx) =>
      purgePendingAttachments(ctx, store, { olderThanMs: 24 * HOUR }),
    ),
  ];
}

export function openPlatformDatabase(config: Config, log: Logger): Database {
  return config.databaseUrl
    ? openDatabase({ url: config.databaseUrl, log })
    : openDatabase({ sqlitePath: sqlitePathOf(config), log });
}

export async function migratePlatform(database: Database, log: Logger) {
  return migrate(database.db, [...platformMigrations], { log });
}

export async function createPlatformServer(input: { config: Config; database: Database; log: Logger; clock?: Clock }) {
  const { config, database, log } = input;
  return buildServer({
    logger: log,
    ...(input.clock ? { clock: input.clock } : {}),
    webRoot: config.webRoot,
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    routes: platformRoutes(database, config),
    gate: accessGate(database.db),
    metrics: platformMetricReadings(database, input.clock ?? systemClock),
    readiness: {
      database: async () => {
        const info = await database.ping();
        return { ok: true, detail: { dialect: info.dialect } };
      },
      migrations: async () => {
        const status = await migrationStatus(database.db, [...platformMigrations]);
        return { ok: status.pending.length === 0, detail: { pending: status.pending.length } };
      },
    },
  });
}

export function createPlatformWorker(input: { config: Config; database: Database; log: Logger; clock?: Clock }) {
  return createWorker({
    database: input.database,
    logger: input.log,
    ...(input.clock ? { clock: input.clock } : {}),
    pollMs: input.config.workerPollMs,
    handlers: platformConfiguredHandlers(input.config),
    jobs: platformJobs(input.config),
  });
}
