import { definePermission } from '@baton/access';
import type { Db } from '@baton/db';
import { FormErrors } from '@baton/form';
import {
  checkRule,
  describeRuleActions,
  flowCompensations,
  flowTriggers,
  getRule,
  listRecentRuleRuns,
  listRecordChanges,
  listRuleRuns,
  listRules,
  listRuleVersions,
  publishRule,
  recordCompensations,
  recordTriggers,
  ruleContext,
} from '@baton/rule';
import * as z from 'zod';
import { audited, callerOf, requestCtx } from '../ctx.ts';
import { refusals, requestLocale } from '../problem.ts';
import { defineRoutes, type Permission, type RoutePlugin } from '../routes.ts';
import { checkedIssues } from '../validation.ts';
import { formRights } from './forms-permissions.ts';
import { placementOf } from './placement.ts';

// Rules (mounted at /api/rules): rule.design lists, reads, checks and publishes definitions (audited), reads the
// action registry the rule editor draws its settings from and every version of a rule, and sees what rules did to
// a request or record; any member reads the change history of a record they may read (drill-through from
// an archive to the requests that changed it), with the same record scopes as the forms API — 404 otherwise.

export const RulePermissions = {
  design: definePermission('rule.design', {
    zh: '设计与发布业务规则（回写、台账、校验、定时与提醒）',
    en: 'Design and publish rules (write-back, ledgers, guards, schedules and reminders)',
  }) as Permission,
} as const;

const tags = ['rules'];
const key = z.string().regex(/^[a-z][A-Za-z0-9]{0,39}$/);
const ref = z.string().regex(/^[a-z][A-Za-z0-9]{0,39}\.[a-z][A-Za-z0-9]{0,39}$/);
const label = z.object({ zh: z.string(), en: z.string() });
const summaryView = z.object({
  pack: z.string(),
  key: z.string(),
  version: z.number(),
  name: label,
  enabled: z.boolean(),
  on: z.unknown(),
  actions: z.array(z.string()),
  publishedAt: z.string(),
  publishedBy: z.string(),
});

const issueView = z.object({ path: z.array(z.union([z.string(), z.number()])), code: z.string(), message: z.string() });
const registryView = z.object({
  actions: z.array(
    z.object({
      kind: z.string(),
      settings: z.record(z.string(), z.unknown()),
      undoable: z.boolean(),
      /** Named with `as`, what it hands on as `$actions.<as>.<name>` (plus the fields of the form `fieldsOf` names). */
      output: z.object({ values: z.record(z.string(), z.string()), fieldsOf: z.string().optional() }).nullable(),
    }),
  ),
  events: z.object({ flow: z.array(z.string()), form: z.array(z.string()) }),
  compensations: z.object({ flow: z.array(z.string()), form: z.array(z.string()) }),
  /** `$name` → type of what every rule expression may read besides the record's fields. */
  context: z.record(z.string(), z.string()),
});
const versionsView = z.object({
  versions: z.array(
    z.object({
      version: z.number(),
      hash: z.string(),
      enabled: z.boolean(),
      definition: z.unknown(),
      publishedAt: z.string(),
      publishedBy: z.string(),
    }),
  ),
});

export function rulesRoutes(options: { db: Db }): RoutePlugin {
  const { db } = options;
  const policy = RulePermissions.design;
  return defineRoutes({
    name: 'rules',
    prefix: '/rules',
    register: async (app) => {
      app.get(
        '/',
        {
          config: { policy },
          schema: {
            tags,
            summary: 'The latest version of every rule (on one flow or over one form, or of one pack)',
            querystring: z.strictObject({ flow: ref.optional(), form: ref.optional(), pack: key.optional() }),
            response: { 200: z.object({ rules: z.array(summaryView) }), ...refusals },
          },
        },
        async (request) => ({ rules: await listRules(requestCtx(request, db), request.query) }),
      );

      app.post(
        '/',
        {
          config: { policy },
          schema: {
            tags,
            summary: 'Publish a rule as its next version, checked against the published forms and flows (audited)',
            body: z.record(z.string(), z.unknown()),
            response: {
              200: z.object({ version: z.number(), unchanged: z.boolean(), definition: z.unknown() }),
              ...refusals,
            },
          },
        },
        async (request) =>
          audited(
            requestCtx(request, db),
            request,
            (tx) => publishRule(tx, request.body as never),
            ({ version, unchanged, definition: { pack, key, hash, enabled } }) => ({
              action: 'rule.definition.publish',
              target: { type: 'rule', id: `${pack}.${key}` },
              detail: { version, hash, unchanged, enabled },
            }),
          ),
      );

      // ---- the rule editor: check without publishing, the action registry, version history ----

      app.post(
        '/validate',
        {
          config: { policy },
          schema: {
            tags,
            summary:
              'Every issue of a rule definition with its path, checked against the latest forms and flows; nothing is stored',
            body: z.record(z.string(), z.unknown()),
            response: {
              200: z.object({
                issues: z.array(issueView),
                forms: z.record(z.string(), z.number()),
                flows: z.record(z.string(), z.number()),
              }),
              ...refusals,
            },
          },
        },
        async (request) => {
          const result = await checkRule(requestCtx(request, db), request.body);
          return { ...result, issues: checkedIssues(result.issues, requestLocale(request)) };
        },
      );

      app.get(
        '/registry',
        {
          config: { policy },
          schema: {
            tags,
            summary: 'The registered action kinds with their settings as JSON Schema, the events and the $-context',
            response: { 200: registryView, ...refusals },
          },
        },
        async () => ({
          actions: describeRuleActions(),
          events: { flow: [...flowTriggers], form: [...recordTriggers] },
          compensations: { flow: [...flowCompensations], form: [...recordCompensations] },
          context: { ...ruleContext },
        }),
      );

      app.get(
        '/:pack/:key/versions',
        {
          config: { policy },
          schema: {
            tags,
            summary: 'Every published version of a rule, newest first, with its definition',
            params: z.strictObject({ pack: key, key }),
            response: { 200: versionsView, ...refusals },
          },
        },
        async (request) => ({ versions: await listRuleVersions(requestCtx(request, db), request.params) }),
      );

      app.get(
        '/:pack/:key/runs',
        {
          config: { policy },
          schema: {
            tags,
            summary: 'The latest runs of one rule (every version), newest first, each with its request or record',
            params: z.strictObject({ pack: key, key }),
            querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).optional() }),
            response: { 200: z.object({ runs: z.array(z.unknown()) }), ...refusals },
          },
        },
        async (request) => ({
          runs: await listRecentRuleRuns(requestCtx(request, db), { ...request.params, limit: request.query.limit }),
        }),
      );

      app.get(
        '/runs/:subjectId',
        {
          config: { policy },
          schema: {
            tags,
            summary: 'What rules did for one request (flow instance) or record, and what compensation undid',
            params: z.strictObject({ subjectId: z.string().min(1).max(64) }),
            response: { 200: z.object({ runs: z.array(z.unknown()) }), ...refusals },
          },
        },
        async (request) => ({
          runs: await listRuleRuns(requestCtx(request, db), { subjectId: request.params.subjectId }),
        }),
      );

      app.get(
        '/changes/:pack/:key/:id',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'A record’s history as rules wrote it, newest first, each with the request behind it',
            params: z.strictObject({ pack: key, key, id: z.string().min(1).max(64) }),
            querystring: z.strictObject({
              limit: z.coerce.number().int().min(1).max(200).optional(),
              before: z.coerce.number().int().min(1).optional(),
            }),
            response: {
              200: z.object({ changes: z.array(z.unknown()), nextBefore: z.number().nullable() }),
              ...refusals,
            },
          },
        },
        async (request) => {
          const ctx = requestCtx(request, db);
          const caller = callerOf(request);
          const { pack, key: formKey, id } = request.params;
          const rights = await formRights(ctx, caller, pack, formKey);
          if (rights.read.length === 0) throw FormErrors.recordNotFound.create({ id });
          const context = await placementOf(ctx, caller.memberId);
          return listRecordChanges(
            ctx,
            { pack, key: formKey, recordId: id, ...request.query },
            {
              viewer: {
                memberId: caller.memberId,
                scopes: rights.read,
                grants: true,
                ...(context.departmentId ? { departmentId: context.departmentId } : {}),
                ...(context.unitId ? { unitId: context.unitId } : {}),
              },
            },
          );
        },
      );

      app.get(
        '/:pack/:key',
        {
          config: { policy },
          schema: {
            tags,
            summary: 'One published version of a rule (the latest by default)',
            params: z.strictObject({ pack: key, key }),
            querystring: z.strictObject({ version: z.coerce.number().int().min(1).optional() }),
            response: {
              200: z.object({
                version: z.number(),
                definition: z.unknown(),
                publishedAt: z.string(),
                publishedBy: z.string(),
              }),
              ...refusals,
            },
          },
        },
        async (request) =>
          getRule(requestCtx(request, db), {
            ...request.params,
            ...(request.query.version ? { version: request.query.version } : {}),
          }),
      );
    },
  });
}
