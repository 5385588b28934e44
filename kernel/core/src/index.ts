export { type Clock, createFakeClock, type FakeClock, systemClock } from './clock.ts';
export { type Actor, anonymousActor, type Ctx, systemActor } from './ctx.ts';
export {
  BatonError,
  CoreErrors,
  defineError,
  type ErrorDefinition,
  type ErrorParams,
  type ErrorSpec,
  errorCatalog,
  type FieldIssue,
  isBatonError,
} from './error.ts';
export { isId, newId } from './id.ts';
export {
  defineIssues,
  type Issue,
  type IssueCatalogue,
  type IssueCode,
  type IssueText,
  issueCatalogues,
  issueMessage,
  nestIssue,
} from './issue.ts';
export { defaultLocale, isLocale, type Locale, locales, pickLocale } from './locale.ts';
export { createLogger, type Logger, type LoggerOptions, silentLogger } from './log.ts';
export { type SchemaIssue, ShapeIssues, shapeDetail, shapeIssues } from './shape-issues.ts';
