// Texts of the CRM pack beyond the labels of its forms and flows (which carry both languages themselves).
export const zhCN: Record<string, string> = {
  'pack.summary': '客户档案、档案借阅、商机跟进与客户服务记录',
  'menu.crm.hint': '用重于管：客户档案要常用、常新',
  'customerArchive.confidential': '客户档案属公司机密，跨团队查阅须经借阅审批',
  'customerArchiveGrant.hint': '借阅默认 7 天，到期自动收回，到期前一天提醒',
  'opportunity.hint': '每次跟进都要记录；长期未跟进的商机将由销售管理部重新分配',
  'customerServiceRecord.hint': '请从客户档案中选择客户，地址和联系人会自动带出',
  'role.everyone': '所有员工均可录入商机',
};
