import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger, isBatonError, type Logger, pickLocale } from '@baton/core';
import { migrationStatus } from '@baton/db';
import { backup, restore } from './backup.ts';
import { type Config, describeConfig, loadConfig } from './config.ts';
import { describeFirstStart, firstStart } from './first-start.ts';
import { exportCommand, importCommand, packUsage, validateCommand } from './pack-command.ts';
import {
  createPlatformServer,
  createPlatformWorker,
  migratePlatform,
  openPlatformDatabase,
  platformMigrations,
} from './platform.ts';
import { testClockFrom } from './test-clock.ts';
import { closeMessageBus } from './wiring/messages.ts';

const usage = `Usage: baton <command> [options]

Commands:
  start      server and worker in one process (embedded mode); applies migrations first
  server     the HTTP server only (production: run several)
  worker     the background worker only (production: run one or more)
  migrate    apply pending migrations and exit
  doctor     print the configuration (secrets masked), database reachability and versions
  backup [folder]            copy the database and uploads into a new folder with a checksummed manifest
                             (default ./backups/baton-<time>); safe while the server runs
  restore <folder> [--force] check a backup's checksums, then restore it; stop servers and workers first;
                             --force replaces a database that holds data (an old SQLite file is kept aside)
${packUsage}

Options:
  --config <file>          a JSON configuration file (default: ./baton.config.json when present)
  --build-web-if-missing   (start) build apps/web first when its build is missing
  -h, --help

Configuration comes from the environment (PORT, HOST, DATABASE_URL, BATON_DATA_DIR, LOG_LEVEL,
REDIS_URL, BATON_WEB_ROOT, BATON_BODY_LIMIT, BATON_TRUST_PROXY, BATON_WORKER_POLL_MS, BATON_PUBLIC_URL)
and the optional file; without DATABASE_URL, SQLite at <BATON_DATA_DIR>/baton.db is used.`;

const repoRoot = path.resolve(import.meta.dirname, '../../..');

function onShutdown(log: Logger, close: () => Promise<void>) {
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

function buildWebIfMissing(config: Config, log: Logger) {
  if (existsSync(path.join(config.webRoot, 'index.html'))) return;
  log.info({ webRoot: config.webRoot }, 'web build missing: building apps/web once (about a minute)');
  const result = spawnSync('npm', ['run', 'build', '-w', '@baton/web'], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('building apps/web failed; run `npm run build` to see why');
}

function publicAddress(config: Config): string {
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return config.publicUrl ?? `http://${host}:${config.port}`;
}

async function runServer(config: Config, log: Logger, options: { withWorker: boolean; migrate: boolean }) {
  const database = openPlatformDatabase(config, log);
  let firstStartNote = '';
  if (options.migrate) {
    const { applied } = await migratePlatform(database, log);
    if (applied.length) log.info({ applied }, 'migrations applied');
    const report = await firstStart(database, log, { demo: config.demo, dataDir: config.dataDir });
    firstStartNote = describeFirstStart(report, publicAddress(config));
  }
  // Only with BATON_TEST_CLOCK=1 (end-to-end tests; refused in production): a clock the tests move forward.
  const clock = testClockFrom(process.env, config.dataDir, log);
  const server = await createPlatformServer({ config, database, log, ...(clock ? { clock } : {}) });
  const worker = options.withWorker
    ? createPlatformWorker({ config, database, log, ...(clock ? { clock } : {}) })
    : undefined;
  onShutdown(log, async () => {
    await server.close();
    await worker?.stop();
    await closeMessageBus();
    await database.destroy();
  });
  await server.listen({ port: config.port, host: config.host });
  worker?.start();
  const where =
    config.publicUrl ??
    `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${config.port}`;
  log.info({ url: where, database: database.dialect, worker: Boolean(worker) }, `Baton is running at ${where}`);
  // Printed whether or not this is a terminal: it is the one time the administrator password exists.
  if (firstStartNote) process.stderr.write(firstStartNote);
  if (process.stdout.isTTY) {
    process.stderr.write(
      `\n  接力 Baton is running at ${where}  (${database.dialect}${worker ? ', with worker' : ''})\n  Press Ctrl+C to stop.\n\n`,
    );
  }
}

async function runWorker(config: Config, log: Logger) {
  const database = openPlatformDatabase(config, log);
  const status = await migrationStatus(database.db, [...platformMigrations]);
  if (status.pending.length > 0) {
    throw new Error(`the database has ${status.pending.length} pending migrations; run \`baton migrate\` first`);
  }
  const clock = testClockFrom(process.env, config.dataDir, log);
  const worker = createPlatformWorker({ config, database, log, ...(clock ? { clock } : {}) });
  onShutdown(log, async () => {
    await worker.stop();
    await closeMessageBus();
    await database.destroy();
  });
  worker.start();
  // The worker's timer is unref'd; this keeps the process alive until a signal.
  setInterval(() => {}, 1 << 30);
}

async function doctor(config: Config): Promise<number> {
  const lines: string[] = ['Baton doctor', '', 'Configuration:'];
  for (const [key, value] of Object.entries(describeConfig(config))) lines.push(`  ${key.padEnd(14)} ${value}`);
  lines.push(
    '',
    'Runtime:',
    `  node           ${process.version}`,
    `  platform       ${process.platform} ${process.arch}`,
  );
  lines.push(
    `  web build      ${existsSync(path.join(config.webRoot, 'index.html')) ? 'present' : 'missing (npm run build)'}`,
  );
  let code = 0;
  const log = createLogger({ level: 'silent' });
  const database = openPlatformDatabase(config, log);
  try {
    const info = await database.ping();
    lines.push(
      '',
      'Database:',
      `  dialect        ${info.dialect}`,
      `  server         ${info.serverVersion}`,
      '  reachable      yes',
    );
    const status = await migrationStatus(database.db, [...platformMigrations]);
    lines.push(`  migrations     ${status.applied.length} applied, ${status.pending.length} pending`);
    if (status.pending.length) lines.push(`                 pending: ${status.pending.join(', ')}`);
  } catch (error) {
    code = 1;
    lines.push('', 'Database:', `  reachable      NO — ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await database.destroy().catch(() => {});
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return code;
}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      'build-web-if-missing': { type: 'boolean' },
      force: { type: 'boolean' },
      out: { type: 'string' },
      'with-demo': { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      'pack-version': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (values.help || !command) {
    process.stdout.write(`${usage}\n`);
    return command || values.help ? 0 : 1;
  }
  const config = loadConfig(values.config ? { file: values.config } : {});
  const log = createLogger({ level: config.logLevel });
  switch (command) {
    case 'start':
      if (values['build-web-if-missing']) buildWebIfMissing(config, log);
      await runServer(config, log, { withWorker: true, migrate: true });
      return -1;
    case 'server':
      await runServer(config, log, { withWorker: false, migrate: false });
      return -1;
    case 'worker':
      await runWorker(config, log);
      return -1;
    case 'migrate': {
      const database = openPlatformDatabase(config, log);
      try {
        const { applied } = await migratePlatform(database, log);
        process.stdout.write(applied.length ? `applied ${applied.length}: ${applied.join(', ')}\n` : 'up to date\n');
        // Production installs never get the demo org; they do get an administrator.
        const report = await firstStart(database, log, { demo: false, dataDir: config.dataDir });
        process.stdout.write(describeFirstStart(report, publicAddress(config)));
      } finally {
        await database.destroy();
      }
      return 0;
    }
    case 'doctor':
      return doctor(config);
    case 'backup': {
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const folder = positionals[1] ?? path.join('backups', `baton-${stamp}`);
      const result = await backup(config, folder);
      process.stdout.write(
        `backup of ${result.dialect} (${result.migrations} migrations, ${result.files} files) written to ${result.folder}\n`,
      );
      return 0;
    }
    case 'restore': {
      const folder = positionals[1];
      if (!folder) {
        process.stderr.write(`restore needs the backup folder\n\n${usage}\n`);
        return 1;
      }
      const result = await restore(config, folder, { force: values.force === true });
      process.stdout.write(
        `restored ${result.dialect} (${result.migrations} migrations, ${result.files} uploaded files)` +
          `${result.keptAside ? `; the previous database is kept at ${result.keptAside}` : ''}\n`,
      );
      return 0;
    }
    case 'pack': {
      const [, sub, target] = positionals;
      if (sub === 'validate' && target) return validateCommand(target, process.stdout);
      if (sub === 'export' && target) {
        const options = {
          ...(values.out ? { out: values.out } : {}),
          ...(values['pack-version'] ? { version: values['pack-version'] } : {}),
          withDemo: values['with-demo'] === true,
        };
        return exportCommand(config, log, target, options, process.stdout);
      }
      if (sub === 'import' && target) {
        const options = { dryRun: values['dry-run'] === true, withDemo: values['with-demo'] === true };
        return importCommand(config, log, target, options, process.stdout);
      }
      process.stderr.write(`pack needs validate <dir|file|all>, export <key> or import <file>\n\n${usage}\n`);
      return 1;
    }
    default:
      process.stderr.write(`unknown command: ${command}\n\n${usage}\n`);
      return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    // -1: a long-running command; the process lives until a signal.
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    const message = isBatonError(error)
      ? error.localized(pickLocale(process.env.LANG?.replace('_', '-')))
      : error instanceof Error
        ? error.message
        : String(error);
    process.stderr.write(`baton: ${message}\n`);
    process.exit(1);
  },
);
