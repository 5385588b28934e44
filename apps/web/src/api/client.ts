import { getLocale } from '../i18n/index.ts';

export type ProblemFieldPath = ReadonlyArray<string | number>;

/** One invalid input, located by its path in the request body (`['items', 3, 'amount']`). */
export type ProblemField = { path: ProblemFieldPath; message: string; code?: string };

/** The body of an `application/problem+json` response as the Baton server sends it. */
export type Problem = {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  /** The request id, for matching a user's report with the server log. */
  instance?: string;
  fields?: ProblemField[];
};

/**
 * `problem`: the server answered with a coded problem+json error (its text is already in the
 * caller's language). `http`: some other non-2xx or unreadable answer, e.g. from a proxy.
 * `network`: no answer at all.
 */
export type ApiErrorKind = 'problem' | 'http' | 'network';

export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  /** HTTP status, 0 when the request never got an answer. */
  readonly status: number;
  /** The stable error code (`FLOW_TASK_NOT_PENDING`); `HTTP_<status>` or `NETWORK` otherwise. */
  readonly code: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly fields: ReadonlyArray<ProblemField>;
  readonly problem: Problem | undefined;

  constructor(init: {
    kind: ApiErrorKind;
    status: number;
    code: string;
    title: string;
    detail?: string;
    fields?: ProblemField[];
    problem?: Problem;
    cause?: unknown;
  }) {
    super(init.detail ? `${init.title}: ${init.detail}` : init.title, { cause: init.cause });
    this.name = 'ApiError';
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail;
    this.fields = init.fields ?? [];
    this.problem = init.problem;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

export type RequestOptions = {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Sent as JSON. */
  body?: unknown;
  query?: Record<string, string | number | boolean | undefined>;
  signal?: AbortSignal;
  headers?: Record<string, string>;
};

export type RawResponse = { status: number; ok: boolean; contentType: string; body: unknown };

/** The readable cookie the server sets at sign-in; its value goes back as X-CSRF-Token. */
export const CSRF_COOKIE = 'baton_csrf';

export function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

function buildUrl(path: string, query: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) params.set(name, String(value));
  }
  const search = params.toString();
  return search ? `${path}${path.includes('?') ? '&' : '?'}${search}` : path;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseFieldPath(path: unknown): ProblemFieldPath {
  if (Array.isArray(path)) return path.filter((part) => typeof part === 'string' || typeof part === 'number');
  // Some validators report JSON-pointer or dotted paths; both become segments.
  if (typeof path === 'string') {
    return path
      .replace(/^\//, '')
      .split(/[./]/)
      .filter(Boolean)
      .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
  }
  return [];
}

/** Reads a problem+json body defensively: a malformed one must not hide the original failure. */
export function parseProblem(body: unknown, status: number): Problem | undefined {
  if (!isRecord(body) || typeof body.title !== 'string') return undefined;
  const fields = Array.isArray(body.fields)
    ? body.fields.filter(isRecord).map((field) => ({
        path: parseFieldPath(field.path),
        message: typeof field.message === 'string' ? field.message : '',
        ...(typeof field.code === 'string' ? { code: field.code } : {}),
      }))
    : undefined;
  return {
    type: typeof body.type === 'string' ? body.type : 'about:blank',
    title: body.title,
    status: typeof body.status === 'number' ? body.status : status,
    code: typeof body.code === 'string' ? body.code : `HTTP_${status}`,
    detail: typeof body.detail === 'string' ? body.detail : undefined,
    instance: typeof body.instance === 'string' ? body.instance : undefined,
    fields,
  };
}

async function readBody(response: Response): Promise<{ contentType: string; body: unknown }> {
  const contentType = response.headers.get('content-type') ?? '';
  if (response.status === 204 || response.status === 205) return { contentType, body: undefined };
  const text = await response.text();
  if (!text) return { contentType, body: undefined };
  if (/[/+]json\b/.test(contentType)) {
    try {
      return { contentType, body: JSON.parse(text) };
    } catch {
      return { contentType, body: text };
    }
  }
  return { contentType, body: text };
}

/**
 * Sends one request and returns whatever came back, without judging the status. For callers
 * that give meaning to non-2xx answers themselves, such as the readiness probe (503 + body).
 * Only a failure to get any answer throws.
 */
export async function requestRaw(path: string, options: RequestOptions = {}): Promise<RawResponse> {
  const method = options.method ?? (options.body === undefined ? 'GET' : 'POST');
  const headers: Record<string, string> = {
    Accept: 'application/json, application/problem+json',
    'Accept-Language': getLocale(),
    ...options.headers,
  };
  // Double-submit CSRF: every state-changing request echoes the readable baton_csrf cookie.
  const csrf = method === 'GET' ? undefined : readCookie(CSRF_COOKIE);
  if (csrf) headers['X-CSRF-Token'] = csrf;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (cause) {
    // An abort is the caller's own decision, not a failure to report.
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError({ kind: 'network', status: 0, code: 'NETWORK', title: 'Network error', cause });
  }
  const { contentType, body: parsed } = await readBody(response);
  return { status: response.status, ok: response.ok, contentType, body: parsed };
}

/** Sends one request and returns the JSON body of a 2xx answer; anything else throws an ApiError. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const raw = await requestRaw(path, options);
  if (raw.ok) return raw.body as T;
  const problem = raw.contentType.includes('problem+json') ? parseProblem(raw.body, raw.status) : undefined;
  if (problem) {
    throw new ApiError({
      kind: 'problem',
      status: problem.status,
      code: problem.code,
      title: problem.title,
      detail: problem.detail,
      fields: problem.fields,
      problem,
    });
  }
  throw new ApiError({ kind: 'http', status: raw.status, code: `HTTP_${raw.status}`, title: `HTTP ${raw.status}` });
}
