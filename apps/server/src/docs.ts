import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { cspHeader, docsCspDirectives } from './security.ts';

export const DOCS_PREFIX = '/api/docs';

/**
 * OpenAPI 3.1 generated from the routes' zod schemas. Registered before any route so the swagger
 * plugin's onRoute hook sees them all. The UI's assets ship inside @fastify/swagger-ui and are
 * served from here, so the page works offline.
 */
export async function registerDocs(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Baton API',
        version,
        description: 'Errors are application/problem+json (RFC 9457) with a stable `code`.',
      },
      tags: [
        { name: 'meta', description: 'About this server' },
        { name: 'ops', description: 'Probes for orchestrators' },
        { name: 'forms', description: 'Form definitions (designers) and their records (members)' },
        { name: 'flows', description: 'Approval flows: definitions, requests and tasks' },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, {
    routePrefix: DOCS_PREFIX,
    staticCSP: cspHeader(docsCspDirectives),
    validatorUrl: false,
    uiConfig: { deepLinking: true },
    theme: { title: 'Baton API' },
  });
}
