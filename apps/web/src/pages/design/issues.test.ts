import { describe, expect, it } from 'vitest';
import type { Translate } from '../../i18n/index.ts';
import { draftFromDefinition, toDefinition } from './draft.ts';
import { issuesUnder, issueText, mapIssues } from './issues.ts';

const label = { zh: '字段', en: 'Field' };
const draft = draftFromDefinition(
  {
    pack: 'office',
    key: 'booking',
    kind: 'flow',
    label,
    fields: [
      { key: 'room', label, type: 'text' },
      { key: 'end', label, type: 'text' },
    ],
    subtables: [{ key: 'items', label, columns: [{ key: 'name', label, type: 'text' }] }],
  },
  1,
  () => 12,
);
const t = ((key: string) => `«${key}»`) as Translate;

describe('server issues on the draft', () => {
  const { paths } = toDefinition(draft);
  const issues = mapIssues(
    [
      { path: ['fields', 1, 'key'], code: 'key_reserved', message: '「end」是保留字，不能用作键名' },
      { path: ['subtables', 0, 'columns', 0, 'label', 'en'], code: 'too_small', message: 'Too short' },
      { path: ['subtables', 0, 'columns', 0, 'maxLength'], code: 'bad_config', message: 'Too big: at most 2000' },
      { path: ['key'], code: 'key_syntax', message: 'a key is camelCase ASCII' },
    ],
    paths,
  );

  it('files each issue under the field, column or form its path names', () => {
    const end = draft.fields[1]?.uid as string;
    const column = draft.subtables[0]?.columns[0]?.uid as string;
    expect(issues.get(end)?.map((i) => i.rest)).toEqual([['key']]);
    expect(issues.get(column)?.map((i) => i.rest)).toEqual([['label', 'en'], ['maxLength']]);
    expect(issues.get('form')?.map((i) => i.code)).toEqual(['key_syntax']);
    expect(issues.has(draft.fields[0]?.uid as string)).toBe(false);
    expect(issuesUnder(issues.get(column), ['label'])).toHaveLength(1);
  });

  it("shows the server's text (in the caller's language already), a blank label in words of its own", () => {
    const column = draft.subtables[0]?.columns[0]?.uid as string;
    const [blankLabel, config] = issues.get(column) ?? [];
    expect(issueText(issues.get(draft.fields[1]?.uid as string)?.[0] as never, t)).toBe(
      '「end」是保留字，不能用作键名',
    );
    expect(issueText(blankLabel as never, t)).toBe('«design.issue.labelRequired»');
    expect(issueText(config as never, t)).toBe('Too big: at most 2000');
  });
});
