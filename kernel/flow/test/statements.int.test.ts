import type { Db } from '@baton/db';
import { approve, onFlowEvent, submit } from '@baton/flow';
import { testDialect } from '@baton/testkit';
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Env, line, members, openEnv, publish } from './fixtures.ts';

/**
 * Counts the statements Kysely executes (BEGIN and COMMIT are not queries, so not counted). A query compiled
 * but never run (dialectOf compiles one to look at its placeholders) has no result, so it is not counted.
 */
class StatementCounter implements KyselyPlugin {
  statements: string[] = [];
  private pending = new WeakMap<object, string>();
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.pending.set(args.queryId, describeNode(args.node));
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    this.statements.push(this.pending.get(args.queryId) ?? '?');
    return args.result;
  }
}

function describeNode(node: RootOperationNode): string {
  const n = node as unknown as Record<string, unknown>;
  const table = (value: unknown): string => {
    const v = value as { table?: { identifier?: { name?: string } }; froms?: unknown[] } | undefined;
    return v?.table?.identifier?.name ?? '';
  };
  if (node.kind === 'SelectQueryNode') {
    const from = (n.from as { froms: unknown[] } | undefined)?.froms?.[0];
    return `select ${table(from)}`;
  }
  if (node.kind === 'InsertQueryNode') return `insert ${table(n.into)}`;
  if (node.kind === 'UpdateQueryNode') return `update ${table(n.table)}`;
  if (node.kind === 'DeleteQueryNode') {
    const from = (n.from as { froms: unknown[] } | undefined)?.froms?.[0];
    return `delete ${table(from)}`;
  }
  if (node.kind === 'RawNode') return `raw ${(n.sqlFragments as string[]).join('?').replace(/\s+/g, ' ').slice(0, 60)}`;
  return node.kind;
}

let env: Env;
beforeAll(async () => {
  env = await openEnv();
});
afterAll(async () => {
  await env?.database.cleanup();
});

describe('statements per action', () => {
  it('submit + 3 single approvals stays within its statement budget', async () => {
    const { m } = env;
    const flow = await publish(
      env,
      ...(Object.values(
        line(
          { key: 'manager', kind: 'approval', assignees: members(m.devManager.id), opinionField: 'managerOpinion' },
          { key: 'director', kind: 'approval', assignees: members(m.cto.id) },
          { key: 'finance', kind: 'approval', assignees: members(m.cfo.id) },
        ),
      ) as [never, never]),
    );
    const counter = new StatementCounter();
    const db = env.database.db.withPlugin(counter) as Db;
    const run = async (approvers: string[]) => {
      const counts: Record<string, string[]> = {};
      counter.statements = [];
      const started = await submit(env.as(m.dev1.id, db), { flow, values: { amount: 120000, reason: 'travel' } });
      counts.submit = counter.statements;
      for (const [index, approver] of approvers.entries()) {
        const task = await env.database.db
          .selectFrom('baton_flow_task')
          .select('id')
          .where('instanceId', '=', started.instanceId)
          .where('state', '=', 'pending')
          .executeTakeFirstOrThrow();
        counter.statements = [];
        const result = await approve(env.as(approver, db), { taskId: task.id, opinion: 'agreed' });
        counts[`approve${index + 1}`] = counter.statements;
        if (index === approvers.length - 1) expect(result.state).toBe('approved');
      }
      return counts;
    };
    const approvers = [m.devManager.id, m.cto.id, m.cfo.id];
    await run(approvers); // warm: definitions compiled and cached
    const counts = await run(approvers);
    // With a listener (as in a server, where rules and messages listen) the engine writes before each event.
    const off = onFlowEvent(() => undefined);
    const heard = await run(approvers).finally(off);
    if (process.env.FLOW_STATEMENTS) {
      for (const [label, each] of [
        ['no listener', counts],
        ['a listener', heard],
      ] as const) {
        for (const [action, statements] of Object.entries(each)) {
          console.log(`${label} · ${action}: ${statements.length}\n  ${statements.join('\n  ')}`);
        }
      }
    }
    const sizes = (each: Record<string, string[]>) =>
      Object.fromEntries(Object.entries(each).map(([action, statements]) => [action, statements.length]));
    // submit: flow version (with the delegations' and the forms' publish stamps), initiator (with the unit and the
    // level), the form engine's create (the insert returning the row; a subtable's rows when there are any — the
    // form's latest version comes from the process cache under the publish stamp), instance, runs, task, the
    // record's state, history row. approve: snapshot (instance with the definitions' hashes and both stamps, task,
    // active runs), then task, run, new run, new task, the record's state (last), instance, history row — the claim
    // is deferred and, when nothing is written before, it is the instance update itself. approve1 also writes the
    // opinion, so it claims first, then the form engine's update (the record and its rows as they are — the viewer
    // being active is a condition of that read —, the write returning the row). On PostgreSQL what is buffered at
    // the end, the instance and the history row are one statement. With a listener the engine claims before the
    // first event and writes what it buffered before each one.
    if (testDialect === 'postgres') {
      expect(sizes(counts)).toEqual({ submit: 4, approve1: 6, approve2: 2, approve3: 2 });
      expect(sizes(heard)).toEqual({ submit: 11, approve1: 11, approve2: 8, approve3: 8 });
    } else {
      expect(sizes(counts)).toEqual({ submit: 8, approve1: 10, approve2: 7, approve3: 7 });
      expect(sizes(heard)).toEqual({ submit: 12, approve1: 11, approve2: 8, approve3: 8 });
    }
  });
});
