// The live check of a designer's draft: the server says what publishing would say, after each pause in editing.
// These are its states and texts, kept free of React so they can be tested on their own.
import type { Translate } from '../../i18n/index.ts';

/** An issue as the server's check returns it: where (the path in the definition), a code and the message. */
export type DraftIssue = { path: ReadonlyArray<string | number>; code: string; message: string };

export type CheckStatus = 'idle' | 'checking' | 'ok' | 'issues' | 'failed';
export type CheckState<I extends DraftIssue = DraftIssue> = { status: CheckStatus; issues: I[] | null };

/** The designers whose catalogue has the `check.*`, `issueCount`, `published` and `unchanged` texts. */
export type DraftTexts = 'ruleDesign' | 'reportDesign';
/** The designers whose catalogue has `leaveTitle` and `leaveBody`. */
export type LeaveTexts = DraftTexts | 'design' | 'flowDesign';

export const notChecked: CheckState<never> = { status: 'idle', issues: null };

/** A check under way keeps the last issues in place, so the marks on the editor do not flicker while typing. */
export const checking = <I extends DraftIssue>(state: CheckState<I>): CheckState<I> => ({
  ...state,
  status: 'checking',
});

export const answered = <I extends DraftIssue>(issues: I[]): CheckState<I> => ({
  status: issues.length === 0 ? 'ok' : 'issues',
  issues,
});

/** The check could not be made: nothing is known about the draft, so no issue is shown either. */
export const failed: CheckState<never> = { status: 'failed', issues: null };

/** Publishing goes on only after a check that answered, and answered without an issue. */
export const publishable = (found: readonly DraftIssue[] | null): boolean => found !== null && found.length === 0;

export function checkText(t: Translate, texts: DraftTexts, check: CheckState): string {
  if (check.status === 'ok') return t(`${texts}.check.ok`);
  if (check.status === 'issues') return t(`${texts}.check.issues`, { count: check.issues?.length ?? 0 });
  if (check.status === 'checking') return t(`${texts}.check.checking`);
  if (check.status === 'failed') return t(`${texts}.check.failed`);
  return '';
}

/** What a publish says: a new version, or that the definition equals the latest one (no version is made). */
export function publishedText(
  t: Translate,
  texts: DraftTexts,
  result: { version: number; unchanged: boolean },
): string {
  return result.unchanged
    ? t(`${texts}.unchanged`, { version: result.version })
    : t(`${texts}.published`, { version: result.version });
}
