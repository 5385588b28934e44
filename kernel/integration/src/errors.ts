import { defineError } from '@baton/core';

export const IntegrationErrors = {
  hostRefused: defineError('INTEGRATION_HOST_REFUSED', {
    status: 422,
    zh: '不允许连接 {host}（{reason}）；如确需访问内网地址，请由管理员将该主机加入允许列表',
    en: 'Connecting to {host} is not allowed ({reason}); an administrator must allow this host explicitly',
  }),
  badUrl: defineError('INTEGRATION_URL_INVALID', {
    status: 400,
    zh: '地址无效：{reason}',
    en: 'Invalid address: {reason}',
  }),
  httpFailed: defineError('INTEGRATION_HTTP_FAILED', {
    status: 502,
    zh: '调用 {host} 失败：{reason}',
    en: 'Calling {host} failed: {reason}',
  }),
  webhookNotFound: defineError('INTEGRATION_WEBHOOK_NOT_FOUND', {
    status: 404,
    zh: 'Webhook 不存在',
    en: 'No such webhook',
  }),
  connectorUnknown: defineError('INTEGRATION_CONNECTOR_UNKNOWN', {
    status: 422,
    zh: '连接器 {name} 未配置或已停用',
    en: 'Connector {name} is not configured or is disabled',
  }),
  connectorKindUnknown: defineError('INTEGRATION_CONNECTOR_KIND_UNKNOWN', {
    status: 400,
    zh: '未知的连接器类型 {kind}',
    en: 'Unknown connector kind {kind}',
  }),
  intakeNotFound: defineError('INTEGRATION_INTAKE_NOT_FOUND', {
    status: 404,
    zh: '该表单不存在或已停止收集',
    en: 'This form does not exist or no longer accepts submissions',
  }),
  intakeRateLimited: defineError('INTEGRATION_INTAKE_RATE_LIMITED', {
    status: 429,
    zh: '提交过于频繁，请稍后再试',
    en: 'Too many submissions; please try again later',
  }),
  intakeFieldRefused: defineError('INTEGRATION_INTAKE_FIELD_REFUSED', {
    status: 400,
    zh: '不接受字段 {field}',
    en: 'Field {field} is not accepted',
  }),
};
