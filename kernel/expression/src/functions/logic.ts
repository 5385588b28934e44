import { isBlank } from '../values.ts';
import { defineFunction } from './define.ts';
import { commonType, expectArg } from './helpers.ts';

const MANY = Number.POSITIVE_INFINITY;

export const IF = defineFunction({
  name: 'IF',
  category: 'logic',
  summary: {
    zh: '条件为真取第二个参数，否则取第三个（省略时为空）；只计算选中的一支',
    en: 'The second argument when the condition holds, else the third (blank when omitted); only the chosen one is computed',
  },
  signatures: ['IF(boolean, T, T?) → T'],
  minArgs: 2,
  maxArgs: 3,
  type: (context) => {
    const ok = expectArg(context, 0, ['boolean']);
    const result = commonType(context, context.args.length === 3 ? [1, 2] : [1]);
    return ok ? result : 'unknown';
  },
  evaluate: (args) => {
    if (args.value(0) === true) return args.valueAs(1, args.resultType);
    return args.length === 3 ? args.valueAs(2, args.resultType) : null;
  },
});

export const IFS = defineFunction({
  name: 'IFS',
  category: 'logic',
  summary: {
    zh: '依次判断条件，取第一个为真的条件后的值；参数个数为奇数时最后一个是默认值',
    en: 'The value after the first condition that holds; with an odd number of arguments the last is the default',
  },
  signatures: ['IFS(boolean, T, boolean, T, …, T?) → T'],
  minArgs: 2,
  maxArgs: MANY,
  type: (context) => {
    let ok = true;
    const results: number[] = [];
    const pairs = Math.floor(context.args.length / 2);
    for (let i = 0; i < pairs; i++) {
      ok = expectArg(context, 2 * i, ['boolean']) && ok;
      results.push(2 * i + 1);
    }
    if (context.args.length % 2 === 1) results.push(context.args.length - 1);
    const result = commonType(context, results);
    return ok ? result : 'unknown';
  },
  evaluate: (args) => {
    const pairs = Math.floor(args.length / 2);
    for (let i = 0; i < pairs; i++) if (args.value(2 * i) === true) return args.valueAs(2 * i + 1, args.resultType);
    return args.length % 2 === 1 ? args.valueAs(args.length - 1, args.resultType) : null;
  },
});

function connective(name: 'AND' | 'OR') {
  const all = name === 'AND';
  return defineFunction({
    name,
    category: 'logic',
    summary: all
      ? {
          zh: '全部为真时为真；AND(items.checked) 表示每一行都勾选',
          en: 'True when all hold; AND(items.checked) means every row is checked',
        }
      : {
          zh: '任一为真时为真；OR(items.urgent) 表示至少一行加急',
          en: 'True when any holds; OR(items.urgent) means at least one row is urgent',
        },
    signatures: [`${name}(boolean …) → boolean`],
    minArgs: 1,
    maxArgs: MANY,
    rowArgs: { mode: 'each' },
    type: (context) => {
      let ok = true;
      context.args.forEach((_, i) => {
        ok = expectArg(context, i, ['boolean'], true) && ok;
      });
      return ok ? 'boolean' : 'unknown';
    },
    // Stops at the first argument that decides; a blank counts as false.
    evaluate: (args, runtime) => {
      for (let i = 0; i < args.length; i++) {
        const value = args.value(i);
        const items = Array.isArray(value) ? value : [value];
        runtime.step(items.length);
        const holds = all ? items.every((item) => item === true) : items.some((item) => item === true);
        if (holds !== all) return !all;
      }
      return all;
    },
  });
}

export const AND = connective('AND');
export const OR = connective('OR');

export const ISBLANK = defineFunction({
  name: 'ISBLANK',
  category: 'logic',
  summary: { zh: '为空（空值、空文本或空列表）时为真', en: 'True for a blank: null, empty text or an empty list' },
  signatures: ['ISBLANK(any) → boolean'],
  minArgs: 1,
  maxArgs: 1,
  type: () => 'boolean',
  evaluate: (args) => isBlank(args.value(0)),
});

export const COALESCE = defineFunction({
  name: 'COALESCE',
  category: 'logic',
  summary: { zh: '第一个非空的参数', en: 'The first non-blank argument' },
  signatures: ['COALESCE(T, T …) → T'],
  minArgs: 1,
  maxArgs: MANY,
  type: (context) =>
    commonType(
      context,
      context.args.map((_, i) => i),
    ),
  evaluate: (args) => {
    for (let i = 0; i < args.length; i++) {
      const value = args.valueAs(i, args.resultType);
      if (!isBlank(value)) return value;
    }
    return null;
  },
});

export const logicFunctions = [IF, IFS, AND, OR, ISBLANK, COALESCE];
