import { defineError } from '@baton/core';

export const FlowErrors = {
  definitionInvalid: defineError('FLOW_DEFINITION_INVALID', {
    status: 400,
    zh: '流程定义有误：{count} 处问题',
    en: 'The flow definition is invalid: {count} problem(s)',
  }),
  notPublished: defineError('FLOW_NOT_PUBLISHED', {
    status: 404,
    zh: '流程 {flow} 尚未发布',
    en: 'Flow {flow} has not been published',
  }),
  instanceNotFound: defineError('FLOW_INSTANCE_NOT_FOUND', {
    status: 404,
    zh: '找不到流程实例 {id}',
    en: 'Flow instance {id} was not found',
  }),
  taskNotFound: defineError('FLOW_TASK_NOT_FOUND', {
    status: 404,
    zh: '找不到待办 {id}',
    en: 'Task {id} was not found',
  }),
  taskNotPending: defineError('FLOW_TASK_NOT_PENDING', {
    status: 409,
    zh: '该待办已被处理',
    en: 'This task has already been handled',
  }),
  notAssignee: defineError('FLOW_NOT_ASSIGNEE', {
    status: 403,
    zh: '您不是该待办的处理人',
    en: 'You are not the assignee of this task',
  }),
  invalidState: defineError('FLOW_INVALID_STATE', {
    status: 409,
    zh: '流程当前状态（{state}）不允许此操作：{action}',
    en: 'The flow is {state}; {action} is not possible now',
  }),
  notAllowed: defineError('FLOW_ACTION_NOT_ALLOWED', {
    status: 403,
    zh: '不允许此操作：{reason}',
    en: 'This action is not allowed: {reason}',
  }),
  withdrawTooLate: defineError('FLOW_WITHDRAW_TOO_LATE', {
    status: 409,
    zh: '已有审批人处理，无法撤回',
    en: 'An approver has already acted; the request can no longer be withdrawn',
  }),
  noAssignee: defineError('FLOW_NO_ASSIGNEE', {
    status: 400,
    zh: '节点 {node} 找不到审批人，无法提交',
    en: 'Node {node} has no approver; the request cannot be submitted',
  }),
  returnTargetInvalid: defineError('FLOW_RETURN_TARGET_INVALID', {
    status: 400,
    zh: '不能退回到节点 {node}',
    en: 'The request cannot be returned to node {node}',
  }),
  urgeTooSoon: defineError('FLOW_URGE_TOO_SOON', {
    status: 429,
    zh: '每个待办一小时内只能催办一次',
    en: 'A task can be urged at most once an hour',
  }),
  requiredFields: defineError('FLOW_REQUIRED_FIELDS', {
    status: 400,
    zh: '请填写本节点的必填字段：{fields}',
    en: 'Fill in the fields this step requires: {fields}',
  }),
  chosenAssigneesMissing: defineError('FLOW_CHOSEN_ASSIGNEES_MISSING', {
    status: 400,
    zh: '请为节点 {node} 选择审批人',
    en: 'Choose the approvers of node {node}',
  }),
  delegationNotFound: defineError('FLOW_DELEGATION_NOT_FOUND', {
    status: 404,
    zh: '找不到委托 {id}',
    en: 'Delegation {id} was not found',
  }),
  invalidInput: defineError('FLOW_INPUT_INVALID', {
    status: 400,
    zh: '请求数据有误，请检查标出的字段',
    en: 'The request is invalid; check the marked fields',
  }),
} as const;
