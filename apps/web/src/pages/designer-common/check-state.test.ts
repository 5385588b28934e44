import { describe, expect, it } from 'vitest';
import type { Translate } from '../../i18n/index.ts';
import {
  answered,
  type CheckState,
  checking,
  checkText,
  failed,
  notChecked,
  publishable,
  publishedText,
} from './check-state.ts';

// The key and its parameters stand for the text, so the test says which text is chosen whatever its wording.
const t: Translate = (key, params) => `«${key}»${params ? JSON.stringify(params) : ''}`;
const issue = { path: ['actions', 0, 'set', 'booker'], code: 'EXPR_UNKNOWN_NAME', message: 'unknown name' };

describe('the live check of a draft', () => {
  it('should answer ok without issues and issues with them', () => {
    expect(answered([])).toEqual({ status: 'ok', issues: [] });
    expect(answered([issue])).toEqual({ status: 'issues', issues: [issue] });
  });

  it('should keep the last issues on screen while a new check is under way', () => {
    const before = answered([issue]);
    expect(checking(before)).toEqual({ status: 'checking', issues: [issue] });
    expect(checking(notChecked)).toEqual({ status: 'checking', issues: null });
  });

  it('should show no issue after a check that failed', () => {
    expect(failed).toEqual({ status: 'failed', issues: null });
  });

  it('should publish only after a check that answered without an issue', () => {
    expect(publishable([])).toBe(true);
    expect(publishable([issue])).toBe(false);
    expect(publishable(null)).toBe(false);
  });

  it('should say each state in the texts of its designer', () => {
    const states: CheckState[] = [notChecked, checking(notChecked), answered([]), answered([issue, issue]), failed];
    expect(states.map((state) => checkText(t, 'ruleDesign', state))).toEqual([
      '',
      '«ruleDesign.check.checking»',
      '«ruleDesign.check.ok»',
      '«ruleDesign.check.issues»{"count":2}',
      '«ruleDesign.check.failed»',
    ]);
    expect(checkText(t, 'reportDesign', answered([issue]))).toBe('«reportDesign.check.issues»{"count":1}');
  });

  it('should say whether a publish made a new version', () => {
    expect(publishedText(t, 'reportDesign', { version: 3, unchanged: false })).toBe(
      '«reportDesign.published»{"version":3}',
    );
    expect(publishedText(t, 'ruleDesign', { version: 2, unchanged: true })).toBe('«ruleDesign.unchanged»{"version":2}');
  });
});
