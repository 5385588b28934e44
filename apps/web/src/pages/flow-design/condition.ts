// The simple condition builder: rules `field op value` joined by AND. An expression that is not of that shape
// stays in raw mode (the server compiles it against the form and reports its issues on the branch).

export const operators = ['=', '!=', '>', '>=', '<', '<='] as const;
export type Operator = (typeof operators)[number];
export type Rule = { field: string; op: Operator; value: string };

const NUMBER = /^-?\d+(\.\d+)?$/;

function literal(value: string): string {
  const text = value.trim();
  if (NUMBER.test(text) || /^(TRUE|FALSE|NULL)$/i.test(text)) return text;
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** `days > 3 AND leaveType = 'annual'`. */
export function printRules(rules: Rule[]): string {
  return rules
    .filter((rule) => rule.field)
    .map((rule) => `${rule.field} ${rule.op} ${literal(rule.value)}`)
    .join(' AND ');
}

const RULE =
  /^\s*(\$?[A-Za-z_][\w.]*)\s*(>=|<=|!=|<>|==|=|>|<)\s*(-?\d+(?:\.\d+)?|'(?:[^'\\]|\\.)*'|TRUE|FALSE|NULL)\s*$/i;

/** The rules of an expression the builder can show, or null (raw mode). */
export function parseRules(expression: string): Rule[] | null {
  if (!expression.trim()) return [];
  const parts = expression.split(/\s+AND\s+/i);
  const rules: Rule[] = [];
  for (const part of parts) {
    const match = RULE.exec(part);
    if (!match) return null;
    const [, field, rawOp, rawValue] = match as unknown as [string, string, string, string];
    const op = (rawOp === '==' ? '=' : rawOp === '<>' ? '!=' : rawOp) as Operator;
    const value = rawValue.startsWith("'") ? rawValue.slice(1, -1).replace(/\\(.)/g, '$1') : rawValue;
    rules.push({ field, op, value });
  }
  return printRules(rules) === expression.trim() ? rules : null;
}
