import { defineFlow } from '@baton/pack';
import { GM_OFFICE_FROM_YUAN, LEADERSHIP_FROM_YUAN } from '../forms/purchase-contract.form.ts';
import { l } from '../labels.ts';

/**
 * 采购合同审批 (F15), the sample's chain: the requesting department's 2nd-level manager (the handler's own head),
 * the head of the requesting department, legal affairs, finance; from ¥100,000 company leadership (the division
 * leader over the handler's department) and from ¥500,000 also the general manager's office. The handler then
 * confirms execution (effective dates, P-41) and the contract is archived. A member met twice is asked once.
 */
export const purchaseContractFlow = defineFlow({
  pack: 'contracts',
  key: 'purchaseContract',
  name: l('采购合同审批', 'Purchase contract approval'),
  category: 'contracts',
  form: { pack: 'contracts', key: 'purchaseContract' },
  terminatePolicy: 'initiatorOrAdministrator',
  nodes: [
    { key: 'start', kind: 'start', name: l('经办人', 'Handler') },
    {
      key: 'dept2ndManager',
      kind: 'approval',
      name: l('申请部门二级经理', "Requesting department's 2nd-level manager"),
      assignees: [{ source: 'relative', relation: 'head' }],
      opinionField: 'opDept2ndManager',
      initiatorAutoPass: true,
    },
    {
      key: 'deptHead',
      kind: 'approval',
      name: l('申请部门负责人', 'Requesting department head'),
      assignees: [{ source: 'departmentField', field: 'applicantDept', take: 'head' }],
      opinionField: 'opDeptHead',
      dedupe: 'anyEarlier',
      initiatorAutoPass: true,
    },
    {
      key: 'legal',
      kind: 'approval',
      name: l('法律事务部', 'Legal affairs'),
      mode: 'anySign',
      assignees: [{ source: 'role', role: 'legalStaff', scope: 'all' }],
      opinionField: 'opLegal',
    },
    {
      key: 'finance',
      kind: 'approval',
      name: l('财务部', 'Finance'),
      assignees: [{ source: 'role', role: 'financeDirector', scope: 'all' }],
      opinionField: 'opFinance',
      dedupe: 'anyEarlier',
    },
    { key: 'leadershipAmount', kind: 'condition', name: l('合同金额', 'Contract amount') },
    {
      key: 'leadership',
      kind: 'approval',
      name: l('公司领导', 'Company leadership'),
      assignees: [{ source: 'relative', relation: 'divisionLeader' }],
      opinionField: 'opLeadership',
      dedupe: 'anyEarlier',
    },
    { key: 'gmAmount', kind: 'condition', name: l('合同金额', 'Contract amount') },
    {
      key: 'gmOffice',
      kind: 'approval',
      name: l('总经理办公室', "General manager's office"),
      assignees: [{ source: 'role', role: 'generalManager', scope: 'all' }],
      opinionField: 'opGmOffice',
      dedupe: 'anyEarlier',
    },
    {
      key: 'execution',
      kind: 'approval',
      name: l('合同执行确认', 'Execution confirmation'),
      assignees: [{ source: 'memberField', field: 'handler' }],
      fieldAccess: { effectiveDate1: 'required', effectiveDate2: 'edit', completionOwner: 'edit', remark: 'edit' },
    },
    { key: 'end', kind: 'end' },
  ],
  edges: [
    { from: 'start', to: 'dept2ndManager' },
    { from: 'dept2ndManager', to: 'deptHead' },
    { from: 'deptHead', to: 'legal' },
    { from: 'legal', to: 'finance' },
    { from: 'finance', to: 'leadershipAmount' },
    { from: 'leadershipAmount', to: 'leadership', condition: `contractTotal >= ${LEADERSHIP_FROM_YUAN}` },
    { from: 'leadershipAmount', to: 'execution', else: true },
    { from: 'leadership', to: 'gmAmount' },
    { from: 'gmAmount', to: 'gmOffice', condition: `contractTotal >= ${GM_OFFICE_FROM_YUAN}` },
    { from: 'gmAmount', to: 'execution', else: true },
    { from: 'gmOffice', to: 'execution' },
    { from: 'execution', to: 'end' },
  ],
});
