import { type FieldIssue, type IssueCatalogue, issueMessage } from '@baton/core';
import { expect } from 'vitest';

/**
 * Each engine's issues test asks the same two things of the issues its cases produced: this checks that every
 * one is worded in zh-CN (with Chinese in it) and en-US with no placeholder left unfilled.
 */
export function expectWordedIssues(issues: readonly FieldIssue[], atLeast: number): void {
  expect(issues.length).toBeGreaterThan(atLeast);
  for (const issue of issues) {
    const zh = issueMessage(issue, 'zh-CN');
    const en = issueMessage(issue, 'en-US');
    expect({ issue, zh: typeof zh, en: typeof en }).toEqual({ issue, zh: 'string', en: 'string' });
    expect(`${zh} ${en}`).not.toMatch(/\{\w+\}/);
    expect(zh).toMatch(/[\u4e00-\u9fff]/);
  }
}

/** …and this lists the catalogue's codes no issue of its engine reached (a code without a case). */
export function unreachedCodes(
  catalogue: Pick<IssueCatalogue, 'engine' | 'codes'>,
  issues: readonly (FieldIssue & { engine?: string })[],
): string[] {
  const emitted = new Set(issues.filter((issue) => issue.engine === catalogue.engine).map((issue) => issue.code));
  return catalogue.codes.filter((code) => !emitted.has(code));
}
