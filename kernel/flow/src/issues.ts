import { defineIssues, type IssueCode } from '@baton/core';

/**
 * The texts of every issue a flow definition can have: the graph, node kinds' and assignee sources' checks,
 * conditions, and a form that is not published (the designer's check). Expression issues keep their own codes.
 */
export const FlowIssues = defineIssues('flow', {
  form_mismatch: { zh: '流程绑定的是表单 {form}，与所给表单不符', en: 'The flow is bound to {form}' },
  form_not_published: { zh: '表单 {form} 尚未发布', en: 'No published form {form}' },
  not_flow_form: { zh: '该表单不是流程表单', en: 'The form is not a flow form' },
  key_syntax: {
    zh: '节点键名只能用英文字母、数字、- 和 _，且以字母开头',
    en: 'A node key is ASCII letters, digits, - or _, a letter first',
  },
  duplicate_key: { zh: '「{key}」重复了', en: '"{key}" is used twice' },
  unknown_kind: { zh: '未知的节点类型「{kind}」', en: 'Unknown node kind "{kind}"' },
  bad_config: { zh: '设置有误：{detailZh}', en: 'Invalid setting: {detail}' },
  start_count: { zh: '流程须有且只有一个开始节点', en: 'A flow has exactly one start node' },
  no_end: { zh: '流程至少需要一个结束节点', en: 'A flow needs at least one end node' },
  unknown_node: { zh: '没有节点「{node}」', en: 'No node "{node}"' },
  condition_not_allowed: { zh: '只有条件节点的连线才能设置条件', en: 'Only condition nodes route by conditions' },
  condition_and_else: {
    zh: '一条连线要么带条件，要么是“其他情况”，不能两者都是',
    en: 'An edge is either conditional or the else edge',
  },
  condition_syntax: { zh: '条件无法解析：{detailZh}', en: 'The condition does not parse: {detail}' },
  edges_not_allowed: { zh: '{kind} 节点不能有出口连线', en: '{kind} has no outgoing edge' },
  one_edge: { zh: '{kind} 节点须有且只有一条出口连线', en: '{kind} needs exactly one outgoing edge' },
  split_edges: { zh: '并行分支至少需要两个分支', en: 'A parallel split needs two or more branches' },
  else_count: { zh: '条件节点须有且只有一条“其他情况”连线', en: 'A condition node needs exactly one else edge' },
  no_condition: { zh: '条件节点至少需要一条带条件的连线', en: 'A condition node needs at least one conditional edge' },
  edge_without_condition: {
    zh: '条件节点的每条连线都须带条件或是“其他情况”',
    en: 'Every edge of a condition node has a condition or is the else',
  },
  start_incoming: { zh: '不能有连线回到开始节点', en: 'Nothing leads back to start' },
  unreachable: { zh: '从开始节点到不了节点 {node}', en: 'Node {node} cannot be reached from start' },
  no_path_to_end: { zh: '节点 {node} 走不到任何结束节点', en: 'Node {node} cannot reach an end' },
  cycle: { zh: '节点 {node} 处在循环上（退回请用“回退”操作）', en: 'Node {node} is on a cycle (use return instead)' },
  join_without_split: { zh: '汇聚节点 {node} 之前没有并行分支', en: 'Join {node} has no parallel split before it' },
  join_incoming: { zh: '汇聚节点 {node} 至少需要两条进入连线', en: 'Join {node} needs two or more incoming edges' },
  split_without_join: { zh: '并行分支 {node} 之后没有汇聚节点', en: 'Split {node} has no join after it' },
  // ---- node kinds and assignee sources ----
  unknown_field: { zh: '表单没有字段「{field}」', en: 'The form has no field "{field}"' },
  bad_field_type: { zh: '「{field}」须为{typesZh}字段', en: '"{field}" must be a {types} field' },
  unknown_source: { zh: '未知的审批人来源「{source}」', en: 'Unknown assignee source "{source}"' },
  no_assignee_source: { zh: '{kindZh}节点至少需要一个审批人来源', en: 'A {kind} node needs an assignee source' },
  ratio_not_countersign: { zh: '通过比例只适用于会签', en: 'Ratio applies to countersign only' },
  no_administrator: { zh: '流程没有设置管理员', en: 'The flow has no administrator' },
  bad_opinion_field: {
    zh: '「{field}」不是绑定到节点 {node} 的意见字段',
    en: '"{field}" is not an opinion field bound to node {node}',
  },
  required: { zh: '须填写{whatZh}', en: '{what} is required' },
  transfer_only: { zh: '接手人（transferTo）只用于超时转交', en: "transferTo applies to overdue 'transfer' only" },
  not_choice_field: { zh: '「{field}」不是表单的选择字段', en: '"{field}" is not a choice field of the form' },
  unknown_option: { zh: '没有选项「{option}」', en: 'No option "{option}"' },
});

export type FlowIssueCode = IssueCode<typeof FlowIssues>;
