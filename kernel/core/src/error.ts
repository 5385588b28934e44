import type { Locale } from './locale.ts';

/** A problem with one input value, located by its path (`['items', 3, 'amount']`). */
export type FieldIssue = {
  path: ReadonlyArray<string | number>;
  /** A stable machine code such as `required` or `too_long`. */
  code: string;
  /** Human text (en-US for engine issues: logs and the CLI); the server localises it when it has a text for `code`. */
  message?: string;
  /** The values the text names (the key, the field, the type), so it can be written in either language. */
  params?: Readonly<ErrorParams>;
  /**
   * The issue catalogue (`defineIssues`) that holds the texts of `code`. Without it, a code that is a coded
   * error's (`EXPR_UNKNOWN_FIELD`) is written with that error's texts.
   */
  engine?: string;
};

export type ErrorSpec = {
  /** HTTP status the server answers with. */
  status: number;
  /** zh-CN message; `{name}` is replaced by the error's parameter `name`. */
  zh: string;
  /** en-US message, same placeholders. */
  en: string;
};

export type ErrorParams = Record<string, string | number | boolean | null | undefined>;

export type ErrorDefinition = Readonly<ErrorSpec> & {
  readonly code: string;
  /** Builds the error to throw. */
  create(params?: ErrorParams, options?: { fields?: FieldIssue[]; cause?: unknown }): BatonError;
  /** True when `error` was created from this definition. */
  is(error: unknown): error is BatonError;
  /** The message in `locale` with the parameters filled in. */
  format(locale: Locale, params?: ErrorParams): string;
};

const CODE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/;
const registry = new Map<string, ErrorDefinition>();

export function interpolate(template: string, params: ErrorParams | undefined): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params?.[name];
    return value === undefined || value === null ? whole : String(value);
  });
}

export class BatonError extends Error {
  readonly code: string;
  readonly status: number;
  readonly params: Readonly<ErrorParams>;
  readonly fields: ReadonlyArray<FieldIssue>;
  readonly definition: ErrorDefinition;

  constructor(
    definition: ErrorDefinition,
    params: ErrorParams = {},
    options: { fields?: FieldIssue[]; cause?: unknown } = {},
  ) {
    super(definition.format('en-US', params), options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BatonError';
    this.code = definition.code;
    this.status = definition.status;
    this.params = Object.freeze({ ...params });
    this.fields = Object.freeze([...(options.fields ?? [])]);
    this.definition = definition;
  }

  /** The message in the caller's language. */
  localized(locale: Locale): string {
    return this.definition.format(locale, this.params);
  }
}

/**
 * Declares a coded error once, with its HTTP status and both messages. Codes are SCREAMING_SNAKE
 * with an engine prefix (`FLOW_TASK_NOT_PENDING`) and are unique across the process.
 */
export function defineError(code: string, spec: ErrorSpec): ErrorDefinition {
  if (!CODE.test(code)) throw new TypeError(`defineError: "${code}" is not an ENGINE_REASON code`);
  if (registry.has(code)) throw new TypeError(`defineError: "${code}" is defined twice`);
  if (!Number.isInteger(spec.status) || spec.status < 400 || spec.status > 599) {
    throw new TypeError(`defineError: "${code}" needs a 4xx or 5xx status`);
  }
  if (!spec.zh.trim() || !spec.en.trim()) throw new TypeError(`defineError: "${code}" needs zh and en messages`);
  const definition: ErrorDefinition = Object.freeze({
    code,
    status: spec.status,
    zh: spec.zh,
    en: spec.en,
    create: (params?: ErrorParams, options?: { fields?: FieldIssue[]; cause?: unknown }) =>
      new BatonError(definition, params, options),
    is: (error: unknown): error is BatonError => error instanceof BatonError && error.code === code,
    format: (locale: Locale, params?: ErrorParams) => interpolate(locale === 'zh-CN' ? spec.zh : spec.en, params),
  });
  registry.set(code, definition);
  return definition;
}

/** The coded error with this code, if one is defined. */
export function findError(code: string): ErrorDefinition | undefined {
  return registry.get(code);
}

export function isBatonError(error: unknown): error is BatonError {
  return error instanceof BatonError;
}

/** Every error defined so far, sorted by code: the source of the error catalogue. */
export function errorCatalog(): ErrorDefinition[] {
  return [...registry.values()].sort((a, b) => a.code.localeCompare(b.code));
}

export const CoreErrors = {
  validation: defineError('CORE_VALIDATION_FAILED', {
    status: 400,
    zh: '提交的数据有误，请检查标出的字段',
    en: 'The submitted data is invalid; check the marked fields',
  }),
  notFound: defineError('CORE_NOT_FOUND', {
    status: 404,
    zh: '找不到请求的内容',
    en: 'The requested item was not found',
  }),
  forbidden: defineError('CORE_FORBIDDEN', {
    status: 403,
    zh: '您没有执行此操作的权限',
    en: 'You are not allowed to do this',
  }),
  unauthenticated: defineError('CORE_UNAUTHENTICATED', { status: 401, zh: '请先登录', en: 'Please sign in first' }),
  internal: defineError('CORE_INTERNAL', {
    status: 500,
    zh: '服务器内部错误，请稍后重试',
    en: 'Internal server error; please try again later',
  }),
} as const;
