import type { DemoFiling } from '@baton/pack';
import { day, directorEast, directorNorth, east1, record, salesAdmin0, salesAdminHead } from './members.ts';

// Borrowing requests: one approved, one waiting for sales management, one rejected with its reason.
export const grants: DemoFiling[] = [
  {
    ref: 'g01',
    flow: 'customerArchiveGrant',
    by: directorEast,
    title: '借阅 北京星辰化妆品有限公司',
    values: {
      customerRef: record('c01'),
      reason: '华东分公司承接星辰上海新店推广，需参考历史合作记录。',
      grantFrom: day(0),
      grantTo: day(7),
      grantLevel: 'read',
    },
    steps: [{ action: 'approve', by: salesAdminHead, opinion: '同意借阅 7 天。' }],
  },
  {
    ref: 'g02',
    flow: 'customerArchiveGrant',
    by: directorNorth,
    title: '借阅 上海锦绣电子商务有限公司',
    values: {
      customerRef: record('c06'),
      reason: '北京分部拟联合锦绣做北方市场活动，需了解客户联系人。',
      grantFrom: day(0),
      grantTo: day(5),
      grantLevel: 'read',
    },
  },
  {
    ref: 'g03',
    flow: 'customerArchiveGrant',
    by: east1,
    title: '借阅 天津滨海汽车销售有限公司',
    values: {
      customerRef: record('c04'),
      reason: '客户在南京开设分店，想了解其投放偏好。',
      grantFrom: day(0),
      grantTo: day(7),
      grantLevel: 'readExport',
    },
    steps: [{ action: 'reject', by: salesAdmin0, opinion: '该客户由华北大客户小组跟进，请先联系华北销售总监。' }],
  },
];
