import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineError } from './error.ts';
import { defineIssues, issueCatalogues, issueMessage, nestIssue } from './issue.ts';
import { ShapeIssues, shapeIssues } from './shape-issues.ts';

describe('defineIssues', () => {
  const issues = defineIssues('test-engine', {
    unknown_field: { zh: '没有字段「{field}」', en: 'No field "{field}"' },
    bad_type: { zh: '应为{typeZh}', en: 'Expected {type}' },
  });

  it('builds issues with params and the en-US text, and words them in either language', () => {
    const issue = issues.issue(['fields', 2, 'key'], 'unknown_field', { field: 'amount' });
    expect(issue).toEqual({
      path: ['fields', 2, 'key'],
      code: 'unknown_field',
      message: 'No field "amount"',
      params: { field: 'amount' },
      engine: 'test-engine',
    });
    expect(issueMessage(issue, 'zh-CN')).toBe('没有字段「amount」');
    expect(issueMessage(issue, 'en-US')).toBe('No field "amount"');
    expect(issueMessage({ ...issue, code: 'nothing_like_it' }, 'zh-CN')).toBeUndefined();
    expect(issueCatalogues().map((c) => c.engine)).toContain('test-engine');
    expect(issues.codes).toEqual(['bad_type', 'unknown_field']);
  });

  it('words an issue whose code is a coded error with that error, and keeps it when nested', () => {
    defineError('TEST_ISSUE_CODE', { status: 400, zh: '未知函数 {name}', en: 'Unknown function {name}' });
    const nested = nestIssue({ path: ['expr'], code: 'TEST_ISSUE_CODE', params: { name: 'FOO' } }, ['fields', 0]);
    expect(nested.path).toEqual(['fields', 0, 'expr']);
    expect(issueMessage(nested, 'zh-CN')).toBe('未知函数 FOO');
  });

  it('refuses a second catalogue of one engine, bad codes, missing texts and unpaired placeholders', () => {
    expect(() => defineIssues('test-engine', {})).toThrow(/twice/);
    expect(() => defineIssues('test-a', { BadCode: { zh: '甲', en: 'a' } })).toThrow(/snake_case/);
    expect(() => defineIssues('test-b', { empty: { zh: ' ', en: 'a' } })).toThrow(/zh and en/);
    expect(() => defineIssues('test-c', { mismatch: { zh: '「{key}」', en: '"{field}"' } })).toThrow(/placeholders/);
    expect(() => issues.issue([], 'no_text' as 'bad_type')).toThrow(/no texts/);
  });
});

describe('shapeIssues', () => {
  const schema = z.strictObject({
    key: z.string().min(1).max(5),
    count: z.number().int().max(10),
    kind: z.enum(['flow', 'archive']),
    tags: z.array(z.string()).min(1),
    when: z.string().regex(/^\d\d:\d\d$/, 'HH:mm'),
    code: z.string().refine((v) => v !== 'x', { message: 'not x', params: { zh: '不能是 x' } }),
  });
  const input = { key: '', count: 'many', kind: 'other', tags: [], when: '9', code: 'x', extra: 1 };
  const result = schema.safeParse(input);
  const issues = result.success ? [] : shapeIssues(result.error.issues, input, ['forms', 0]);
  const zh = Object.fromEntries(issues.map((i) => [i.path.join('.'), issueMessage(i, 'zh-CN')]));
  const en = Object.fromEntries(issues.map((i) => [i.path.join('.'), issueMessage(i, 'en-US')]));

  it('words every zod issue code in both languages under the prefix', () => {
    expect(zh).toEqual({
      'forms.0.key': '长度不能小于 1',
      'forms.0.count': '类型错误：应为数字，实际是文本',
      'forms.0.kind': '取值无效，可选：flow, archive',
      'forms.0.tags': '项数不能小于 1',
      'forms.0.when': '格式不正确',
      'forms.0.code': '不能是 x',
      'forms.0': '不支持的属性：extra',
    });
    expect(en['forms.0.key']).toBe('The length must be at least 1');
    expect(en['forms.0.when']).toBe('HH:mm');
    expect(en['forms.0.code']).toBe('not x');
    expect(issues.every((i) => i.engine === ShapeIssues.engine)).toBe(true);
  });

  it('calls a missing value required, and keeps the schema’s English as the message', () => {
    const missing = z.strictObject({ name: z.string() }).safeParse({});
    const [issue] = missing.success ? [] : shapeIssues(missing.error.issues, {});
    expect(issue?.code).toBe('required');
    expect(issueMessage(issue as never, 'zh-CN')).toBe('缺少此项');
    expect(issue?.message).toMatch(/expected string/);
  });

  it('calls a missing union required too, and a present one that fits no branch invalid_union', () => {
    const schema = z.strictObject({ target: z.union([z.string(), z.strictObject({ form: z.string() })]) });
    const missing = schema.safeParse({});
    expect((missing.success ? [] : shapeIssues(missing.error.issues, {})).map((i) => i.code)).toEqual(['required']);
    const wrong = schema.safeParse({ target: 3 });
    const [issue] = wrong.success ? [] : shapeIssues(wrong.error.issues, { target: 3 });
    expect(issue?.code).toBe('invalid_union');
    expect(issueMessage(issue as never, 'zh-CN')).toBe('不符合任何一种允许的写法');
  });
});
