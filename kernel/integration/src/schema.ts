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

export type IntakeTable = {
  /** Public name in the URL: `/api/public/intake/<key>`. */
  key: string;
  /** JSON { zh, en }: the title shown on the public page. */
  name: string;
  formPack: string;
  formKey: string;
  /** JSON array of the form's field keys the public may fill; nothing else is accepted. */
  fields: string;
  /** The member under whose name records are created (a service desk account). */
  ownerId: string;
  /** Submissions per client address per hour. */
  ratePerHour: number;
  enabled: number | boolean;
  createdAt: string;
  updatedAt: string;
};

export type IntakeHitTable = {
  intakeKey: string;
  /** The client address (IPv6 as its /64). */
  client: string;
  /** Start of the hour counted, ISO instant. */
  windowStart: string;
  count: number;
};

declare module '@baton/db' {
  interface BatonDatabase {
    baton_integration_intake: IntakeTable;
    baton_integration_intake_hit: IntakeHitTable;
  }
}
