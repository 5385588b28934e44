import { type Logger as PinoLogger, pino } from 'pino';

export type Logger = PinoLogger;

export type LoggerOptions = {
  level?: string;
  /** Extra keys whose values are replaced by [redacted] in every line. */
  redact?: string[];
};

const alwaysRedacted = [
  'password',
  '*.password',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
];

/** JSON lines on stdout; secrets are redacted wherever they appear in the usual places. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino({
    level: options.level ?? 'info',
    redact: { paths: [...alwaysRedacted, ...(options.redact ?? [])], censor: '[redacted]' },
    base: { service: 'baton' },
  });
}

/** A logger that writes nothing, for tests and quiet tools. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
