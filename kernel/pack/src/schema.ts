// Row shapes as Kysely sees them (camelCase through CamelCasePlugin; SQL is snake_case).

export type PackInstallTable = {
  /** The pack key (`crm`): also the `pack` of its forms and flows. */
  key: string;
  version: string;
  /** sha256 of the pack's canonical content: a start with the same hash changes nothing. */
  hash: string;
  /** JSON { zh, en }. */
  name: string;
  /** JSON: the whole validated pack document (what exportPack starts from, menus and locales for the web). */
  document: string;
  /** JSON array of the permission codes granted to roles by this version (an upgrade revokes the dropped ones). */
  granted: string;
  installedAt: string;
  installedBy: string | null;
  updatedAt: string;
  /** When the demo data was loaded (once, at the first install), or null. */
  demoLoadedAt: string | null;
};

declare module '@baton/db' {
  interface BatonDatabase {
    baton_pack_install: PackInstallTable;
  }
}
