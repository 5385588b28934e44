import type { Db, DbCtx } from '@baton/db';
import {
  addConcurrentPost,
  assignRole,
  createDepartment,
  createLevel,
  createMember,
  createPost,
  createRole,
  createUnit,
  disableDepartment,
  enableDepartment,
  listChanges,
  listLevels,
  listMembers,
  listPosts,
  listRoles,
  listUnits,
  memberLeaves,
  mergeDepartments,
  moveDepartment,
  moveMember,
  removeConcurrentPost,
  setDivisionLeaders,
  setHead,
  splitDepartment,
  updateDepartment,
  updateLevel,
  updateMember,
  updatePost,
  updateRole,
  updateUnit,
} from '@baton/org';
import type { FastifyRequest } from 'fastify';
import * as z from 'zod';
import { audited as auditedAction, requestCtx } from '../ctx.ts';
import { problemResponses, refusals } from '../problem.ts';
import { defineRoutes, type RoutePlugin } from '../routes.ts';
import { OrgPermissions } from './org-permissions.ts';
import {
  addConcurrentPostBody,
  assignmentParams,
  assignRoleBody,
  changesQuery,
  changeView,
  concurrentPostParams,
  concurrentPostView,
  createDepartmentBody,
  createLevelBody,
  createMemberBody,
  createPostBody,
  createRoleBody,
  createUnitBody,
  departmentDetailView,
  departmentNodeView,
  departmentView,
  disableDepartmentBody,
  disableResultView,
  divisionLeaderView,
  enableDepartmentBody,
  encodeMemberCursor,
  idParams,
  includeDisabledQuery,
  itemsOf,
  leaveResultView,
  levelView,
  memberDetailView,
  memberLeavesBody,
  memberPageView,
  membersQuery,
  memberView,
  mergeDepartmentBody,
  mergeResultView,
  moveDepartmentBody,
  moveMemberBody,
  postsQuery,
  postView,
  roleAssignmentView,
  roleHolderView,
  rolesQuery,
  roleView,
  setDivisionLeadersBody,
  setHeadBody,
  splitDepartmentBody,
  splitResultView,
  treeQuery,
  unitView,
  updateDepartmentBody,
  updateLevelBody,
  updateMemberBody,
  updatePostBody,
  updateRoleBody,
  updateUnitBody,
} from './org-schemas.ts';
import { departmentDetail, departmentTreeView, memberDetail, roleHolders, unassignRoleOf } from './org-views.ts';

// The Organisation REST API (mounted at /api/org). Reads used by pickers across the product are open to
// any signed-in member; every write needs org.write (roles: org.role.write) and is audited in the same
// transaction as the change; the change log needs org.read. Handlers parse, call one org function, reply.

const { read, write, roleWrite } = OrgPermissions;
const tags = ['org'];

/** What a route can refuse with, for the OpenAPI document (bodies are problem+json). */
const writeRefusals = { ...refusals, ...problemResponses(409, 422) };
const noContent = z.undefined().describe('No content');

export type OrgRoutesOptions = { db: Db };

export function orgRoutes({ db }: OrgRoutesOptions): RoutePlugin {
  /**
   * Runs one org write and its audit row in one transaction (the org operation joins it), so the
   * audit log holds an entry exactly when the change committed. `action` is `org.<entity>.<verb>`.
   */
  function audited<T>(
    request: FastifyRequest,
    action: `org.${string}.${string}`,
    run: (ctx: DbCtx) => Promise<T>,
    targetId: (result: T) => string | null,
  ): Promise<T> {
    return auditedAction(requestCtx(request, db), request, run, (result) => ({
      action,
      target: { type: action.slice(0, action.lastIndexOf('.')), id: targetId(result) },
      detail: { params: request.params, body: request.body },
    }));
  }

  const ctxOf = (request: FastifyRequest) => requestCtx(request, db);

  return defineRoutes({
    name: 'org',
    prefix: '/org',
    register: async (app) => {
      // ---- units ------------------------------------------------------------------------------

      app.get(
        '/units',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'Units of the group (单位)',
            querystring: includeDisabledQuery,
            response: { 200: itemsOf(unitView), ...refusals },
          },
        },
        async (request) => ({ items: await listUnits(ctxOf(request), request.query) }),
      );

      app.post(
        '/units',
        {
          config: { policy: write },
          schema: {
            tags,
            summary: 'Create a unit',
            body: createUnitBody,
            response: { 201: unitView, ...writeRefusals },
          },
        },
        async (request, reply) => {
          const unit = await audited(
            request,
            'org.unit.create',
            (ctx) => createUnit(ctx, request.body),
            (u) => u.id,
          );
          return reply.code(201).send(unit);
        },
      );

      app.patch(
        '/units/:id',
        {
          config: { policy: write },
          schema: {
            tags,
            summary: 'Rename, re-code, re-sort, enable or disable a unit',
            params: idParams,
            body: updateUnitBody,
            response: { 200: unitView, ...writeRefusals },
          },
        },
        async (request) =>
          audited(
            request,
            'org.unit.update',
            (ctx) => updateUnit(ctx, { ...request.body, id: request.params.id }),
            (u) => u.id,
          ),
      );

      // ---- departments ------------------------------------------------------------------------

      app.get(
        '/departments/tree',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'Department tree of a unit or of the whole group, siblings by sort then code',
            querystring: treeQuery,
            response: { 200: itemsOf(departmentNodeView), ...refusals },
          },
        },
        async (request) => ({ items: await departmentTreeView(ctxOf(request), request.query) }),
      );

      app.get(
        '/departments/:id',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'A department with its head, division leaders and member count',
            params: idParams,
            response: { 200: departmentDetailView, ...refusals },
          },
        },
        async (request) => departmentDetail(ctxOf(request), request.params),
      );

      app.post(
        '/departments',
        {
          config: { policy: write },
          schema: {
            tags,
            summary: 'Create a department',
            body: createDepartmentBody,
            response: { 201: departmentView, ...writeRefusals },
          },
        },
        async (request, reply) => {
          const department = await audited(
            request,
            'org.department.create',
            (ctx) => createDepartment(ctx, request.body),
            (d) => d.id,
          );
          return reply.code(201).send(department);
        },
      );

      app.patch(
        '/departments/:id',
        {
          config: { policy: write },
          schema: {
            tags,
            summary: 'Rename, re-code or re-sort a department (version required)',
            params: idParams,
            body: updateDepartmentBody,
            response: { 200: departmentView, ...writeRefusals },
          },
        },
        async (request) =>
          audited(
            request,
            'org.department.update',
            (ctx) => updateDepartment(ctx, { ...request.body, id: request.params.id }),
            (d) => d.id,
          ),
      );

      app.post(
        '/departments/:id/move',
        {
          config: { policy: write },
          schema: {
            tags,
            summary: 'Move a department (with its sub-tree) under another parent; cycles are refused',
            params: idParams,
            body: moveDepartmentBody,
            response: { 200: departmentView, ...writeRefusals },
          },
        },
        async (request) =>
          audited(
            request,
            'org.department.move',
            (ctx) => moveDepartment(ctx, { ...request.body, departmentId: request.params.id }),
            (d) => d.id,
          ),
      );

      app.post(
        '/departments/:id/merge',
        {
          config: { policy: write },
          schema: {
            tags,
            summary: 'Merge the department into another; it is disabled and points at the target',
            params: idParams,
            body: mergeDepartmentBody,
            response: { 200: mergeResultView, ...writeRefusals },
          },
        },
        async (request) =>
          audited(
            request,
            'org.department.merge',
            (ctx) => mergeDepartments(ctx, { ...request.body, sourceId: request.params.id }),
            (r) => r.source.id,
          ),
      );

      app.post(
        '/departments/:id/split',
        {
          config: { policy: write },
          schema: {
            tags,
            summary: 'Split off a new sibling department and move the named members and sub-departments into it',
            params: idParams,
            body: splitDepartmentBody,
            response: { 200: splitResultView, ...writeRefusals },
          },
        },
        async (request) =>
          audited(
            request,
            'org.department.split',
            (ctx) => splitDepartment(ctx, { ...request.body, departmentId: request.params.id }),
            (r) => r.source.id,
          ),
      );

      app.post(
        '/departments/:id/disable',
        {
          config: { policy: write },
          schema: {
            tags,
            summary: 'Disable a department; refused while it has people or enabled children unless force or moveTo',
            params: idParams,
            body: disableDepartmentBody,
            response: { 200: disableResultView, ...writeRefusals },
          },
        },
        async (request) =>
          audited(
            request,
            'org.department.disable',
            (ctx) => disableDepartment(ctx, { ...request.body, departmentId: request.params.id }),
            (r) => r.department.id,
          ),
      );

      app.post(
        '/departments/:id/enable',
        {
          config: { policy: write },
          schema: {
            tags,
            summary: 'Enable a disabled department again (its parent must be enabled)',
            params: idParams,
            body: enableDepartmentBody,
            response: { 200: departmentView, ...writeRefusals },
          },
        },
        async (request) =>
          audited(
            request,
            'org.department.enable',
            (ctx) => enableDepartment(ctx, { ...request.body, departmentId: request.params.id }),
            (d) => d.id,
          ),
      );

      app.put(
        '/departments/:id/head',
        {
          config: { policy: write },
          schema: {
            tags,
            summary: 'Set or clear the head (部门主管)',
            params: idParams,
            body: setHeadBody,
            response: { 200: departmentView, ...writeRefusals },
          },
        },
        async (request) =>
          audited(
            request,
            'org.department.setHead',
            (ctx) => setHead(ctx, { ...request.body, departmentId: request.params.id }),
            (d) => d.id,
          ),
      );

      app.put(
        '/departments/:id/division-leaders',
        {
          config: { policy: write },
          schema: {
            tags,
            summary: 'Replace the division leaders (分管领导), in order',
            params: idParams,
            body: setDivisionLeadersBody,
            response: { 200: itemsOf(divisionLeaderView), ...writeRefusals },
          },
        },
        async (request) => ({
          items: await audited(
            request,
            'org.department.setDivisionLeaders',
            (ctx) => setDivisionLeaders(ctx, { ...request.body, departmentId: request.params.id }),
            () => request.params.id,
          ),
        }),
      );

      // ---- members ----------------------------------------------------------------------------

      app.get(
        '/members',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'Members by department, status and search, ordered by code, cursor-paginated',
            querystring: membersQuery,
            response: { 200: memberPageView, ...refusals },
          },
        },
        async (request) => {
          const { cursor, limit, ...filter } = request.query;
          // One more than asked tells whether another page follows.
          const rows = await listMembers(ctxOf(request), { ...filter, afterCode: cursor, limit: limit + 1 });
          const items = rows.slice(0, limit);
          const last = items.at(-1);
          return { items, nextCursor: rows.length > limit && last ? encodeMemberCursor(last.code) : null };
        },
      );

      app.get(
        '/members/:id',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'A member with placements (main and concurrent) and roles',
            params: idParams,
            response: { 200: memberDetailView, ...refusals },
          },
        },
        async (request) => memberDetail(ctxOf(request), request.params),
      );

      app.post(
        '/members',
        {
          config: { policy: write },
          schema: {
            tags,
            summary: 'Onboard a member',
            body: createMemberBody,
            response: { 201: memberView, ...writeRefusals },
          },
        },
        async (request, reply) => {
          const member = await audited(
            request,
            'org.member.create',
            (ctx) => createMember(ctx, request.body),
            (m) => m.id,
          );
          return reply.code(201).send(member);
        },
      );

      app.patch(
        '/members/:id',
        {
          config: { policy: write },
          schema: {
            tags,
            summary: "Change a member's personal data or supervisor override (version required)",
            params: idParams,
            body: updateMemberBody,
            response: { 200: memberView, ...writeRefusals },
          },
        },
        async (request) =>
          audited(
            request,
            'org.member.update',
            (ctx) => updateMember(ctx, { ...request.body, id: request.params.id }),
            (m) => m.id,
          ),
      );

      app.post(
        '/members/:id/move',
        {
          config: { policy: write },
          schema: {
            tags,
            summary: 'Transfer a member: main department, post and/or level',
            params: idParams,
            body: moveMemberBody,
            response: { 200: memberView, ...writeRefusals },
          },
        },
        async (request) =>
          audited(
            request,
            'org.member.move',
            (ctx) => moveMember(ctx, { ...request.body, memberId: request.params.id }),
            (m) => m.id,
          ),
      );

      app.post(
        '/members/:id/leave',
        {
          config: { policy: write },
          schema: {
            tags,
            summary: 'Mark a member as left, handing headships, leaderships and roles to a successor',
            params: idParams,
            body: memberLeavesBody,
            response: { 200: leaveResultView, ...writeRefusals },
          },
        },
        async (request) =>
          audited(
            request,
            'org.member.leave',
            (ctx) => memberLeaves(ctx, { ...request.body, memberId: request.params.id }),
            (r) => r.member.id,
          ),
      );

      app.post(
        '/members/:id/concurrent-posts',
        {
          config: { policy: write },
          schema: {
            tags,
            summary: 'Give a member a concurrent post (兼职) in another department',
            params: idParams,
            body: addConcurrentPostBody,
            response: { 201: concurrentPostView, ...writeRefusals },
          },
        },
        async (request, reply) => {
          const post = await audited(
            request,
            'org.concurrentPost.create',
            (ctx) => addConcurrentPost(ctx, { ...request.body, memberId: request.params.id }),
            (p) => p.id,
          );
          return reply.code(201).send(post);
        },
      );

      app.delete(
        '/members/:id/concurrent-posts/:departmentId',
        {
          config: { policy: write },
          schema: {
            tags,
            summary: "End a member's concurrent post in a department",
            params: concurrentPostParams,
            response: { 204: noContent, ...writeRefusals },
          },
        },
        async (request, reply) => {
          await audited(
            request,
            'org.concurrentPost.delete',
            (ctx) =>
              removeConcurrentPost(ctx, { memberId: request.params.id, departmentId: request.params.departmentId }),
            (p) => p.id,
          );
          return reply.code(204).send();
        },
      );

      // ---- posts and levels -------------------------------------------------------------------

      app.get(
        '/posts',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: "Posts (岗位): a unit's own and the group-wide ones",
            querystring: postsQuery,
            response: { 200: itemsOf(postView), ...refusals },
          },
        },
        async (request) => ({ items: await listPosts(ctxOf(request), request.query) }),
      );

      app.post(
        '/posts',
        {
          config: { policy: write },
          schema: {
            tags,
            summary: 'Create a post',
            body: createPostBody,
            response: { 201: postView, ...writeRefusals },
          },
        },
        async (request, reply) => {
          const post = await audited(
            request,
            'org.post.create',
            (ctx) => createPost(ctx, request.body),
            (p) => p.id,
          );
          return reply.code(201).send(post);
        },
      );

      app.patch(
        '/posts/:id',
        {
          config: { policy: write },
          schema: {
            tags,
            summary: 'Change a post (version required)',
            params: idParams,
            body: updatePostBody,
            response: { 200: postView, ...writeRefusals },
          },
        },
        async (request) =>
          audited(
            request,
            'org.post.update',
            (ctx) => updatePost(ctx, { ...request.body, id: request.params.id }),
            (p) => p.id,
          ),
      );

      app.get(
        '/levels',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'Levels (职务级别), most senior first',
            response: { 200: itemsOf(levelView), ...refusals },
          },
        },
        async (request) => ({ items: await listLevels(ctxOf(request)) }),
      );

      app.post(
        '/levels',
        {
          config: { policy: write },
          schema: {
            tags,
            summary: 'Create a level',
            body: createLevelBody,
            response: { 201: levelView, ...writeRefusals },
          },
        },
        async (request, reply) => {
          const level = await audited(
            request,
            'org.level.create',
            (ctx) => createLevel(ctx, request.body),
            (l) => l.id,
          );
          return reply.code(201).send(level);
        },
      );

      app.patch(
        '/levels/:id',
        {
          config: { policy: write },
          schema: {
            tags,
            summary: 'Change a level (version required)',
            params: idParams,
            body: updateLevelBody,
            response: { 200: levelView, ...writeRefusals },
          },
        },
        async (request) =>
          audited(
            request,
            'org.level.update',
            (ctx) => updateLevel(ctx, { ...request.body, id: request.params.id }),
            (l) => l.id,
          ),
      );

      // ---- roles ------------------------------------------------------------------------------

      app.get(
        '/roles',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'Roles (角色)',
            querystring: rolesQuery,
            response: { 200: itemsOf(roleView), ...refusals },
          },
        },
        async (request) => ({ items: await listRoles(ctxOf(request), request.query) }),
      );

      app.post(
        '/roles',
        {
          config: { policy: roleWrite },
          schema: {
            tags,
            summary: 'Create a role',
            body: createRoleBody,
            response: { 201: roleView, ...writeRefusals },
          },
        },
        async (request, reply) => {
          const role = await audited(
            request,
            'org.role.create',
            (ctx) => createRole(ctx, request.body),
            (r) => r.id,
          );
          return reply.code(201).send(role);
        },
      );

      app.patch(
        '/roles/:id',
        {
          config: { policy: roleWrite },
          schema: {
            tags,
            summary: 'Change a role (version required)',
            params: idParams,
            body: updateRoleBody,
            response: { 200: roleView, ...writeRefusals },
          },
        },
        async (request) =>
          audited(
            request,
            'org.role.update',
            (ctx) => updateRole(ctx, { ...request.body, id: request.params.id }),
            (r) => r.id,
          ),
      );

      app.get(
        '/roles/:id/members',
        {
          config: { policy: 'authenticated' },
          schema: {
            tags,
            summary: 'Who holds a role, with the scope of each assignment',
            params: idParams,
            response: { 200: itemsOf(roleHolderView), ...refusals },
          },
        },
        async (request) => ({ items: await roleHolders(ctxOf(request), { roleId: request.params.id }) }),
      );

      app.post(
        '/roles/:id/assignments',
        {
          config: { policy: roleWrite },
          schema: {
            tags,
            summary: 'Give a member the role, optionally for one unit or one department (and below)',
            params: idParams,
            body: assignRoleBody,
            response: { 201: roleAssignmentView, ...writeRefusals },
          },
        },
        async (request, reply) => {
          const assignment = await audited(
            request,
            'org.roleAssignment.create',
            (ctx) => assignRole(ctx, { ...request.body, role: request.params.id }),
            (a) => a.id,
          );
          return reply.code(201).send(assignment);
        },
      );

      app.delete(
        '/roles/:id/assignments/:assignmentId',
        {
          config: { policy: roleWrite },
          schema: {
            tags,
            summary: 'End one assignment of the role',
            params: assignmentParams,
            response: { 204: noContent, ...writeRefusals },
          },
        },
        async (request, reply) => {
          await audited(
            request,
            'org.roleAssignment.delete',
            (ctx) => unassignRoleOf(ctx, { roleId: request.params.id, assignmentId: request.params.assignmentId }),
            (a) => a.id,
          );
          return reply.code(204).send();
        },
      );

      // ---- change log -------------------------------------------------------------------------

      app.get(
        '/changes',
        {
          config: { policy: read },
          schema: {
            tags,
            summary: 'The org change log, oldest first: who changed what, when, before and after',
            querystring: changesQuery,
            response: { 200: itemsOf(changeView), ...refusals },
          },
        },
        async (request) => ({ items: await listChanges(ctxOf(request), request.query) }),
      );
    },
  });
}
