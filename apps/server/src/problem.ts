import { STATUS_CODES } from 'node:http';
import {
  CoreErrors,
  type ErrorDefinition,
  type ErrorParams,
  isBatonError,
  isLocale,
  type Locale,
  pickLocale,
} from '@baton/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import * as z from 'zod';
import { ServerErrors } from './errors.ts';
import { fieldsFromIssues, fieldsFromValidation, type ProblemField } from './validation.ts';

/** RFC 9457 problem details as Baton sends them; engines may reuse it in response schemas. */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.string(),
  detail: z.string(),
  instance: z.string(),
  fields: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })).optional(),
});

export type Problem = z.infer<typeof problemSchema>;

/** Response schemas declaring that a route may answer these statuses with a problem (for the OpenAPI document). */
export function problemResponses<S extends number>(...statuses: S[]): Record<S, typeof problemSchema> {
  return Object.fromEntries(statuses.map((status) => [status, problemSchema])) as Record<S, typeof problemSchema>;
}

/** What almost every API route may refuse with: bad input, no caller, no right, nothing there (or not for them). */
export const refusals = problemResponses(400, 401, 403, 404);

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';
const PROBLEM_BASE = 'https://baton.dev/problems/';

/** The caller's language: what auth or the Accept-Language hook settled on, else the header itself. */
export function requestLocale(request: FastifyRequest): Locale {
  return isLocale(request.locale) ? request.locale : pickLocale(request.headers['accept-language']);
}

type Classified = {
  definition: ErrorDefinition;
  status: number;
  params: ErrorParams;
  fields?: (locale: Locale) => ProblemField[];
  /** Whether this is our fault: logged as an error with its stack rather than as a refused request. */
  internal: boolean;
};

type FastifyLikeError = {
  code?: unknown;
  statusCode?: unknown;
  validation?: unknown;
  validationContext?: unknown;
};

const byStatus: Record<number, ErrorDefinition> = {
  400: ServerErrors.badRequest,
  401: CoreErrors.unauthenticated,
  403: CoreErrors.forbidden,
  404: CoreErrors.notFound,
  405: ServerErrors.methodNotAllowed,
  413: ServerErrors.payloadTooLarge,
  415: ServerErrors.unsupportedMediaType,
  429: ServerErrors.tooManyRequests,
};

/** Only a well-formed media type is echoed back: the header is the caller's text, not ours. */
function mediaType(header: string | undefined): string {
  const match = /^\s*([\w.+-]{1,60}\/[\w.+-]{1,60})/.exec(header ?? '');
  return match?.[1] ?? '-';
}

function classify(error: unknown, request: FastifyRequest, bodyLimit: number): Classified {
  if (isBatonError(error)) {
    const { fields } = error;
    return {
      definition: error.definition,
      status: error.status,
      params: error.params,
      fields: fields.length > 0 ? (locale) => fieldsFromIssues(fields, locale) : undefined,
      internal: error.status >= 500,
    };
  }
  const e = (typeof error === 'object' && error !== null ? error : {}) as FastifyLikeError;
  if ((e.code === 'FST_ERR_VALIDATION' || hasZodFastifySchemaValidationErrors(error)) && Array.isArray(e.validation)) {
    const entries = e.validation;
    const context = typeof e.validationContext === 'string' ? e.validationContext : undefined;
    return {
      definition: CoreErrors.validation,
      status: CoreErrors.validation.status,
      params: {},
      fields: (locale) => fieldsFromValidation(entries, context, locale),
      internal: false,
    };
  }
  const code = typeof e.code === 'string' ? e.code : '';
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  const refused = (definition: ErrorDefinition, params: ErrorParams = {}): Classified => ({
    definition,
    status: definition.status,
    params,
    internal: false,
  });
  switch (code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return refused(ServerErrors.payloadTooLarge, { limit: bodyLimit });
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return refused(ServerErrors.badJson);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return refused(ServerErrors.unsupportedMediaType, {
        contentType: mediaType(request.headers['content-type']),
      });
  }
  if (status >= 400 && status < 500) {
    const definition = byStatus[status];
    if (definition === ServerErrors.methodNotAllowed) return refused(definition, { method: request.method });
    if (definition === ServerErrors.payloadTooLarge) return refused(definition, { limit: bodyLimit });
    if (definition === ServerErrors.unsupportedMediaType) return refused(definition, { contentType: '-' });
    if (definition) return refused(definition);
    return { definition: ServerErrors.requestRejected, status, params: {}, internal: false };
  }
  return { definition: CoreErrors.internal, status: 500, params: {}, internal: true };
}

export function problemType(code: string): string {
  return PROBLEM_BASE + code.toLowerCase().replaceAll('_', '-');
}

/** Builds the problem for any thrown value; never copies a message, stack or config of a foreign error. */
export function toProblem(
  error: unknown,
  request: FastifyRequest,
  bodyLimit: number,
): { problem: Problem; internal: boolean } {
  const locale = requestLocale(request);
  const c = classify(error, request, bodyLimit);
  const problem: Problem = {
    type: problemType(c.definition.code),
    title: STATUS_CODES[c.status] ?? 'Error',
    status: c.status,
    code: c.definition.code,
    detail: c.definition.format(locale, c.params),
    instance: request.id,
  };
  const fields = c.fields?.(locale);
  if (fields && fields.length > 0) problem.fields = fields;
  return { problem, internal: c.internal };
}

/** Sends a problem; pre-serialised so no route response schema can reshape or reject it. */
export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply
    .code(problem.status)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .header('content-language', requestLocale(reply.request))
    .header('vary', 'Accept-Language')
    .header('cache-control', 'no-store')
    .send(JSON.stringify(problem));
}

export function createErrorHandler(bodyLimit: number) {
  return function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
    const { problem, internal } = toProblem(error, request, bodyLimit);
    if (internal) {
      request.log.error({ err: error, reqId: request.id, code: problem.code }, 'request failed');
    } else {
      request.log.info(
        { reqId: request.id, code: problem.code, status: problem.status, fields: problem.fields },
        'request refused',
      );
    }
    return sendProblem(reply, problem);
  };
}

/** A coded 404 for anything no route claimed. */
export function notFoundProblem(request: FastifyRequest, bodyLimit: number): Problem {
  return toProblem(CoreErrors.notFound.create(), request, bodyLimit).problem;
}
