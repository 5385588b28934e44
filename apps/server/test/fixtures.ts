import { grantPermissions, setPassword } from '@baton/access';
import { silentLogger } from '@baton/core';
import type { Db, DbCtx } from '@baton/db';
import { assignRole, createDepartment, createMember, createRole, createUnit } from '@baton/org';
import { testCtx } from '@baton/testkit';
import { accessGate, authRoutes, type BatonServer, buildServer, type RoutePlugin } from '../src/index.ts';
import type { Signed } from './helpers.ts';

// What the route suites with real sign-ins set up alike: an organisation, roles, members who sign in with a
// password, the server behind the real access gate, and multipart uploads.

export const PASSWORD = 'Correct-Horse-42';

/** The smallest file the upload checks take for a PDF. */
export const PDF = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');

/** A context on the test database with the real clock, for seeding. */
export const seedCtx = (db: Db): DbCtx => testCtx(db, { clock: { now: () => new Date() } });

/** A unit (HQ 总部) with one department in it. */
export async function seedDepartment(ctx: DbCtx, department: { name: string; code: string }) {
  const unit = await createUnit(ctx, { code: 'HQ', name: '总部' });
  return createDepartment(ctx, { unitId: unit.id, ...department });
}

/** Business roles by code, each granted its permissions. */
export async function seedRoles(ctx: DbCtx, roles: Record<string, string[]>): Promise<void> {
  for (const [code, permissions] of Object.entries(roles)) {
    await createRole(ctx, { code, name: code, kind: 'business' });
    if (permissions.length > 0) await grantPermissions(ctx, { role: code, permissions });
  }
}

/** One member: login, main department, and the role they hold (if any). */
export type Person = readonly [login: string, departmentId: string, role?: string | null];

/**
 * Members named and signing in by their login with `PASSWORD`, coded `${prefix}1`, `${prefix}2` … in order, each
 * assigned their role; their ids by login.
 */
export async function seedMembers(
  ctx: DbCtx,
  people: ReadonlyArray<Person>,
  prefix = 'E',
): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const [n, [login, mainDepartmentId, role]] of people.entries()) {
    const member = await createMember(ctx, { code: `${prefix}${n + 1}`, name: login, login, mainDepartmentId });
    ids[login] = member.id;
    await setPassword(ctx, { memberId: member.id, password: PASSWORD, mustChange: false });
    if (role) await assignRole(ctx, { role, memberId: member.id });
  }
  return ids;
}

/** A server with sign-in and these route plugins, behind the access gate on `db`. */
export function serverWith(db: Db, routes: RoutePlugin[]): Promise<BatonServer> {
  return buildServer({
    logger: silentLogger(),
    readiness: {},
    gate: accessGate(db),
    routes: [authRoutes({ db }), ...routes],
  });
}

/** A field of a multipart body, or a file in it. */
export type Part = { name: string; value: string } | { name: string; filename: string; content: Buffer; type?: string };

export function multipart(parts: ReadonlyArray<Part>): { payload: Buffer; contentType: string } {
  const boundary = `----baton${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    if ('value' in part) {
      chunks.push(
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`),
      );
    } else {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\n` +
            `Content-Type: ${part.type ?? 'application/octet-stream'}\r\n\r\n`,
        ),
        part.content,
        Buffer.from('\r\n'),
      );
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** A multipart POST, as a signed-in member (cookie + CSRF) or anonymously. */
export function postParts(
  app: { inject: BatonServer['inject'] },
  who: Signed | undefined,
  url: string,
  parts: ReadonlyArray<Part>,
  locale: 'zh-CN' | 'en-US' = 'en-US',
) {
  const body = multipart(parts);
  return app.inject({
    method: 'POST',
    url,
    payload: body.payload,
    headers: {
      'content-type': body.contentType,
      'accept-language': locale,
      ...(who ? { cookie: who.cookie, 'x-csrf-token': who.csrf } : {}),
    },
  });
}
