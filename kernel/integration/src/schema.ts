// Row shapes as Kysely sees them (camelCase through CamelCasePlugin; SQL is snake_case).

export type AllowedHostTable = {
  /** Lower-case host name or IP literal (IPv6 without brackets). */
  host: string;
  note: string | null;
  createdBy: string | null;
  createdAt: string;
};

export type WebhookTable = {
  id: string;
  name: string;
  url: string;
  /** HMAC-SHA256 key; shown to the administrator once, at creation. */
  secret: string;
  /** JSON array of event types (`flow.approved` …); `*` for every event. */
  events: string;
  /** Written true/false, read back 1/0 on SQLite. */
  enabled: number | boolean;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
};

export type ConnectorTable = {
  /** The name rules use in callConnector (`erp.voucher`). */
  name: string;
  kind: string;
  /** JSON: the kind's validated configuration. */
  config: string;
  enabled: number | boolean;
  createdAt: string;
  updatedAt: string;
};

declare module '@baton/db' {
  interface BatonDatabase {
    baton_integration_allowed_host: AllowedHostTable;
    baton_integration_webhook: WebhookTable;
    baton_integration_connector: ConnectorTable;
  }
}
