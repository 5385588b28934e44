import { type ErrorParams, type FieldIssue, findError, interpolate } from './error.ts';
import type { Locale } from './locale.ts';

// Definition issues (a form's, a flow's, a rule's …) are data an administrator reads in a designer, in zh-CN
// first. An engine declares the texts of its issue codes once, beside its coded errors and in the same manner
// (zh and en with `{name}` placeholders); an issue carries only its code, its params and the catalogue's name,
// so the server writes it in the caller's language and `message` stays the en-US text for logs and the CLI.

/** The two texts of an issue code. A word that differs by language is a pair of params: `{type}` / `{typeZh}`. */
export type IssueText = { readonly zh: string; readonly en: string };

/** An issue an engine reports: a FieldIssue whose code has texts in a catalogue. */
export type Issue<C extends string = string> = FieldIssue & {
  code: C;
  message: string;
  params: Readonly<ErrorParams>;
  engine: string;
};

export type IssueCatalogue<C extends string = string> = {
  readonly engine: string;
  readonly texts: Readonly<Record<C, IssueText>>;
  /** The codes, sorted: the registry a test checks emitted issues against. */
  readonly codes: readonly C[];
  /** An issue at `path`; `message` is the en-US text with the params filled in. */
  issue(path: ReadonlyArray<string | number>, code: C, params?: ErrorParams): Issue<C>;
  /** The text of `code` in `locale`. */
  format(code: C, locale: Locale, params?: ErrorParams): string;
};

/** The codes of a catalogue, for typing an engine's `add(path, code, params)`. */
export type IssueCode<T> = T extends IssueCatalogue<infer C> ? C : never;

const catalogues = new Map<string, IssueCatalogue>();
const CODE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
const ENGINE = /^[a-z][a-z0-9-]*$/;

/** Placeholder names of a text; `{typeZh}` counts as `type`, so a pair is one name in both languages. */
function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => (m[1] as string).replace(/Zh$/, '')))].sort();
}

/**
 * Declares the issue texts of one engine once: snake_case codes, each with a zh and an en text naming the same
 * placeholders. Engines are unique across the process, like error codes.
 */
export function defineIssues<const T extends Record<string, IssueText>>(
  engine: string,
  texts: T,
): IssueCatalogue<keyof T & string> {
  type C = keyof T & string;
  if (!ENGINE.test(engine)) throw new TypeError(`defineIssues: "${engine}" is not an engine name`);
  if (catalogues.has(engine)) throw new TypeError(`defineIssues: "${engine}" is defined twice`);
  for (const [code, text] of Object.entries(texts)) {
    if (!CODE.test(code)) throw new TypeError(`defineIssues: "${engine}.${code}" is not a snake_case code`);
    if (!text.zh.trim() || !text.en.trim()) throw new TypeError(`defineIssues: "${engine}.${code}" needs zh and en`);
    if (placeholders(text.zh).join() !== placeholders(text.en).join()) {
      throw new TypeError(`defineIssues: "${engine}.${code}" names different placeholders in zh and en`);
    }
  }
  const frozen = Object.freeze(
    Object.fromEntries(
      Object.entries(texts).map(([code, text]) => [code, Object.freeze({ zh: text.zh, en: text.en })]),
    ),
  ) as Readonly<Record<C, IssueText>>;
  const format = (code: C, locale: Locale, params?: ErrorParams) => {
    const text = frozen[code];
    return interpolate(locale === 'zh-CN' ? text.zh : text.en, params);
  };
  const catalogue: IssueCatalogue<C> = Object.freeze({
    engine,
    texts: frozen,
    codes: Object.freeze(Object.keys(frozen).sort() as C[]),
    format,
    issue: (path: ReadonlyArray<string | number>, code: C, params: ErrorParams = {}): Issue<C> => {
      if (!Object.hasOwn(frozen, code)) throw new TypeError(`issue: "${engine}.${code}" has no texts`);
      return { path: [...path], code, message: format(code, 'en-US', params), params: { ...params }, engine };
    },
  });
  catalogues.set(engine, catalogue as unknown as IssueCatalogue);
  return catalogue;
}

/** Every catalogue declared so far, by engine name. */
export function issueCatalogues(): IssueCatalogue[] {
  return [...catalogues.values()].sort((a, b) => a.engine.localeCompare(b.engine));
}

/**
 * The text of an issue in `locale`: from its engine's catalogue, or from the coded error its code names (the
 * expression language reports its issues that way); undefined when neither knows the code.
 */
export function issueMessage(issue: FieldIssue, locale: Locale): string | undefined {
  if (issue.engine !== undefined) {
    const catalogue = catalogues.get(issue.engine);
    if (catalogue && Object.hasOwn(catalogue.texts, issue.code)) {
      return catalogue.format(issue.code, locale, issue.params);
    }
    return undefined;
  }
  return findError(issue.code)?.format(locale, issue.params);
}

/** An issue of another engine (or of the expression language) moved under `prefix`, its code and params kept. */
export function nestIssue(
  issue: FieldIssue,
  prefix: ReadonlyArray<string | number> = [],
): FieldIssue & { message: string } {
  const { path, code, message, params, engine } = issue;
  return {
    path: [...prefix, ...path],
    code,
    message: message ?? code,
    ...(params !== undefined ? { params } : {}),
    ...(engine !== undefined ? { engine } : {}),
  };
}
