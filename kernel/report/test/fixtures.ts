import { accessMigrations } from '@baton/access';
import { type Actor, createFakeClock, type FakeClock } from '@baton/core';
import type { DbCtx } from '@baton/db';
import {
  createRecord,
  defineForm,
  type FormDefinitionInput,
  formMigrations,
  publishForm,
  type Viewer,
} from '@baton/form';
import { createDepartment, createMember, createUnit, orgMigrations, setHead } from '@baton/org';
import { reportMigrations } from '@baton/report';
import { createTestDatabase, type TestDatabase, testCtx } from '@baton/testkit';

// One small company and its contracts, with every value kept in `contracts` so tests compute the right
// answers by hand (the oracle) and compare them with what the SQL returns.
//
//   HQ
//   ├─ 销售部 sales (head dora)
//   │  ├─ 华北销售 north: alice, carl
//   │  └─ 华南销售 south: bob
//   ├─ 财务部 finance: erin
//   └─ 管理部 management: mona (sees everything)

export type Env = { database: TestDatabase; ctx: DbCtx & { clock: FakeClock }; clock: FakeClock };

export async function openEnv(): Promise<Env> {
  const database = await createTestDatabase({
    migrations: [orgMigrations, accessMigrations, formMigrations, reportMigrations],
  });
  // 2026-04-15 10:00 in Shanghai.
  const clock = createFakeClock('2026-04-15T02:00:00.000Z');
  return { database, ctx: testCtx(database.db, { clock }), clock };
}

export function asMember(ctx: DbCtx, memberId: string): DbCtx {
  const actor: Actor = { kind: 'member', memberId };
  return { ...ctx, actor };
}

const l = (zh: string, en: string) => ({ zh, en });

export const customerForm: FormDefinitionInput = {
  pack: 'crm',
  key: 'customer',
  kind: 'archive',
  label: l('客户', 'Customer'),
  fields: [
    { key: 'name', label: l('客户名称', 'Name'), type: 'text', required: true },
    {
      key: 'industry',
      label: l('行业', 'Industry'),
      type: 'select',
      options: [
        { code: 'it', label: l('信息技术', 'IT') },
        { code: 'retail', label: l('零售', 'Retail') },
      ],
    },
  ],
};

export const contractForm: FormDefinitionInput = {
  pack: 'crm',
  key: 'contract',
  kind: 'archive',
  label: l('合同', 'Contract'),
  fields: [
    { key: 'title', label: l('合同名称', 'Title'), type: 'text', required: true },
    {
      key: 'customer',
      label: l('客户', 'Customer'),
      type: 'reference',
      form: { pack: 'crm', key: 'customer' },
      display: 'name',
    },
    {
      key: 'kind',
      label: l('类型', 'Kind'),
      type: 'select',
      options: [
        { code: 'service', label: l('服务', 'Service') },
        { code: 'product', label: l('产品', 'Product') },
      ],
    },
    {
      key: 'status',
      label: l('状态', 'Status'),
      type: 'select',
      options: [
        { code: 'open', label: l('执行中', 'Open') },
        { code: 'paid', label: l('已收款', 'Paid') },
        { code: 'cancelled', label: l('已取消', 'Cancelled') },
      ],
    },
    { key: 'signDate', label: l('签订日期', 'Signed on'), type: 'date' },
    { key: 'dueDate', label: l('应收日期', 'Due on'), type: 'date' },
    { key: 'paidDate', label: l('收款日期', 'Paid on'), type: 'date' },
    { key: 'amount', label: l('合同金额', 'Amount'), type: 'money' },
    { key: 'cost', label: l('成本', 'Cost'), type: 'money' },
    { key: 'signedAt', label: l('签订时间', 'Signed at'), type: 'datetime' },
    { key: 'salesperson', label: l('销售', 'Salesperson'), type: 'member' },
    { key: 'vip', label: l('重点', 'Key account'), type: 'boolean' },
  ],
  subtables: [
    {
      key: 'lines',
      label: l('明细', 'Lines'),
      columns: [
        { key: 'product', label: l('产品', 'Product'), type: 'text' },
        { key: 'qty', label: l('数量', 'Quantity'), type: 'number', scale: 0 },
        { key: 'price', label: l('单价', 'Price'), type: 'money' },
      ],
    },
  ],
};

export const forms = [defineForm(customerForm), defineForm(contractForm)];

export type Login = 'alice' | 'bob' | 'carl' | 'dora' | 'erin' | 'mona';

export type Contract = {
  id: string;
  owner: Login;
  department: string;
  kind: 'service' | 'product';
  status: 'open' | 'paid' | 'cancelled';
  signDate: string;
  dueDate: string;
  paidDate: string | null;
  amount: number;
  cost: number | null;
  signedAt: string;
  customer: number | null;
  vip: boolean;
  lines: { product: string; qty: number; price: number }[];
  flowInstanceId: string | null;
};

export type World = {
  env: Env;
  departments: Record<'hq' | 'sales' | 'north' | 'south' | 'finance' | 'management', string>;
  members: Record<Login, string>;
  customers: { id: string; industry: 'it' | 'retail'; name: string }[];
  contracts: Contract[];
  viewers: Record<'alice' | 'dora' | 'mona', Viewer>;
};

// Days around every bucket boundary: 2025-12-28 is a Sunday, 2025-12-29 a Monday, 2026-01-01 a Thursday,
// 2026-03-31 / 2026-04-01 cross a quarter.
const signDates = [
  '2025-12-28',
  '2025-12-29',
  '2025-12-31',
  '2026-01-01',
  '2026-01-04',
  '2026-01-05',
  '2026-02-28',
  '2026-03-01',
  '2026-03-31',
  '2026-04-01',
  '2026-04-12',
];
// Instants near midnight in Shanghai (UTC+8): 16:30Z is 00:30 the next day there.
const signTimes = ['T01:00:00.000Z', 'T16:30:00.000Z', 'T15:59:59.999Z', 'T16:00:00.000Z'];
const owners: Login[] = ['alice', 'bob', 'carl', 'dora', 'erin', 'alice', 'bob'];

function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

export async function seed(env: Env): Promise<World> {
  const { ctx } = env;
  const hq = await createUnit(ctx, { code: 'HQ', name: '总部', kind: 'headquarters' });
  const dept = (code: string, name: string, parentId: string | null) =>
    createDepartment(ctx, { unitId: hq.id, parentId, code, name });
  const sales = await dept('S', '销售部', null);
  const north = await dept('SN', '华北销售', sales.id);
  const south = await dept('SS', '华南销售', sales.id);
  const finance = await dept('F', '财务部', null);
  const management = await dept('M', '管理部', null);
  const placement: Record<Login, string> = {
    alice: north.id,
    bob: south.id,
    carl: north.id,
    dora: sales.id,
    erin: finance.id,
    mona: management.id,
  };
  const members = {} as Record<Login, string>;
  let n = 0;
  for (const login of Object.keys(placement) as Login[]) {
    const member = await createMember(ctx, {
      code: `E${++n}`,
      name: login,
      login,
      mainDepartmentId: placement[login],
    });
    members[login] = member.id;
  }
  await setHead(ctx, { departmentId: sales.id, memberId: members.dora });

  await publishForm(ctx, customerForm);
  await publishForm(ctx, contractForm);
  const customers: World['customers'] = [];
  for (const [i, industry] of (['it', 'retail', 'it', 'retail'] as const).entries()) {
    const name = `客户${i + 1}`;
    // Customers are kept by management: a director's scopes do not reach them.
    const record = await createRecord(
      asMember(ctx, members.mona),
      { pack: 'crm', key: 'customer', values: { name, industry } },
      { context: { memberId: members.mona, departmentId: management.id, unitId: hq.id } },
    );
    customers.push({ id: record.id, industry, name });
  }

  const contracts: Contract[] = [];
  for (let i = 0; i < 44; i++) {
    const owner = owners[i % owners.length] as Login;
    const signDate = signDates[i % signDates.length] as string;
    const dueDate = addDays(signDate, 30 + (i % 3) * 30);
    const status: Contract['status'] = i % 5 === 0 ? 'cancelled' : i % 2 === 0 ? 'paid' : 'open';
    // Paid late every third paid contract; open ones are unpaid.
    const paidDate = status === 'paid' ? addDays(dueDate, i % 3 === 0 ? 5 : -3) : null;
    const contract: Contract = {
      id: '',
      owner,
      department: placement[owner],
      kind: i % 3 === 0 ? 'product' : 'service',
      status,
      signDate,
      dueDate,
      paidDate,
      amount: 100_000 + ((i * 7919) % 50) * 10_000,
      cost: i % 7 === 3 ? null : 40_000 + ((i * 104729) % 30) * 5_000,
      signedAt: `${signDate}${signTimes[i % signTimes.length]}`,
      customer: i % 6 === 5 ? null : i % 4,
      vip: i % 4 === 1,
      lines: Array.from({ length: i % 3 }, (_v, k) => ({
        product: `P${(i + k) % 4}`,
        qty: 1 + ((i + k) % 5),
        price: 1_000 * (1 + k),
      })),
      flowInstanceId: i % 2 === 0 ? `flow-${String(i).padStart(3, '0')}` : null,
    };
    const record = await createRecord(
      asMember(ctx, members[owner]),
      {
        pack: 'crm',
        key: 'contract',
        values: {
          title: `合同${i}`,
          customer: contract.customer === null ? null : (customers[contract.customer] as { id: string }).id,
          kind: contract.kind,
          status: contract.status,
          signDate: contract.signDate,
          dueDate: contract.dueDate,
          paidDate: contract.paidDate,
          amount: contract.amount,
          cost: contract.cost,
          signedAt: contract.signedAt,
          salesperson: members[owner],
          vip: contract.vip,
          lines: contract.lines,
        },
      },
      {
        context: { memberId: members[owner], departmentId: placement[owner], unitId: hq.id },
        ...(contract.flowInstanceId ? { flowInstanceId: contract.flowInstanceId } : {}),
      },
    );
    contract.id = record.id;
    contracts.push(contract);
  }
  return {
    env,
    departments: {
      hq: hq.id,
      sales: sales.id,
      north: north.id,
      south: south.id,
      finance: finance.id,
      management: management.id,
    },
    members,
    customers,
    contracts,
    viewers: {
      alice: { memberId: members.alice, scopes: ['own'] },
      dora: { memberId: members.dora, scopes: ['own', 'managedDepartments'] },
      mona: { memberId: members.mona, scopes: ['all'] },
    },
  };
}

// ---- the oracle: bucket starts computed independently of the SQL -----------------------------------------

export function weekStart(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  const back = (d.getUTCDay() + 6) % 7;
  return addDays(date, -back);
}
export const monthStart = (date: string) => `${date.slice(0, 7)}-01`;
export function quarterStart(date: string): string {
  const month = Number(date.slice(5, 7));
  return `${date.slice(0, 4)}-${String(Math.floor((month - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
}
export const yearStart = (date: string) => `${date.slice(0, 4)}-01-01`;
/** The day of an instant in Shanghai. */
export const shanghaiDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);

/** Counts and sums by a key, sorted by key. */
export function groupBy<T>(items: T[], keyOf: (item: T) => string | null, value: (item: T) => number = () => 1) {
  const map = new Map<string | null, number>();
  for (const item of items) map.set(keyOf(item), (map.get(keyOf(item)) ?? 0) + value(item));
  return map;
}

export const live = (contracts: Contract[]) => contracts;
