import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile, findFunction, listFunctions } from './index.ts';

describe('function registry', () => {
  const functions = listFunctions();

  it('documents every function in both languages, with its signatures', () => {
    expect(functions.map((f) => f.name)).toEqual([
      'ABS',
      'ADDDAYS',
      'ADDMONTHS',
      'AND',
      'AVG',
      'CEIL',
      'COALESCE',
      'CONCAT',
      'CONTAINS',
      'COUNT',
      'COUNTIF',
      'DATE',
      'DATEDIF',
      'DATETIME',
      'DAY',
      'DAYS',
      'FLOOR',
      'HOURS',
      'IF',
      'IFS',
      'ISBLANK',
      'LEFT',
      'LEN',
      'LOWER',
      'MAX',
      'MID',
      'MIN',
      'MONEY',
      'MONTH',
      'NOW',
      'NUMBER',
      'OR',
      'RIGHT',
      'ROUND',
      'SUM',
      'SUMIF',
      'TEXT',
      'TEXTJOIN',
      'TODAY',
      'TRIM',
      'UPPER',
      'UPPERMONEY',
      'YEAR',
    ]);
    for (const definition of functions) {
      expect(definition.summary.zh.length, definition.name).toBeGreaterThan(2);
      expect(definition.summary.en.length, definition.name).toBeGreaterThan(2);
      expect(definition.signatures.length, definition.name).toBeGreaterThan(0);
      expect(Object.isFrozen(definition)).toBe(true);
    }
  });

  it('finds functions case-insensitively and nothing on the prototype', () => {
    expect(findFunction('sum')?.name).toBe('SUM');
    expect(findFunction('constructor')).toBeUndefined();
    expect(findFunction('__proto__')).toBeUndefined();
    expect(findFunction('toString')).toBeUndefined();
  });

  it('checks the arity of every function', () => {
    for (const definition of functions) {
      if (definition.maxArgs === Number.POSITIVE_INFINITY) continue;
      const args = Array.from({ length: definition.maxArgs + 1 }, () => '1').join(', ');
      const result = compile(`${definition.name}(${args})`, {});
      expect(result.ok, definition.name).toBe(false);
      expect(!result.ok && result.issues.map((i) => i.code), definition.name).toContain('EXPR_ARGUMENT_COUNT');
    }
  });
});

describe('isomorphic source', () => {
  // The expression engine also runs in the browser: its source uses no Node-only API and nothing that evaluates code.
  const dir = new URL('.', import.meta.url).pathname;
  const files = (folder: string): string[] =>
    readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? files(join(folder, entry.name))
        : entry.name.endsWith('.ts')
          ? [join(folder, entry.name)]
          : [],
    );
  const sources = files(dir).filter((file) => !file.endsWith('.test.ts'));

  it.each([
    ['node: imports', /from ['"]node:/],
    ['process', /\bprocess\./],
    ['Buffer', /\bBuffer\b/],
    ['require', /\brequire\(/],
    ['eval', /\beval\(/],
    ['Function constructor', /\bnew Function\b|\bFunction\(/],
    ['setTimeout', /\bsetTimeout\(/],
  ])('has no %s', (_, pattern) => {
    const offenders = sources.filter((file) => pattern.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
