import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defineError } from '@baton/core';
import { z } from 'zod';

export const ConfigErrors = {
  invalid: defineError('CLI_CONFIG_INVALID', {
    status: 500,
    zh: '配置有误：\n{problems}',
    en: 'The configuration is invalid:\n{problems}',
  }),
  unreadableFile: defineError('CLI_CONFIG_FILE_UNREADABLE', {
    status: 500,
    zh: '无法读取配置文件 {file}：{reason}',
    en: 'Cannot read the configuration file {file}: {reason}',
  }),
};

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Each key: where it comes from in the environment, and what a valid value is. */
const fields = {
  port: { env: 'PORT', schema: z.coerce.number().int().min(1).max(65535), hint: 'an integer from 1 to 65535' },
  host: { env: 'HOST', schema: z.string().min(1), hint: 'a host name or address to listen on' },
  databaseUrl: {
    env: 'DATABASE_URL',
    schema: z.string().regex(/^postgres(ql)?:\/\/.+/, 'postgres url'),
    hint: 'a postgres:// or postgresql:// URL (leave unset for embedded SQLite)',
  },
  dataDir: { env: 'BATON_DATA_DIR', schema: z.string().min(1), hint: 'a directory for the SQLite file and uploads' },
  logLevel: { env: 'LOG_LEVEL', schema: z.enum(logLevels), hint: `one of ${logLevels.join(', ')}` },
  redisUrl: {
    env: 'REDIS_URL',
    schema: z.string().regex(/^rediss?:\/\/.+/, 'redis url'),
    hint: 'a redis:// or rediss:// URL',
  },
  webRoot: { env: 'BATON_WEB_ROOT', schema: z.string().min(1), hint: 'the directory of the web build' },
  bodyLimit: {
    env: 'BATON_BODY_LIMIT',
    schema: z.coerce
      .number()
      .int()
      .min(1024)
      .max(100 * 1024 * 1024),
    hint: 'a byte count from 1024 to 104857600',
  },
  trustProxy: {
    env: 'BATON_TRUST_PROXY',
    schema: z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')]),
    hint: 'true or false',
  },
  workerPollMs: {
    env: 'BATON_WORKER_POLL_MS',
    schema: z.coerce.number().int().min(10).max(60_000),
    hint: 'milliseconds from 10 to 60000',
  },
  demo: {
    env: 'BATON_DEMO',
    schema: z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')]),
    hint: 'true or false (load the demo organisation into an empty database at `baton start`)',
  },
  publicUrl: { env: 'BATON_PUBLIC_URL', schema: z.url(), hint: 'the URL members open, e.g. https://oa.example.com' },
  smtpUrl: {
    env: 'SMTP_URL',
    schema: z.string().regex(/^smtps?:\/\/.+/, 'smtp url'),
    hint: 'an smtp:// or smtps:// URL, e.g. smtps://user:password@smtp.example.com:465 (unset: no e-mail)',
  },
  mailFrom: {
    env: 'MAIL_FROM',
    schema: z.string().min(3).max(200),
    hint: 'the From of notices, e.g. "接力 <noreply@example.com>"',
  },
} as const;

type Fields = typeof fields;
type Key = keyof Fields;

export type Config = {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  logLevel: (typeof logLevels)[number];
  redisUrl?: string;
  webRoot: string;
  bodyLimit: number;
  trustProxy: boolean;
  workerPollMs: number;
  demo: boolean;
  publicUrl?: string;
  /** E-mail notices are sent only when both are set. */
  smtpUrl?: string;
  mailFrom?: string;
  /** Where each value came from, for `baton doctor`. */
  sources: Record<string, 'default' | 'file' | 'environment'>;
};

const repoRoot = path.resolve(import.meta.dirname, '../../..');

export const configDefaults = {
  port: 3000,
  host: 'localhost',
  dataDir: './data',
  logLevel: 'info',
  webRoot: path.join(repoRoot, 'apps/web/dist'),
  bodyLimit: 1024 * 1024,
  trustProxy: false,
  workerPollMs: 500,
  demo: true,
} satisfies Partial<Record<Key, unknown>>;

const secretKeys: ReadonlySet<Key> = new Set(['databaseUrl', 'redisUrl', 'smtpUrl']);

export type LoadConfigInput = {
  env?: NodeJS.ProcessEnv;
  /** An explicit file; otherwise BATON_CONFIG, otherwise ./baton.config.json when present. */
  file?: string;
  cwd?: string;
};

function readFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw ConfigErrors.unreadableFile.create({ file, reason: (error as Error).message });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw ConfigErrors.unreadableFile.create({ file, reason: `not JSON (${(error as Error).message})` });
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw ConfigErrors.unreadableFile.create({ file, reason: 'expected a JSON object' });
  }
  return parsed as Record<string, unknown>;
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * Reads defaults, then the optional JSON file, then the environment; validates every value and
 * reports all problems at once, one line each, naming the variable or file key to fix.
 */
export function loadConfig(input: LoadConfigInput = {}): Config {
  const env = input.env ?? process.env;
  const cwd = input.cwd ?? process.cwd();
  const explicitFile = input.file ?? env.BATON_CONFIG;
  const file = explicitFile
    ? path.resolve(cwd, explicitFile)
    : existsSync(path.join(cwd, 'baton.config.json'))
      ? path.join(cwd, 'baton.config.json')
      : undefined;
  const fromFile = file ? readFile(file) : {};

  const problems: string[] = [];
  for (const key of Object.keys(fromFile)) {
    if (!(key in fields)) problems.push(`${key} (${file}): unknown setting`);
  }

  const values: Record<string, unknown> = { ...configDefaults };
  const sources: Config['sources'] = {};
  for (const key of Object.keys(configDefaults)) sources[key] = 'default';

  for (const [key, field] of Object.entries(fields) as [Key, Fields[Key]][]) {
    const raw = env[field.env];
    const [origin, value] =
      raw !== undefined && raw !== ''
        ? ([`${field.env} (environment)`, raw] as const)
        : key in fromFile
          ? ([`${key} (${file})`, fromFile[key]] as const)
          : ([undefined, undefined] as const);
    if (origin === undefined) continue;
    const result = field.schema.safeParse(value);
    if (!result.success) {
      const shown = secretKeys.has(key) ? '(hidden)' : JSON.stringify(show(value));
      problems.push(`${origin}: expected ${field.hint}, got ${shown}`);
      continue;
    }
    values[key] = result.data;
    sources[key] = origin.endsWith('(environment)') ? 'environment' : 'file';
  }

  if (problems.length > 0) throw ConfigErrors.invalid.create({ problems: problems.map((p) => `- ${p}`).join('\n') });
  values.dataDir = path.resolve(cwd, values.dataDir as string);
  values.webRoot = path.resolve(cwd, values.webRoot as string);
  return { ...(values as Omit<Config, 'sources'>), sources };
}

/** The configuration as `baton doctor` prints it: passwords in URLs masked. */
export function describeConfig(config: Config): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(fields) as Key[]) {
    const value = config[key];
    if (value === undefined) continue;
    out[key] = `${secretKeys.has(key) ? maskUrl(String(value)) : String(value)}  [${config.sources[key] ?? 'default'}]`;
  }
  return out;
}

export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '****';
    return parsed.toString();
  } catch {
    return '****';
  }
}

export function sqlitePathOf(config: Config): string {
  return path.join(config.dataDir, 'baton.db');
}
