// @baton/pack — the pack SDK and kernel: definePack bundling forms, flows, rules, reports, menus, roles with
// record scopes, locales and demo data; validation of a whole pack with every error's path; the installer
// (install and upgrade in one transaction, idempotent by content hash); export; and the member's-eye view the
// demo loader and pack scenario tests act through; the pack file (read with limits), the diff against what is
// installed, and import in one transaction. Packs import this package only. No HTTP.
import './schema.ts';

import { accessMigrations } from '@baton/access';
import type { EngineMigrations } from '@baton/db';
import { flowMigrations } from '@baton/flow';
import { formMigrations } from '@baton/form';
import { orgMigrations } from '@baton/org';
import { reportMigrations } from '@baton/report';
import { ruleMigrations } from '@baton/rule';
import { scheduleMigrations } from '@baton/schedule';
import { packMigrations } from './migrations.ts';

// Coded errors, which pack scenario tests assert.
export { type BatonError, isBatonError } from '@baton/core';
// The engines' definition constructors, so a pack imports nothing but this package.
export {
  defineFlow,
  type FlowDefinition,
  type FlowDefinitionInput,
  type FlowEdge,
  type FlowNodeInput,
  validateFlow,
} from '@baton/flow';
export {
  defineForm,
  type FieldDefinition,
  type FormDefinition,
  type FormDefinitionInput,
  type FormRecord,
  type Section,
  type SubtableDefinition,
  validateForm,
} from '@baton/form';
// The demo organisation (星河互联集团) scenario tests install packs over, and the reorganisations they act out.
export { buildDemoOrg, type DemoOrgSummary, moveMember } from '@baton/org';
export {
  type Cell,
  type DrillRecord,
  type DrillResult,
  defineReport,
  type ReportDefinition,
  type ReportDefinitionInput,
  type ReportResult,
  type ResultRow,
  validateReport,
} from '@baton/report';
export {
  defineRule,
  type RecordChange,
  type RuleDefinition,
  type RuleDefinitionInput,
  validateRule,
} from '@baton/rule';

export { createResolver, type DemoReport, loadDemo } from './demo.ts';
export {
  type DefinitionDiff,
  type DependentDiff,
  type DiffChange,
  diffPack,
  type FormDiff,
  type MenuDiff,
  type PackDiff,
  type RoleDiff,
  type VersionStep,
} from './diff.ts';
export { PackErrors } from './errors.ts';
export {
  type ExportOptions,
  exportPack,
  type InstalledPack,
  listInstalledPacks,
  listPackCandidates,
  type PackCandidate,
  type PackDocument,
  packLocales,
  packMenus,
} from './export.ts';
export { checkPackDocument, PACK_FORMAT, PackFileLimits, packFileText, readPackFile } from './file.ts';
export {
  type ImportOptions,
  type ImportPreview,
  type ImportResult,
  importPack,
  type PackSummary,
  previewImport,
} from './import.ts';
export { compareVersions, type InstallOptions, type InstallReport, installPack, installPacks } from './install.ts';
export { type PackIssueCode, PackIssues } from './issues.ts';
export { asMember, formRightsOf, type MemberView, placementOf } from './member-view.ts';
export { packMigrations } from './migrations.ts';
export {
  defaultDeclarer,
  type FormRights,
  flowStartCode,
  formPermissionCode,
  type PermissionDeclarer,
  rightCodes,
  rightsFrom,
  rolePermissionCodes,
} from './permissions.ts';
export { type QueuedNotice, queuedNotices, runDueRules, wireRules } from './rules.ts';
export type { PackInstallTable } from './schema.ts';
export {
  type DemoAssignment,
  type DemoFiling,
  type DemoMember,
  type DemoRecord,
  type DemoStep,
  type DemoValues,
  type FlowRight,
  type FormRight,
  type GrantableScope,
  grantableScopes,
  type Label,
  type PackDefinition,
  type PackDemo,
  type PackInput,
  type PackIssue,
  type PackLocales,
  type PackMenu,
  type PackMenuItem,
  type PackReport,
  type PackRight,
  type PackRole,
  type PackRule,
} from './types.ts';
export { definePack, validatePack } from './validate.ts';

/** The migrations a database needs before packs install (the engines packs build on, then the pack table). */
export const packPlatformMigrations: ReadonlyArray<EngineMigrations> = [
  scheduleMigrations,
  orgMigrations,
  accessMigrations,
  formMigrations,
  flowMigrations,
  ruleMigrations,
  reportMigrations,
  packMigrations,
];
