// @baton/integration — Baton talking to other systems: outbound HTTP that refuses inward addresses (SSRF)
// unless an administrator allowed the host, signed webhooks out through the outbox, and connectors (a registry
// of kinds) that rules call by name. The package's only entry point. No HTTP routes (apps/server has them).
import './schema.ts';

export { type AddressClass, classifyAddress } from './address.ts';
export {
  CONNECTOR_TOPIC,
  type Connector,
  deliverConnectorCall,
  listConnectors,
  saveConnector,
} from './connectors/connectors.ts';
export { type ConnectorKind, defineConnectorKind } from './connectors/define.ts';
export { findConnectorKind, listConnectorKinds } from './connectors/registry.ts';
export { IntegrationErrors } from './errors.ts';
export {
  countIntakeSubmission,
  type Intake,
  intakeValues,
  listIntakes,
  openIntake,
  purgeIntakeHits,
  saveIntake,
} from './intake.ts';
export { integrationMigrations } from './migrations.ts';
export {
  allowHost,
  checkOutboundUrl,
  disallowHost,
  type HttpRequest,
  type HttpResponse,
  listAllowedHosts,
  sendHttp,
} from './outbound.ts';
export type { AllowedHostTable, ConnectorTable, IntakeHitTable, IntakeTable, WebhookTable } from './schema.ts';
export { SIGNATURE_HEADER, signBody, verifySignature } from './signature.ts';
export {
  createWebhook,
  deleteWebhook,
  deliverWebhook,
  enqueueWebhookEvent,
  listWebhooks,
  setWebhookEnabled,
  WEBHOOK_TOPIC,
  type Webhook,
  type WebhookEvent,
} from './webhooks.ts';
