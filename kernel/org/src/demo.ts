import { type DbCtx, withTx } from '@baton/db';
import { createDepartment, setDivisionLeaders, setHead } from './departments.ts';
import { addConcurrentPost, createMembers, updateMember } from './members.ts';
import type { Department, Member } from './model.ts';
import { createNamer, createRandom, pick } from './names.ts';
import { assignRole, createRole } from './roles.ts';
import { createLevel, createPost, createUnit } from './units.ts';

/** Every role the catalog names (P-03 and the module role tables), with the code flows and packs use. */
export const catalogRoles = [
  { code: 'chairman', name: '董事长', nameEn: 'Chairman' },
  { code: 'generalManager', name: '总经理', nameEn: 'General manager' },
  { code: 'divisionLeader', name: '分管领导', nameEn: 'Division leader' },
  { code: 'branchLeader', name: '分公司领导', nameEn: 'Branch-company leader' },
  { code: 'marketingManager', name: '市场经理', nameEn: 'Marketing manager' },
  { code: 'marketingDirector', name: '市场总监', nameEn: 'Marketing director' },
  { code: 'financeDirector', name: '财务总监', nameEn: 'Finance director' },
  { code: 'financeStaff', name: '财务人员', nameEn: 'Finance staff' },
  { code: 'salesperson', name: '销售人员', nameEn: 'Salesperson' },
  { code: 'salesDirector', name: '销售总监', nameEn: 'Sales director' },
  { code: 'salesAdmin', name: '销管人员', nameEn: 'Sales management staff (销售管理部)' },
  { code: 'legalStaff', name: '法务人员', nameEn: 'Legal staff' },
  { code: 'archiveAdmin', name: '档案管理员', nameEn: 'Archive administrator' },
  { code: 'buyer', name: '采购员', nameEn: 'Buyer' },
  { code: 'purchasingDirector', name: '采购总监', nameEn: 'Purchasing director' },
  { code: 'callCenter', name: 'Call Center', nameEn: 'Call centre' },
  { code: 'serviceLine1', name: '一线服务人员', nameEn: 'Line-1 service staff' },
  { code: 'serviceLine2', name: '二线服务人员', nameEn: 'Line-2 service staff' },
  { code: 'opsLine1', name: '一线运维', nameEn: 'Line-1 O&M' },
  { code: 'opsLine2', name: '二线运维', nameEn: 'Line-2 O&M' },
  { code: 'leader', name: '领导', nameEn: 'Leader' },
  { code: 'developer', name: '研发人员', nameEn: 'Developer' },
  { code: 'rdLead', name: '研发主管', nameEn: 'R&D lead' },
  { code: 'innovationTeam', name: '创新团队', nameEn: 'Innovation team' },
  { code: 'innovationCommittee', name: '创新评审委员会', nameEn: 'Innovation review committee' },
  { code: 'administration', name: '行政部', nameEn: 'Administration department' },
  { code: 'recruiter', name: '招聘专员', nameEn: 'Recruiter' },
  { code: 'hrDirector', name: 'HR 总监', nameEn: 'HR director' },
  { code: 'trainingSpecialist', name: '培训专员', nameEn: 'Training specialist' },
  { code: 'attendanceClerk', name: '考勤员', nameEn: 'Attendance clerk' },
  { code: 'hardwareEngineer', name: '硬件工程师', nameEn: 'Hardware engineer' },
  { code: 'softwareEngineer', name: '软件工程师', nameEn: 'Software engineer' },
  { code: 'itOpsHead', name: 'IT 运维负责人', nameEn: 'IT O&M head' },
  { code: 'itEngineer', name: 'IT 工程师', nameEn: 'IT engineer' },
  { code: 'itHead', name: 'IT 负责人', nameEn: 'IT head' },
  { code: 'materialsAdmin', name: '物资管理员', nameEn: 'Materials administrator' },
] as const;

export type CatalogRoleCode = (typeof catalogRoles)[number]['code'];

type DeptSpec = {
  key: string;
  name: string;
  code: string;
  sort: number;
  /** Members besides the head. */
  staff: number;
  /** Post code of the staff. */
  post: string;
  children?: DeptSpec[];
};

type UnitSpec = {
  key: 'hq' | 'branch' | 'subsidiary';
  code: string;
  name: string;
  kind: 'headquarters' | 'branch' | 'subsidiary';
  timeZone: string;
  memberPrefix: string;
  locale: 'zh-CN' | 'en-US';
  departments: DeptSpec[];
};

const d = (
  key: string,
  name: string,
  code: string,
  sort: number,
  staff: number,
  post: string,
  children?: DeptSpec[],
) => ({
  key,
  name,
  code,
  sort,
  staff,
  post,
  children,
});

// First-level codes 10-000NN and second-level 20-00NNN like the Didi sample (catalog §3 D6); sort numbers
// have gaps on purpose.
const units: UnitSpec[] = [
  {
    key: 'hq',
    code: 'XH-HQ',
    name: '星河互联集团总部',
    kind: 'headquarters',
    timeZone: 'Asia/Shanghai',
    memberPrefix: 'XH',
    locale: 'zh-CN',
    departments: [
      d('board', '董事会', '00-00000', 0, 0, 'P-SEC'),
      d('ceoOffice', '总裁办', '00-00001', 1, 0, 'P-SEC'),
      d('strategy', '战略部', '10-00001', 2, 3, 'P-STRAT'),
      d('gov', '政府事务部', '10-00002', 3, 2, 'P-POLICY', [d('policy', '政策研究院', '20-00138', 3, 2, 'P-POLICY')]),
      d('sales', '销售中心', '10-00004', 4, 1, 'P-SALES', [
        d('salesNorth', '华北销售部', '20-00041', 3, 4, 'P-SALES', [
          d('salesBeijing', '北京销售一组', '30-00411', 1, 4, 'P-SALES', [
            d('keyAccounts', '大客户小组', '40-04111', 1, 3, 'P-SALES'),
          ]),
        ]),
        d('salesEast', '华东销售部', '20-00042', 6, 5, 'P-SALES'),
        d('salesAdmin', '销售管理部', '20-00043', 9, 3, 'P-SALESADM'),
      ]),
      d('finance', '财务中心', '10-00005', 6, 1, 'P-ACC', [
        d('accounting', '会计核算部', '20-00051', 1, 4, 'P-ACC'),
        d('treasury', '资金管理部', '20-00052', 4, 2, 'P-CASH'),
      ]),
      d('purchasing', '采购部', '10-00007', 8, 3, 'P-BUY'),
      d('legal', '法务部', '10-00008', 9, 3, 'P-LEGAL'),
      d('hr', '人力资源部', '10-00009', 10, 1, 'P-HR', [
        d('recruiting', '招聘部', '20-00091', 1, 3, 'P-REC'),
        d('training', '培训发展部', '20-00092', 3, 2, 'P-TRAIN'),
        d('payroll', '薪酬考勤部', '20-00093', 5, 3, 'P-HR'),
      ]),
      d('admin', '行政部', '10-00010', 11, 4, 'P-ADMIN', [d('archives', '档案室', '20-00101', 2, 2, 'P-ARCH')]),
      d('market', '市场部', '10-00011', 12, 2, 'P-MKT', [
        d('brand', '品牌推广部', '20-00111', 5, 3, 'P-MKT'),
        d('events', '市场活动部', '20-00112', 7, 3, 'P-MKT', [
          d('eventsOffline', '线下活动组', '30-01121', 2, 2, 'P-MKT', [
            d('eventsEast', '华东活动小组', '40-11211', 1, 2, 'P-MKT'),
          ]),
        ]),
      ]),
      d('tech', '产品技术中心', '10-00012', 21, 1, 'P-DEV', [
        d('rd1', '研发一部', '20-00121', 1, 5, 'P-DEV', [
          d('payments', '支付研发组', '30-01211', 2, 4, 'P-DEV', [
            d('paymentsCore', '支付核心小组', '40-12111', 1, 3, 'P-DEV'),
          ]),
        ]),
        d('rd2', '研发二部', '20-00122', 3, 5, 'P-QA'),
        d('ops', '运维部', '20-00123', 5, 1, 'P-OPS', [
          d('opsLine1', '一线运维组', '30-01231', 1, 3, 'P-OPS'),
          d('opsLine2', '二线运维组', '30-01232', 3, 3, 'P-OPS'),
        ]),
        d('it', 'IT 部', '20-00124', 8, 4, 'P-IT'),
      ]),
      d('service', '客户服务中心', '10-00013', 23, 1, 'P-CS', [
        d('callCenter', '呼叫中心', '20-00131', 1, 5, 'P-CS'),
        d('afterSales', '售后服务部', '20-00132', 4, 4, 'P-CS'),
      ]),
      d('innovation', '创新办公室', '10-00014', 24, 2, 'P-STRAT'),
    ],
  },
  {
    key: 'branch',
    code: 'XH-CD',
    name: '星河互联成都分公司',
    kind: 'branch',
    timeZone: 'Asia/Shanghai',
    memberPrefix: 'CD',
    locale: 'zh-CN',
    departments: [
      d('cdOffice', '分公司总经理办公室', '10-00001', 1, 1, 'P-SEC'),
      d('cdSales', '销售部', '10-00002', 3, 3, 'P-SALES', [d('cdSalesSw', '川渝销售组', '20-00021', 1, 4, 'P-SALES')]),
      d('cdService', '客服部', '10-00003', 5, 3, 'P-CS'),
      d('cdGeneral', '综合管理部', '10-00004', 7, 4, 'P-ADMIN'),
    ],
  },
  {
    key: 'subsidiary',
    code: 'XH-SG',
    name: '星河国际（新加坡）有限公司',
    kind: 'subsidiary',
    timeZone: 'Asia/Singapore',
    memberPrefix: 'SG',
    locale: 'en-US',
    departments: [
      d('sgManagement', '管理层', '10-00001', 1, 1, 'P-SEC'),
      d('sgBusiness', '业务拓展部', '10-00002', 2, 3, 'P-SALES'),
      d('sgTech', '技术支持部', '10-00003', 4, 3, 'P-IT'),
    ],
  },
];

const levelSpecs = [
  { code: 'L10', name: '总裁', rank: 10 },
  { code: 'L20', name: '副总裁', rank: 20 },
  { code: 'L30', name: '总监', rank: 30 },
  { code: 'L40', name: '经理', rank: 40 },
  { code: 'L50', name: '主管', rank: 50 },
  { code: 'L60', name: '专员', rank: 60 },
  { code: 'L70', name: '助理', rank: 70 },
];

const postSpecs: Array<{ code: string; name: string; unit?: UnitSpec['key'] }> = [
  { code: 'P-GM', name: '总经理' },
  { code: 'P-VGM', name: '副总经理' },
  { code: 'P-MGR', name: '部门经理' },
  { code: 'P-SEC', name: '秘书' },
  { code: 'P-STRAT', name: '战略分析师' },
  { code: 'P-POLICY', name: '政策研究员' },
  { code: 'P-MKT', name: '市场专员' },
  { code: 'P-SALES', name: '销售代表' },
  { code: 'P-SALESADM', name: '销售管理专员' },
  { code: 'P-ACC', name: '会计' },
  { code: 'P-CASH', name: '出纳' },
  { code: 'P-BUY', name: '采购专员' },
  { code: 'P-LEGAL', name: '法务专员' },
  { code: 'P-HR', name: '人事专员' },
  { code: 'P-REC', name: '招聘专员' },
  { code: 'P-TRAIN', name: '培训专员' },
  { code: 'P-ADMIN', name: '行政专员' },
  { code: 'P-ARCH', name: '档案管理员' },
  { code: 'P-DEV', name: '研发工程师' },
  { code: 'P-QA', name: '测试工程师' },
  { code: 'P-OPS', name: '运维工程师' },
  { code: 'P-IT', name: 'IT 工程师' },
  { code: 'P-CS', name: '客服专员' },
  { code: 'P-CD-GM', name: '分公司总经理', unit: 'branch' },
];

export type DemoOrgSummary = {
  unitIds: Record<'hq' | 'branch' | 'subsidiary', string>;
  counts: {
    units: number;
    departments: number;
    maxDepth: number;
    members: number;
    posts: number;
    levels: number;
    roles: number;
    roleAssignments: number;
    concurrentPosts: number;
    divisionLeaders: number;
  };
  /** Every member's login, in creation order. */
  logins: string[];
  /** One holder's login per catalog role code, plus `ceo` and department heads by department key. */
  keyLogins: Record<string, string>;
  /** Department ids by their demo key (ceoOffice, salesNorth, rd1 …). */
  departmentIds: Record<string, string>;
};

/**
 * Builds 星河互联集团, a fictional Internet-service group: three units (HQ in Shanghai time, a Chengdu
 * branch, a Singapore subsidiary), 48 departments up to 4 levels deep, `members` people (default 200)
 * with deterministic Chinese names, levels 总裁 … 助理, posts, division leaders, a few concurrent posts
 * and a supervisor override, and every catalog role held by at least one member. One transaction; fails
 * with ORG_DUPLICATE_CODE when run twice on the same database.
 */
export async function buildDemoOrg(
  ctx: DbCtx,
  options: { seed?: number; members?: number } = {},
): Promise<DemoOrgSummary> {
  const random = createRandom(options.seed ?? 20_260_105);
  const nextName = createNamer(random);
  const target = options.members ?? 200;
  return withTx(ctx, async (tx) => {
    const unitIds = {} as Record<UnitSpec['key'], string>;
    for (const [index, spec] of units.entries()) {
      const unit = await createUnit(tx, {
        code: spec.code,
        name: spec.name,
        kind: spec.kind,
        timeZone: spec.timeZone,
        sort: (index + 1) * 10,
      });
      unitIds[spec.key] = unit.id;
    }
    const levels = new Map<string, string>();
    for (const spec of levelSpecs) levels.set(spec.name, (await createLevel(tx, spec)).id);
    const posts = new Map<string, string>();
    for (const spec of postSpecs) {
      const post = await createPost(tx, {
        code: spec.code,
        name: spec.name,
        unitId: spec.unit ? unitIds[spec.unit] : null,
      });
      posts.set(spec.code, post.id);
    }

    // Departments, depth first.
    const departments = new Map<string, { department: Department; spec: DeptSpec; unit: UnitSpec; depth: number }>();
    const walk = async (unit: UnitSpec, specs: DeptSpec[], parentId: string | null, depth: number) => {
      for (const spec of specs) {
        const department = await createDepartment(tx, {
          unitId: unitIds[unit.key],
          parentId,
          name: spec.name,
          code: spec.code,
          sort: spec.sort,
        });
        departments.set(spec.key, { department, spec, unit, depth });
        await walk(unit, spec.children ?? [], department.id, depth + 1);
      }
    };
    for (const unit of units) await walk(unit, unit.departments, null, 1);

    // People: executives in 总裁办, then a head and the staff of every department, then extra staff.
    type Person = { key: string; deptKey: string; post: string; level: string; head: boolean };
    const people: Person[] = [
      { key: 'ceo', deptKey: 'ceoOffice', post: 'P-GM', level: '总裁', head: true },
      { key: 'chairman', deptKey: 'board', post: 'P-GM', level: '总裁', head: true },
      { key: 'vpMarket', deptKey: 'ceoOffice', post: 'P-VGM', level: '副总裁', head: false },
      { key: 'vpFinance', deptKey: 'ceoOffice', post: 'P-VGM', level: '副总裁', head: false },
      { key: 'vpHr', deptKey: 'ceoOffice', post: 'P-VGM', level: '副总裁', head: false },
      { key: 'vpTech', deptKey: 'ceoOffice', post: 'P-VGM', level: '副总裁', head: false },
      { key: 'secretary', deptKey: 'ceoOffice', post: 'P-SEC', level: '助理', head: false },
    ];
    const headLevel = (depth: number, unit: UnitSpec) =>
      unit.key !== 'hq' && depth === 1 ? '总监' : (['总监', '经理', '主管', '主管'][depth - 1] ?? '主管');
    for (const [key, { spec, unit, depth }] of departments) {
      if (key === 'ceoOffice' || key === 'board') continue;
      const gm = key === 'cdOffice' || key === 'sgManagement';
      people.push({
        key: `head:${key}`,
        deptKey: key,
        post: gm ? (unit.key === 'branch' ? 'P-CD-GM' : 'P-GM') : 'P-MGR',
        level: gm ? '副总裁' : headLevel(depth, unit),
        head: true,
      });
      for (let i = 0; i < spec.staff; i++) {
        people.push({
          key: `${key}:${i}`,
          deptKey: key,
          post: spec.post,
          level: i === 0 && depth <= 2 ? '主管' : '专员',
          head: false,
        });
      }
    }
    const fillable = [...departments.keys()].filter((key) => key !== 'ceoOffice' && key !== 'board');
    const extra = new Map<string, number>();
    while (people.length < target) {
      const key = pick(random, fillable);
      const count = extra.get(key) ?? 0;
      extra.set(key, count + 1);
      const spec = departments.get(key)?.spec as DeptSpec;
      people.push({ key: `${key}:x${count}`, deptKey: key, post: spec.post, level: '专员', head: false });
    }

    const counters = new Map<string, number>();
    const inputs = people.map((person) => {
      const placed = departments.get(person.deptKey) as { department: Department; unit: UnitSpec };
      const n = (counters.get(placed.unit.memberPrefix) ?? 0) + 1;
      counters.set(placed.unit.memberPrefix, n);
      const { name, login } = nextName();
      return {
        code: `${placed.unit.memberPrefix}${String(n).padStart(4, '0')}`,
        name,
        login,
        email: `${login}@xinghe.example`,
        phone: `13${(n % 9) + 1}****${String(n).padStart(4, '0')}`,
        mainDepartmentId: placed.department.id,
        postId: posts.get(person.post),
        levelId: levels.get(person.level),
        locale: placed.unit.locale,
        sort: n * 10,
      };
    });
    const created = await createMembers(tx, { members: inputs });
    const byKey = new Map<string, Member>(people.map((person, index) => [person.key, created[index] as Member]));
    const member = (key: string): Member => {
      const found = byKey.get(key);
      if (!found) throw new Error(`demo org: no member ${key}`);
      return found;
    };
    const id = (key: string) => member(key).id;
    const deptId = (key: string) => (departments.get(key) as { department: Department }).department.id;
    const headOf = (key: string) =>
      key === 'ceoOffice' ? id('ceo') : key === 'board' ? id('chairman') : id(`head:${key}`);
    const staffOf = (key: string) =>
      people.filter((p) => p.deptKey === key && !p.head && !p.key.startsWith('vp')).map((p) => id(p.key));

    for (const key of departments.keys()) await setHead(tx, { departmentId: deptId(key), memberId: headOf(key) });

    const leaders: Array<[string, string[]]> = [
      ['strategy', ['ceo']],
      ['gov', ['ceo']],
      ['market', ['vpMarket']],
      ['sales', ['vpMarket']],
      ['finance', ['vpFinance']],
      ['purchasing', ['vpFinance']],
      ['legal', ['vpFinance']],
      ['hr', ['vpHr']],
      ['admin', ['vpHr']],
      ['tech', ['vpTech']],
      ['service', ['vpTech']],
      ['innovation', ['vpTech', 'ceo']],
      ['cdSales', ['head:cdOffice']],
      ['cdService', ['head:cdOffice']],
      ['cdGeneral', ['head:cdOffice']],
      ['sgBusiness', ['head:sgManagement']],
      ['sgTech', ['head:sgManagement']],
    ];
    for (const [key, keys] of leaders) {
      await setDivisionLeaders(tx, { departmentId: deptId(key), memberIds: keys.map(id) });
    }

    const roles = new Map<string, string>();
    for (const spec of catalogRoles) roles.set(spec.code, (await createRole(tx, { ...spec, kind: 'business' })).id);
    const grants: Array<{
      role: CatalogRoleCode;
      members: string[];
      scopeUnitId?: string;
      scopeDepartmentId?: string;
    }> = [
      { role: 'chairman', members: [id('chairman')] },
      { role: 'generalManager', members: [id('ceo')] },
      { role: 'divisionLeader', members: ['vpMarket', 'vpFinance', 'vpHr', 'vpTech'].map(id) },
      { role: 'divisionLeader', members: [headOf('cdOffice')], scopeUnitId: unitIds.branch },
      { role: 'branchLeader', members: [headOf('cdOffice')], scopeUnitId: unitIds.branch },
      { role: 'branchLeader', members: [headOf('sgManagement')], scopeUnitId: unitIds.subsidiary },
      { role: 'marketingDirector', members: [headOf('market')] },
      { role: 'marketingManager', members: [headOf('brand'), headOf('events')] },
      { role: 'financeDirector', members: [headOf('finance')] },
      { role: 'financeStaff', members: [...staffOf('accounting'), ...staffOf('treasury')] },
      { role: 'financeStaff', members: staffOf('cdGeneral').slice(0, 1), scopeUnitId: unitIds.branch },
      { role: 'financeStaff', members: staffOf('sgManagement').slice(0, 1), scopeUnitId: unitIds.subsidiary },
      { role: 'salesperson', members: ['salesNorth', 'salesBeijing', 'keyAccounts', 'salesEast'].flatMap(staffOf) },
      { role: 'salesperson', members: [...staffOf('cdSales'), ...staffOf('cdSalesSw')], scopeUnitId: unitIds.branch },
      { role: 'salesperson', members: staffOf('sgBusiness'), scopeUnitId: unitIds.subsidiary },
      { role: 'salesDirector', members: [headOf('sales')] },
      { role: 'salesDirector', members: [headOf('salesNorth')], scopeDepartmentId: deptId('salesNorth') },
      { role: 'salesDirector', members: [headOf('salesEast')], scopeDepartmentId: deptId('salesEast') },
      { role: 'salesDirector', members: [headOf('cdSales')], scopeUnitId: unitIds.branch },
      { role: 'salesAdmin', members: [headOf('salesAdmin'), ...staffOf('salesAdmin')] },
      { role: 'legalStaff', members: staffOf('legal') },
      { role: 'archiveAdmin', members: staffOf('archives') },
      { role: 'buyer', members: staffOf('purchasing') },
      { role: 'purchasingDirector', members: [headOf('purchasing')] },
      { role: 'callCenter', members: staffOf('callCenter') },
      { role: 'callCenter', members: staffOf('cdService'), scopeUnitId: unitIds.branch },
      { role: 'serviceLine1', members: staffOf('afterSales').slice(0, 2) },
      { role: 'serviceLine2', members: [...staffOf('afterSales').slice(2), headOf('afterSales')] },
      { role: 'opsLine1', members: staffOf('opsLine1') },
      { role: 'opsLine2', members: staffOf('opsLine2') },
      { role: 'leader', members: [headOf('ops'), id('vpTech')] },
      { role: 'developer', members: ['rd1', 'payments', 'paymentsCore', 'rd2'].flatMap(staffOf) },
      { role: 'rdLead', members: [headOf('rd1'), headOf('rd2')] },
      { role: 'innovationTeam', members: [...staffOf('innovation'), ...staffOf('strategy').slice(0, 1)] },
      {
        role: 'innovationCommittee',
        members: [id('ceo'), id('vpTech'), headOf('strategy'), headOf('innovation'), headOf('tech')],
      },
      { role: 'administration', members: staffOf('admin') },
      { role: 'recruiter', members: staffOf('recruiting') },
      { role: 'hrDirector', members: [headOf('hr')] },
      { role: 'trainingSpecialist', members: staffOf('training') },
      { role: 'hardwareEngineer', members: staffOf('it').slice(0, 1) },
      { role: 'softwareEngineer', members: staffOf('it').slice(1, 2) },
      { role: 'itEngineer', members: staffOf('it') },
      { role: 'itOpsHead', members: [headOf('ops')] },
      { role: 'itHead', members: [headOf('it')] },
      { role: 'materialsAdmin', members: staffOf('admin').slice(-1) },
    ];
    // 考勤员: one clerk per first-level department of HQ, scoped to it; the branch has one for the unit.
    for (const top of units[0]?.departments ?? []) {
      if (top.key === 'ceoOffice' || top.key === 'board') continue;
      const candidates = [top, ...(top.children ?? [])].flatMap((spec) => staffOf(spec.key));
      const clerk = candidates.at(-1) ?? headOf(top.key);
      grants.push({ role: 'attendanceClerk', members: [clerk], scopeDepartmentId: deptId(top.key) });
    }
    grants.push({ role: 'attendanceClerk', members: staffOf('cdGeneral').slice(-1), scopeUnitId: unitIds.branch });

    let roleAssignments = 0;
    const keyLogins: Record<string, string> = { ceo: member('ceo').login };
    const loginOf = new Map(created.map((m) => [m.id, m.login]));
    for (const grant of grants) {
      for (const memberId of new Set(grant.members)) {
        await assignRole(tx, {
          role: grant.role,
          memberId,
          scopeUnitId: grant.scopeUnitId,
          scopeDepartmentId: grant.scopeDepartmentId,
        });
        roleAssignments++;
        keyLogins[grant.role] ??= loginOf.get(memberId) as string;
      }
    }
    for (const key of departments.keys()) keyLogins[`head:${key}`] = loginOf.get(headOf(key)) as string;

    // A few concurrent posts (兼职) and one dotted-line supervisor override.
    const concurrent: Array<[string, string, string, string]> = [
      [id('vpTech'), 'innovation', 'P-MGR', '副总裁'],
      [staffOf('accounting')[0] as string, 'cdGeneral', 'P-ACC', '专员'],
      [staffOf('recruiting')[0] as string, 'payroll', 'P-HR', '专员'],
      [staffOf('rd1')[0] as string, 'it', 'P-DEV', '专员'],
    ];
    for (const [memberId, key, post, level] of concurrent) {
      await addConcurrentPost(tx, {
        memberId,
        departmentId: deptId(key),
        postId: posts.get(post),
        levelId: levels.get(level),
      });
    }
    // Reporting lines above the tree (汇报对象): the unit's top-level heads report to their division
    // leader, the vice presidents and the other units' general managers to the CEO, the CEO to the chairman.
    const reportsTo: Array<[string, string]> = [
      ...leaders
        .filter(([key]) => units[0]?.departments.some((top) => top.key === key))
        .map(([key, keys]): [string, string] => [headOf(key), id(keys[0] as string)])
        .filter(([head, leader]) => head !== leader),
      ...['vpMarket', 'vpFinance', 'vpHr', 'vpTech'].map((key): [string, string] => [id(key), id('ceo')]),
      [id('ceo'), id('chairman')],
      [headOf('cdOffice'), id('ceo')],
      [headOf('sgManagement'), id('ceo')],
    ];
    const current = new Map(created.map((m) => [m.id, m]));
    for (const [memberId, supervisorId] of reportsTo) {
      const subject = current.get(memberId) as Member;
      current.set(memberId, await updateMember(tx, { id: memberId, version: subject.version, supervisorId }));
    }
    const analyst = current.get(id('policy:0')) as Member;
    await updateMember(tx, { id: analyst.id, version: analyst.version, supervisorId: headOf('strategy') });

    const maxDepth = Math.max(...[...departments.values()].map((entry) => entry.depth));
    const divisionLeaders = leaders.reduce((sum, [, keys]) => sum + keys.length, 0);
    return {
      unitIds,
      counts: {
        units: units.length,
        departments: departments.size,
        maxDepth,
        members: created.length,
        posts: postSpecs.length,
        levels: levelSpecs.length,
        roles: catalogRoles.length,
        roleAssignments,
        concurrentPosts: concurrent.length,
        divisionLeaders,
      },
      logins: created.map((m) => m.login),
      keyLogins,
      departmentIds: Object.fromEntries([...departments].map(([key, entry]) => [key, entry.department.id])),
    };
  });
}
