// The package's only door: apps/cli builds the server here, engines define their routes here.
import './fastify-types.ts';

export { accessGate, CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from './access-gate.ts';
export { requestCtx } from './ctx.ts';
export { ServerErrors } from './errors.ts';
export { type Caller, enforcePolicy, type Gate } from './gate.ts';
export type { CheckResult, ReadinessCheck } from './health.ts';
export { METRICS_PERMISSION, type MetricReading } from './metrics.ts';
export { type Problem, problemSchema } from './problem.ts';
export {
  type AttachmentAccess,
  AttachmentPermissions,
  type AttachmentRoutesOptions,
  attachmentRoutes,
  readThroughRecord,
} from './routes/attachments.ts';
export { auditRoutes, authRoutes } from './routes/auth.ts';
export { delegationsRoutes } from './routes/delegations.ts';
export { type FlowsRoutesOptions, flowsRoutes } from './routes/flows.ts';
export {
  canStart,
  declareFlowPermissions,
  FlowPermissions,
  flowStartPermission,
} from './routes/flows-permissions.ts';
export { formViewsRoutes } from './routes/form-views.ts';
export { type FormsRoutesOptions, formsRoutes } from './routes/forms.ts';
export {
  declareFormPermissions,
  FormPermissions,
  type FormRights,
  formRights,
  grantableScopes,
  rightsFrom,
} from './routes/forms-permissions.ts';
export { intakeRoutes } from './routes/intake.ts';
export { IntegrationPermissions, integrationRoutes } from './routes/integration.ts';
export { MessagePermissions, type MessagesRoutesOptions, messagesRoutes } from './routes/messages.ts';
export { orgRoutes } from './routes/org.ts';
export { type OrgImportRoutesOptions, orgImportRoutes } from './routes/org-import.ts';
export { PackPermissions, packsRoutes } from './routes/packs.ts';
export {
  RecordsIoPermissions,
  type RecordsIoRoutesOptions,
  recordsIoRoutes,
  registerRecordsIo,
} from './routes/records-io.ts';
export { ReportPermissions, type ReportsRoutesOptions, reportsRoutes } from './routes/reports.ts';
export { rolePermissionsRoutes } from './routes/role-permissions.ts';
export { RulePermissions, rulesRoutes } from './routes/rules.ts';
export { SchedulePermissions, schedulesRoutes } from './routes/schedules.ts';
export {
  type DeploymentFacts,
  SettingsPermissions,
  type SettingsRoutesOptions,
  settingsRoutes,
  UPLOAD_SETTING,
  uploadLimitBytes,
} from './routes/settings.ts';
export { defineRoutes, type Permission, type RoutePlugin, type RoutePolicy, type RouteRecord } from './routes.ts';
export { appCspDirectives, docsCspDirectives } from './security.ts';
export { type BatonServer, buildServer, DEFAULT_BODY_LIMIT, type ServerOptions } from './server.ts';
export type { ProblemField } from './validation.ts';
