import { defineIssues, type IssueCode } from '@baton/core';

/**
 * The texts of every issue a rule definition can have: its trigger, its expressions, named actions, the action
 * kinds' checks (`context.add(path, code, params)`) and compensation. A new action kind adds its codes here.
 */
export const RuleIssues = defineIssues('rule', {
  unknown_form: { zh: '表单 {form} 尚未发布', en: 'Form {form} is not published' },
  unknown_flow: { zh: '流程 {flow} 尚未发布', en: 'Flow {flow} is not published' },
  trigger: { zh: '规则须且只能监听一个流程或一个表单', en: 'A rule listens to exactly one flow or one form' },
  timing: {
    zh: '规则要么按计划运行，要么按日期字段提醒，不能两者都有',
    en: 'A rule runs on a schedule or from a date field, not both',
  },
  timed_flow: {
    zh: '定时与日期提醒只能针对表单的记录',
    en: 'Schedules and date reminders run over the records of a form',
  },
  timed_events: { zh: '定时规则不监听事件', en: 'A timed rule listens to no event' },
  timed_compensate: { zh: '定时规则没有可补偿的操作', en: 'Timed rules have nothing to compensate them' },
  schedule_invalid: { zh: '计划有误：{detailZh}', en: 'Invalid schedule: {detail}' },
  time_zone: { zh: '不是有效的时区（IANA 名称，如 Asia/Shanghai）', en: 'Not an IANA time zone' },
  required: { zh: '须填写{whatZh}', en: '{what} is required' },
  unknown_event: { zh: '未知的事件，可选：{allowed}', en: 'Unknown event; one of {allowed}' },
  duplicate: { zh: '事件重复列出', en: 'An event is listed twice' },
  nodes_not_allowed: {
    zh: '只有流程的 nodeEntered、nodeCompleted 事件才能按节点筛选',
    en: 'Nodes filter nodeEntered and nodeCompleted events of a flow',
  },
  unknown_node: { zh: '流程没有节点「{node}」', en: 'The flow has no node "{node}"' },
  not_a_date: { zh: '「{field}」须为日期或日期时间', en: '"{field}" must be a date or a datetime' },
  expression_syntax: { zh: '表达式无法解析：{detailZh}', en: 'The expression does not parse: {detail}' },
  unknown_action: { zh: '本列表中没有名为「{name}」的操作（as）', en: 'No action of this list is named "{name}" (as)' },
  action_not_yet_run: {
    zh: '$actions.{name} 是第 {at} 个操作的结果，此时它还没有运行',
    en: '$actions.{name} is the output of action {at}, which has not run by then',
  },
  duplicate_name: { zh: '第 {at} 个操作已命名为「{name}」', en: 'Action {at} is named "{name}" already' },
  unknown_kind: { zh: '未知的操作类型「{kind}」', en: 'Unknown action kind "{kind}"' },
  unknown_subtable: { zh: '没有明细表「{subtable}」', en: 'No subtable "{subtable}"' },
  unknown_param: { zh: '占位「{name}」不在 params 中', en: 'Placeholder "{name}" is not in params' },
  no_output: { zh: '{kind} 操作没有可交给后续操作的结果，不能命名', en: 'A {kind} action hands nothing on to name' },
  named_per_row: {
    zh: '逐行运行（forEachRow）的操作每行各有一个结果，不能命名',
    en: 'An action run per row (forEachRow) has one output per row: not named',
  },
  reserved_name: { zh: '「{name}」是表达式语言的保留字', en: '"{name}" is a word of the expression language' },
  empty: {
    zh: '补偿须撤销原有效果、运行操作，或两者都做',
    en: 'A compensation undoes the effects, runs actions, or both',
  },
  // ---- action kinds ----
  unknown_field: { zh: '{form} 没有字段「{field}」', en: '{form} has no field "{field}"' },
  unknown_column: {
    zh: '明细表「{subtable}」没有列「{column}」',
    en: 'Subtable "{subtable}" has no column "{column}"',
  },
  not_matchable: { zh: '{type} 类型的字段不能用来匹配', en: 'A {type} field cannot be matched on' },
  not_writable: {
    zh: '「{field}」（{type}）是计算字段或规则不能写入',
    en: '"{field}" ({type}) is computed or cannot be written by a rule',
  },
  match_empty: { zh: '至少指定一个用于匹配的字段', en: 'Name at least one field to match on' },
  match_id_alone: { zh: '按 id 匹配时不能再加其他字段', en: 'Match on id alone' },
  match_not_used: {
    zh: '新增（insert）不匹配任何记录：请改用 upsert 或 update',
    en: 'An insert matches nothing: use mode upsert or update',
  },
  upsert_by_id: {
    zh: 'upsert 不能用指定的 id 新建记录：请改用 update',
    en: 'An upsert cannot create a record with a given id: use update',
  },
  set_empty: { zh: '没有要写入的内容', en: 'Nothing to write' },
  from_in_row: {
    zh: '逐行运行（forEachRow）的操作映射的就是当前行：请去掉 from',
    en: 'An action run per row (forEachRow) maps that row: leave out from',
  },
  not_numeric: { zh: '「{field}」不是可存储的数字或金额字段', en: '"{field}" is not a stored number or money field' },
  params_without_message: { zh: 'params 用于填充提示文字，须同时给出 message', en: 'params fill a message' },
  until_or_days: { zh: 'until 与 days 须且只能给出一个', en: 'Give exactly one of until and days' },
  not_members: { zh: 'to 须为一个人员或人员列表', en: 'to is a member or a list of members' },
});

export type RuleIssueCode = IssueCode<typeof RuleIssues>;
