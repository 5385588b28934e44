import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureAdministrator, seedPasswords } from '@baton/access';
import { type Logger, systemActor, systemClock } from '@baton/core';
import { type Database, type DbCtx, withTx } from '@baton/db';
import { buildDemoOrg, listMembers, listUnits } from '@baton/org';
import { loadDemoFlows } from './demo-flows.ts';
import { installPlatformPacks } from './packs.ts';

export type FirstStartReport = {
  administrator?: { login: string; password: string };
  demo?: {
    members: number;
    departments: number;
    credentialsFile: string;
    keyLogins: Record<string, string>;
    /** The flows every demo member may file (`pack.key`). */
    flows: string[];
  };
  /** Packs installed or upgraded by this start (`crm 1.0.0`), with their demo data when it was loaded. */
  packs?: string[];
};

function systemCtx(database: Database, log: Logger): DbCtx {
  return { db: database.db, actor: systemActor('first-start'), clock: systemClock, log };
}

/**
 * Runs after migrations. On an empty database it loads the demo organisation (when asked) and gives
 * every demo member a generated password, written to a file only the owner can read; it always makes
 * sure an administrator exists, printing a generated password the one time it is created. There is
 * no fixed default credential anywhere.
 */
export async function firstStart(
  database: Database,
  log: Logger,
  options: { demo: boolean; dataDir: string },
): Promise<FirstStartReport> {
  const ctx = systemCtx(database, log);
  const report: FirstStartReport = {};
  const empty = (await listUnits(ctx, { includeDisabled: true })).length === 0;
  if (empty && options.demo) {
    const started = Date.now();
    const demo = await buildDemoOrg(ctx);
    // All or nothing: a start that dies half-way must not leave a flow nobody may file.
    const flows = await withTx(ctx, (tx) => loadDemoFlows(tx));
    const members: Array<{ id: string; login: string; name: string }> = [];
    let afterCode: string | undefined;
    for (;;) {
      const page = await listMembers(ctx, { limit: 1000, ...(afterCode ? { afterCode } : {}) });
      members.push(...page);
      if (page.length < 1000) break;
      afterCode = page.at(-1)?.code;
    }
    const seeded = await seedPasswords(
      ctx,
      members.map((m) => m.id),
    );
    const names = new Map(members.map((m) => [m.login, m.name]));
    const roleOf = new Map<string, string[]>();
    for (const [role, login] of Object.entries(demo.keyLogins)) roleOf.set(login, [...(roleOf.get(login) ?? []), role]);
    const credentialsFile = path.join(options.dataDir, 'demo-credentials.txt');
    mkdirSync(options.dataDir, { recursive: true });
    const lines = [
      '# Baton demo organisation: generated sign-in passwords (delete this file once you no longer need it)',
      '# login\tname\tpassword\troles',
      ...seeded.map((s) =>
        [s.login, names.get(s.login) ?? '', s.password, (roleOf.get(s.login) ?? []).join(',')].join('\t'),
      ),
    ];
    writeFileSync(credentialsFile, `${lines.join('\n')}\n`, { mode: 0o600 });
    chmodSync(credentialsFile, 0o600);
    report.demo = {
      members: demo.counts.members,
      departments: demo.counts.departments,
      credentialsFile,
      keyLogins: demo.keyLogins,
      flows: flows.flows,
    };
    log.info({ ms: Date.now() - started, ...demo.counts, flows: flows.flows }, 'demo organisation loaded');
  }
  // Packs install or upgrade at every start (a no-op when unchanged); demo data only with a fresh demo org.
  const packs = await installPlatformPacks(ctx, { demo: report.demo !== undefined });
  const changed = packs.filter((p) => p.outcome !== 'unchanged');
  if (changed.length)
    report.packs = changed.map((p) => `${p.key} ${p.version}${p.demo ? ' (演示数据 demo data)' : ''}`);
  const admin = await ensureAdministrator(ctx);
  if (admin.created) report.administrator = { login: admin.login, password: admin.password };
  return report;
}

/** What a person reads in the terminal at first start; the only place the administrator password appears. */
export function describeFirstStart(report: FirstStartReport, url: string): string {
  const lines: string[] = [];
  if (report.administrator) {
    lines.push(
      '',
      '  ┌─ 首次启动 / First start ────────────────────────────────────────────',
      `  │ 管理员 Administrator:  ${report.administrator.login}`,
      `  │ 初始密码 Password:     ${report.administrator.password}`,
      '  │ 此密码只显示这一次，首次登录后须修改。 Shown once; change it at first sign-in.',
      `  │ ${url}/login`,
      '  └─────────────────────────────────────────────────────────────────────',
    );
  }
  if (report.demo) {
    lines.push(
      '',
      `  演示组织 Demo organisation: ${report.demo.members} members, ${report.demo.departments} departments.`,
      `  每位成员的登录密码 Passwords of every demo member: ${report.demo.credentialsFile}`,
      `  演示流程 Demo flows anyone may file: ${report.demo.flows.join(', ')} (发起申请 / File a request)`,
    );
  }
  if (report.packs) lines.push('', `  应用包 Packs installed: ${report.packs.join(', ')}`);
  return lines.length ? `${lines.join('\n')}\n\n` : '';
}
