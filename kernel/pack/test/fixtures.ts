import type { PackInput } from '@baton/pack';

const l = (zh: string, en: string) => ({ zh, en });

/**
 * A small pack over the demo organisation: a ledger archive (owned rows, subtable), a request flow form that
 * references the ledger, a one-step approval by a role the pack declares, menus, locales and demo data.
 */
export function tinyPack(over: Partial<PackInput> = {}): PackInput {
  return {
    key: 'tiny',
    version: '1.0.0',
    name: l('小账本', 'Tiny ledger'),
    forms: [
      {
        pack: 'tiny',
        key: 'ledger',
        kind: 'archive',
        label: l('台账', 'Ledger'),
        fields: [
          { key: 'title', label: l('名称', 'Title'), type: 'text', required: true },
          { key: 'amount', label: l('金额', 'Amount'), type: 'money' },
          { key: 'keeper', label: l('经办人', 'Keeper'), type: 'member' },
          { key: 'opened', label: l('日期', 'Opened'), type: 'date' },
        ],
        subtables: [
          {
            key: 'lines',
            label: l('明细', 'Lines'),
            columns: [
              { key: 'what', label: l('项目', 'Item'), type: 'text' },
              { key: 'cost', label: l('金额', 'Cost'), type: 'money' },
            ],
          },
        ],
      },
      {
        pack: 'tiny',
        key: 'request',
        kind: 'flow',
        label: l('申请', 'Request'),
        fields: [
          { key: 'subject', label: l('事由', 'Subject'), type: 'text', required: true },
          {
            key: 'ledgerRef',
            label: l('台账', 'Ledger'),
            type: 'reference',
            form: { pack: 'tiny', key: 'ledger' },
            display: 'title',
            fill: { ledgerAmount: 'amount' },
          },
          { key: 'ledgerAmount', label: l('台账金额', 'Ledger amount'), type: 'money' },
          { key: 'reviewOpinion', label: l('审核意见', 'Review opinion'), type: 'opinion', node: 'review' },
        ],
      },
    ],
    flows: [
      {
        pack: 'tiny',
        key: 'requestApproval',
        name: l('申请审批', 'Request approval'),
        form: { pack: 'tiny', key: 'request' },
        nodes: [
          { key: 'start', kind: 'start' },
          {
            key: 'review',
            kind: 'approval',
            mode: 'anySign',
            assignees: [{ source: 'role', role: 'tinyReviewer', scope: 'all' }],
            opinionField: 'reviewOpinion',
          },
          { key: 'end', kind: 'end' },
        ],
        edges: [
          { from: 'start', to: 'review' },
          { from: 'review', to: 'end' },
        ],
      },
    ],
    rules: [
      {
        pack: 'tiny',
        key: 'lendLedger',
        name: l('批准后借阅台账', 'Lend the ledger on approval'),
        on: { flow: 'tiny.requestApproval', events: ['approved'] },
        when: 'NOT ISBLANK(ledgerRef)',
        actions: [{ kind: 'grant', form: 'tiny.ledger', record: 'ledgerRef', member: '$initiator.memberId', days: 7 }],
      },
    ],
    reports: [
      {
        pack: 'tiny',
        key: 'ledgerByKeeper',
        label: l('台账按经办人', 'Ledgers by keeper'),
        form: { pack: 'tiny', key: 'ledger' },
        rows: [{ field: 'keeper' }],
        measures: [
          { key: 'ledgers', agg: 'count' },
          { key: 'amount', agg: 'sum', field: 'amount' },
        ],
      },
    ],
    menus: [
      {
        key: 'tiny',
        label: l('小账本', 'Tiny'),
        items: [
          { key: 'ledgers', label: l('台账', 'Ledgers'), form: 'ledger' },
          { key: 'newRequest', label: l('发起申请', 'New request'), flow: 'requestApproval' },
          { key: 'byKeeper', label: l('统计', 'Statistics'), report: 'ledgerByKeeper' },
        ],
      },
    ],
    roles: [
      {
        code: 'tinyClerk',
        name: l('记账员', 'Clerk'),
        permissions: [
          { form: 'ledger', create: true },
          { flow: 'requestApproval', start: true },
        ],
      },
      {
        code: 'tinyReviewer',
        name: l('审核员', 'Reviewer'),
        permissions: [
          { form: 'ledger', read: ['all'] },
          { form: 'request', read: ['all'] },
        ],
      },
    ],
    locales: {
      'zh-CN': { 'menu.hint': '记账与申请' },
      'en-US': { 'menu.hint': 'Ledgers and requests' },
    },
    demo: {
      assignments: [
        { role: 'tinyClerk', members: ['staff:北京销售一组:0', 'staff:华东销售部:0'] },
        { role: 'tinyReviewer', members: ['head:销售管理部'] },
      ],
      records: [
        {
          ref: 'north',
          form: 'ledger',
          by: 'staff:北京销售一组:0',
          values: {
            title: '北京台账',
            amount: 1_250_000,
            keeper: { $member: 'staff:北京销售一组:0' },
            opened: { $date: -10 },
            lines: [{ what: '差旅', cost: 50_000 }],
          },
        },
        { ref: 'east', form: 'ledger', by: 'staff:华东销售部:0', values: { title: '华东台账', amount: 300_000 } },
      ],
      filings: [
        {
          ref: 'approved',
          flow: 'requestApproval',
          by: 'staff:华东销售部:0',
          values: { subject: '查阅北京台账', ledgerRef: { $record: 'north' } },
          steps: [{ action: 'approve', by: 'head:销售管理部', opinion: '同意' }],
        },
        { ref: 'pending', flow: 'requestApproval', by: 'staff:北京销售一组:0', values: { subject: '待审' } },
      ],
    },
    ...over,
  };
}
