import { defineForm } from '@baton/pack';
import { l, opt, yesNo } from '../labels.ts';

/**
 * F11 客户服务记录表: a service delivered to a customer of the archive (picking the customer fills its address and
 * contact), reviewed by the sales director, who may edit it (P-62). The sample is a payment-terminal maintenance
 * visit: blacklists, card readers, replaced equipment.
 */
export const customerServiceRecord = defineForm({
  pack: 'crm',
  key: 'customerServiceRecord',
  kind: 'flow',
  label: l('客户服务记录', 'Customer service record'),
  fields: [
    {
      key: 'serviceRegNo',
      label: l('服务登记编号', 'Service registration no.'),
      type: 'serial',
      pattern: 'FW{yyyy}{MM}{dd}{seq:3}',
      reset: 'daily',
    },
    { key: 'projectName', label: l('项目名称', 'Project name'), type: 'text' },
    {
      key: 'recordNo',
      label: l('记录表编号', 'Record form no.'),
      type: 'serial',
      pattern: 'JL-{yyyy}-{seq:5}',
      reset: 'yearly',
    },
    {
      key: 'customerRef',
      label: l('客户单位', 'Customer organisation'),
      type: 'reference',
      form: { pack: 'crm', key: 'customerArchive' },
      display: 'companyName',
      required: true,
      fill: {
        customerAddress: 'address',
        postcode: 'postcode',
        contactName: 'contactName',
        contactTitle: 'contactTitle',
        contactPhone: 'contactPhone',
        contactEmail: 'contactEmail',
      },
    },
    // ()省()市()县: one cascading region value [province, city, county].
    { key: 'customerRegion', label: l('省/市/县', 'Province / city / county'), type: 'region', levels: 3 },
    { key: 'customerAddress', label: l('客户地址', 'Customer address'), type: 'text' },
    { key: 'postcode', label: l('邮编', 'Postcode'), type: 'text', maxLength: 10 },
    { key: 'contactName', label: l('联系人姓名', 'Contact name'), type: 'text' },
    { key: 'contactTitle', label: l('职务', 'Contact title'), type: 'text' },
    { key: 'contactPhone', label: l('电话', 'Contact phone'), type: 'text', maxLength: 40 },
    { key: 'contactEmail', label: l('E-mail', 'Contact e-mail'), type: 'text' },
    // (implied) the four classification pairs of the prose.
    {
      key: 'phase',
      label: l('售前/售后', 'Phase'),
      type: 'radio',
      options: [opt('presales', '售前', 'Pre-sales'), opt('aftersales', '售后', 'After-sales')],
    },
    {
      key: 'nature',
      label: l('服务性质', 'Nature'),
      type: 'radio',
      options: [opt('technical', '技术性', 'Technical'), opt('nonTechnical', '非技术性', 'Non-technical')],
    },
    {
      key: 'charging',
      label: l('收费方式', 'Charging'),
      type: 'radio',
      options: [opt('free', '无偿', 'Free'), opt('paid', '有偿', 'Paid')],
    },
    {
      key: 'term',
      label: l('服务期限', 'Term'),
      type: 'radio',
      options: [opt('longTerm', '长期', 'Long-term'), opt('shortTerm', '短期', 'Short-term')],
    },
    {
      key: 'serviceType',
      label: l('服务类型', 'Service type'),
      type: 'checkboxes',
      options: [
        opt('inspection', '巡检', 'Inspection'),
        opt('repair', '报修处理', 'Repair'),
        opt('other', '其他', 'Other'),
      ],
    },
    { key: 'serviceTypeOther', label: l('其他服务类型', 'Other service type'), type: 'text' },
    {
      key: 'warrantyStatus',
      label: l('服务状态', 'Service status'),
      type: 'checkboxes',
      options: [
        opt('inWarranty', '保内', 'In warranty'),
        opt('outOfWarranty', '保外', 'Out of warranty'),
        opt('other', '其他', 'Other'),
      ],
    },
    { key: 'warrantyOther', label: l('其他服务状态', 'Other status'), type: 'text' },
    { key: 'arrivedAt', label: l('到达时间', 'Arrival time'), type: 'datetime' },
    {
      key: 'leftAt',
      label: l('离开时间', 'Departure time'),
      type: 'datetime',
      validation: {
        expr: 'ISBLANK(leftAt) OR ISBLANK(arrivedAt) OR leftAt >= arrivedAt',
        message: l('离开时间不能早于到达时间', 'Departure cannot be before arrival'),
      },
    },
    { key: 'problem', label: l('问题情况记录', 'Problem description'), type: 'longtext' },
    { key: 'serviceDone', label: l('服务情况记录', 'Service performed'), type: 'longtext' },
    { key: 'engineer', label: l('维修工程师', 'Service engineer'), type: 'member', default: { from: 'member' } },
    { key: 'engineerSign', label: l('维修工程师签字', "Engineer's signature"), type: 'signature' },
    { key: 'checkTxnData', label: l('交易数据完整性', 'Transaction data complete'), type: 'boolean' },
    { key: 'checkBlacklist', label: l('黑名单完整性', 'Blacklist complete'), type: 'boolean' },
    {
      key: 'blacklistCount',
      label: l('当前黑名单条数记录', 'Current blacklist entries'),
      type: 'number',
      scale: 0,
      min: 0,
    },
    {
      key: 'preventiveChecks',
      label: l('预防性检查', 'Preventive checks'),
      type: 'checkboxes',
      options: [
        opt('blacklist', '黑、灰名单', 'Black/grey list'),
        opt('softwareVersion', '软件版本', 'Software version'),
        opt('mirror', '系统MIRROR状态', 'System mirror status'),
        opt('network', '网络通讯', 'Network'),
        opt('peripherals', '外设（打印机、读卡器等）功能性', 'Peripherals (printer, card reader …)'),
      ],
    },
    {
      key: 'satisfaction',
      label: l('您对本次维修服务的满意度', 'Satisfaction with this service'),
      type: 'radio',
      options: [
        opt('verySatisfied', '非常满意', 'Very satisfied'),
        opt('satisfied', '满意', 'Satisfied'),
        opt('neutral', '一般', 'Neutral'),
        opt('dissatisfied', '不满意', 'Dissatisfied'),
        opt('veryDissatisfied', '非常不满意', 'Very dissatisfied'),
      ],
    },
    {
      key: 'dissatisfactionReason',
      label: l('不满意的原因及其他建议', 'Reasons for dissatisfaction, suggestions'),
      type: 'longtext',
    },
    {
      key: 'systemOk',
      label: l('维修后系统是否正常工作', 'System works after repair?'),
      type: 'radio',
      options: yesNo,
    },
    { key: 'otherIssues', label: l('存在其他问题', 'Other open issues'), type: 'longtext' },
    { key: 'customerSeal', label: l('客户确认签章', 'Customer confirmation seal'), type: 'signature' },
    { key: 'customerSignDate', label: l('确认日期', 'Confirmation date'), type: 'date' },
    {
      key: 'opDirector',
      label: l('销售总监审核意见', "Sales director's review"),
      type: 'opinion',
      node: 'directorReview',
      preset: '已审核',
    },
  ],
  subtables: [
    {
      key: 'replacedEquipment',
      label: l('设备更换记录', 'Replaced equipment'),
      columns: [
        { key: 'name', label: l('设备名称', 'Equipment'), type: 'text' },
        { key: 'quantity', label: l('数量', 'Quantity'), type: 'number', scale: 0, min: 0 },
        {
          key: 'repairType',
          label: l('维修类型', 'Repair type'),
          type: 'radio',
          options: [
            opt('partSwap', '换件', 'Part swap'),
            opt('repair', '维修', 'Repair'),
            opt('wholeUnit', '整机更换', 'Whole-unit swap'),
          ],
        },
        { key: 'oldSerial', label: l('原设备序列号', 'Old serial no.'), type: 'text' },
        { key: 'newSerial', label: l('更换后设备序列号', 'New serial no.'), type: 'text' },
      ],
      totals: ['quantity'],
    },
  ],
  layout: {
    sections: [
      {
        key: 'basic',
        title: l('基本信息', 'Basic information'),
        rows: [
          [
            { field: 'serviceRegNo', span: 8 },
            { field: 'recordNo', span: 8 },
            { field: 'projectName', span: 8 },
          ],
          [
            { field: 'customerRef', span: 12 },
            { field: 'customerRegion', span: 12 },
          ],
          [
            { field: 'customerAddress', span: 16 },
            { field: 'postcode', span: 8 },
          ],
          [
            { field: 'contactName', span: 6 },
            { field: 'contactTitle', span: 6 },
            { field: 'contactPhone', span: 6 },
            { field: 'contactEmail', span: 6 },
          ],
          [
            { field: 'phase', span: 6 },
            { field: 'nature', span: 6 },
            { field: 'charging', span: 6 },
            { field: 'term', span: 6 },
          ],
        ],
      },
      {
        key: 'service',
        title: l('服务情况记录', 'Service record'),
        rows: [
          [
            { field: 'serviceType', span: 12 },
            { field: 'serviceTypeOther', span: 12 },
          ],
          [
            { field: 'warrantyStatus', span: 12 },
            { field: 'warrantyOther', span: 12 },
          ],
          [
            { field: 'arrivedAt', span: 12 },
            { field: 'leftAt', span: 12 },
          ],
          [{ field: 'problem' }],
          [{ field: 'serviceDone' }],
          [
            { field: 'engineer', span: 12 },
            { field: 'engineerSign', span: 12 },
          ],
        ],
      },
      { key: 'equipment', title: l('设备更换记录', 'Replaced equipment'), rows: [[{ field: 'replacedEquipment' }]] },
      {
        key: 'integrity',
        title: l('数据完整性核对', 'Data integrity'),
        rows: [
          [
            { field: 'checkTxnData', span: 8 },
            { field: 'checkBlacklist', span: 8 },
            { field: 'blacklistCount', span: 8 },
          ],
          [{ field: 'preventiveChecks' }],
        ],
      },
      {
        key: 'result',
        title: l('服务结果', 'Service result'),
        rows: [
          [{ field: 'satisfaction' }],
          [{ field: 'dissatisfactionReason' }],
          [
            { field: 'systemOk', span: 8 },
            { field: 'customerSignDate', span: 8 },
            { field: 'customerSeal', span: 8 },
          ],
          [{ field: 'otherIssues' }],
        ],
      },
      { key: 'review', title: l('审核意见', 'Review'), rows: [[{ field: 'opDirector' }]] },
    ],
  },
});
