import {
  AccessPermissions,
  grantPermissions,
  listRolePermissions,
  permissionCatalog,
  revokePermissions,
} from '@baton/access';
import { type Db, withTx } from '@baton/db';
import * as z from 'zod';
import { requestCtx } from '../ctx.ts';
import { refusals } from '../problem.ts';
import { defineRoutes, type Permission, type RoutePlugin } from '../routes.ts';

// Which function permissions each role holds (角色权限): the catalogue of declared permissions with their zh/en
// labels, a role's set, and replacing it. Every change goes through kernel/access's grant and revoke, which
// audit it, in one transaction. Form, flow and report permissions appear once their definition is published.

const tags = ['access'];
const policy = { policy: AccessPermissions.rolePermissionWrite as Permission };
const roleParams = z.strictObject({ role: z.string().trim().min(1).max(64) });
const roleView = z.object({ role: z.string(), permissions: z.array(z.string()) });

export function rolePermissionsRoutes(options: { db: Db }): RoutePlugin {
  const { db } = options;
  return defineRoutes({
    name: 'role-permissions',
    prefix: '/access',
    register: async (api) => {
      api.get(
        '/permissions',
        {
          config: policy,
          schema: {
            tags,
            summary: 'Every declared function permission with its zh-CN and en-US label',
            response: {
              200: z.object({ items: z.array(z.object({ code: z.string(), zh: z.string(), en: z.string() })) }),
              ...refusals,
            },
          },
        },
        async () => ({ items: permissionCatalog().map(({ code, zh, en }) => ({ code, zh, en })) }),
      );

      api.get(
        '/roles/:role/permissions',
        {
          config: policy,
          schema: {
            tags,
            summary: 'The function permissions a role (id or code) holds',
            params: roleParams,
            response: { 200: roleView, ...refusals },
          },
        },
        async (request) => ({
          role: request.params.role,
          permissions: await listRolePermissions(requestCtx(request, db), { role: request.params.role }),
        }),
      );

      api.put(
        '/roles/:role/permissions',
        {
          config: policy,
          schema: {
            tags,
            summary: 'Replace the function permissions of a role (grants and revokes the difference, audited)',
            params: roleParams,
            body: z.strictObject({ permissions: z.array(z.string().min(1).max(200)).max(2000) }),
            response: { 200: roleView, ...refusals },
          },
        },
        async (request) =>
          withTx(requestCtx(request, db), async (tx) => {
            const { role } = request.params;
            const current = new Set(await listRolePermissions(tx, { role }));
            const wanted = new Set(request.body.permissions);
            const added = [...wanted].filter((code) => !current.has(code));
            const removed = [...current].filter((code) => !wanted.has(code));
            if (added.length > 0) await grantPermissions(tx, { role, permissions: added });
            if (removed.length > 0) await revokePermissions(tx, { role, permissions: removed });
            return { role, permissions: await listRolePermissions(tx, { role }) };
          }),
      );
    },
  });
}
