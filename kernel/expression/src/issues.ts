import type { ErrorDefinition, ErrorParams, FieldIssue } from '@baton/core';
import type { Position } from './ast.ts';

/**
 * A compile problem: a FieldIssue (so a caller can put it into a coded error's `fields`) with the code of one of
 * ExpressionErrors, the message in both languages (`message` is the en-US text, like BatonError.message) and where
 * in the source it is.
 */
export type ExpressionIssue = FieldIssue & {
  readonly code: string;
  readonly message: string;
  readonly zh: string;
  readonly en: string;
  readonly position: Position;
  readonly params: Readonly<ErrorParams>;
};

export function makeIssue(
  definition: ErrorDefinition,
  position: Position,
  params: ErrorParams = {},
  path: ReadonlyArray<string | number> = [],
): ExpressionIssue {
  const en = definition.format('en-US', params);
  return Object.freeze({
    path,
    code: definition.code,
    message: en,
    zh: definition.format('zh-CN', params),
    en,
    position: Object.freeze({ start: position.start, end: position.end }),
    params: Object.freeze({ ...params }),
  });
}
