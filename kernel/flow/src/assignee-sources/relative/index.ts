import {
  resolveDivisionLeaderOf,
  resolveHeadOf,
  resolveHeadOfDepartment,
  resolveNthSupervisor,
  resolveSupervisorsUpToLevel,
} from '@baton/org';
import { z } from 'zod';
import type { Runtime } from '../../runtime-types.ts';
import { defineAssigneeSource } from '../define.ts';
import { checkFieldType, idList } from '../shared.ts';

const relations = {
  head: z.strictObject({ source: z.literal('relative'), relation: z.literal('head') }),
  nthSupervisor: z.strictObject({
    source: z.literal('relative'),
    relation: z.literal('nthSupervisor'),
    n: z.number().int().min(1).max(20),
  }),
  supervisorsUpToLevel: z.strictObject({
    source: z.literal('relative'),
    relation: z.literal('supervisorsUpToLevel'),
    /** A level rank: the chain up to and including the first supervisor with rank ≤ this. */
    level: z.number().int().min(0).max(1000),
  }),
  divisionLeader: z.strictObject({ source: z.literal('relative'), relation: z.literal('divisionLeader') }),
  headOfDepartmentField: z.strictObject({
    source: z.literal('relative'),
    relation: z.literal('headOfDepartmentField'),
    field: z.string().min(1).max(40),
  }),
};
const schema = z.discriminatedUnion('relation', [
  relations.head,
  relations.nthSupervisor,
  relations.supervisorsUpToLevel,
  relations.divisionLeader,
  relations.headOfDepartmentField,
]);
type Spec = z.output<typeof schema>;

// A relation → resolver table rather than a switch: adding a relation is one entry here and one schema above.
const resolvers: { [R in Spec['relation']]: (rt: Runtime, spec: Extract<Spec, { relation: R }>) => Promise<string[]> } =
  {
    head: async (rt) => {
      const i = await rt.initiator();
      return resolveHeadOf(rt.ctx, { memberId: i.memberId, departmentId: i.departmentId ?? undefined });
    },
    nthSupervisor: async (rt, spec) => {
      const i = await rt.initiator();
      return resolveNthSupervisor(rt.ctx, {
        memberId: i.memberId,
        departmentId: i.departmentId ?? undefined,
        n: spec.n,
      });
    },
    supervisorsUpToLevel: async (rt, spec) => {
      const i = await rt.initiator();
      return resolveSupervisorsUpToLevel(rt.ctx, {
        memberId: i.memberId,
        departmentId: i.departmentId ?? undefined,
        levelRank: spec.level,
      });
    },
    divisionLeader: async (rt) => {
      const i = await rt.initiator();
      return resolveDivisionLeaderOf(rt.ctx, { memberId: i.memberId, departmentId: i.departmentId });
    },
    headOfDepartmentField: async (rt, spec) => {
      const values = await rt.values();
      const out: string[] = [];
      for (const departmentId of idList(values[spec.field])) {
        out.push(...(await resolveHeadOfDepartment(rt.ctx, { departmentId, walkUp: true })));
      }
      return out;
    },
  };

/** Relative roles from kernel/org, seen from the initiator (or a department field of the form). */
export const relativeSource = defineAssigneeSource({
  source: 'relative',
  configSchema: schema as unknown as z.ZodType<Spec & { source: 'relative' }>,
  check: (spec, context) => {
    if (spec.relation === 'headOfDepartmentField') {
      checkFieldType(spec.field, ['department', 'departments'], context, 'field');
    }
  },
  resolve: (rt, spec) => (resolvers[spec.relation] as (rt: Runtime, spec: Spec) => Promise<string[]>)(rt, spec),
});
