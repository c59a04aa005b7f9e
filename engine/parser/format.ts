/** Prints expressions back as SQL, as ksqlDB shows them in messages (`(T.ID = 0)`, `ABS(INPUT.ID)`). */
import { formatType } from '../types/sql-type.ts';
import type { Expr } from './ast.ts';

export function formatExpression(e: Expr): string {
  switch (e.kind) {
    case 'literal':
      if (e.type === 'STRING') return `'${e.value.replaceAll("'", "''")}'`;
      if (e.type === 'NULL') return 'null';
      if (e.type === 'DECIMAL') return e.text;
      return String(e.value);
    case 'column':
      return e.source ? `${e.source}.${e.name}` : e.name;
    case 'lambdaVar':
      return e.name;
    case 'deref':
      return `${formatExpression(e.base)}->${e.field}`;
    case 'subscript':
      return `${formatExpression(e.base)}[${formatExpression(e.index)}]`;
    case 'call':
      return `${e.name}(${e.star ? '*' : e.args.map(formatExpression).join(', ')})`;
    case 'arithmetic':
      return `(${formatExpression(e.left)} ${e.op} ${formatExpression(e.right)})`;
    case 'negate':
      return `-${formatExpression(e.operand)}`;
    case 'comparison':
      return `(${formatExpression(e.left)} ${e.op} ${formatExpression(e.right)})`;
    case 'logical':
      return `(${formatExpression(e.left)} ${e.op} ${formatExpression(e.right)})`;
    case 'not':
      return `(NOT ${formatExpression(e.operand)})`;
    case 'isNull':
      return `(${formatExpression(e.operand)} IS ${e.negated ? 'NOT ' : ''}NULL)`;
    case 'isDistinct':
      return `(${formatExpression(e.left)} IS ${e.negated ? 'NOT ' : ''}DISTINCT FROM ${formatExpression(e.right)})`;
    case 'like':
      return `(${formatExpression(e.operand)} ${e.negated ? 'NOT ' : ''}LIKE ${formatExpression(e.pattern)})`;
    case 'between':
      return `(${formatExpression(e.operand)} ${e.negated ? 'NOT ' : ''}BETWEEN ${formatExpression(e.low)} AND ${formatExpression(e.high)})`;
    case 'in':
      return `(${formatExpression(e.operand)} ${e.negated ? 'NOT ' : ''}IN (${e.list.map(formatExpression).join(', ')}))`;
    case 'case': {
      const whens = e.whens.map((w) => `WHEN ${formatExpression(w.when)} THEN ${formatExpression(w.result)}`).join(' ');
      const operand = e.operand ? `${formatExpression(e.operand)} ` : '';
      return `(CASE ${operand}${whens}${e.otherwise ? ` ELSE ${formatExpression(e.otherwise)}` : ''} END)`;
    }
    case 'cast':
      return `CAST(${formatExpression(e.operand)} AS ${formatType(e.type)})`;
    case 'struct':
      return `STRUCT(${e.fields.map((f) => `${f.name}:=${formatExpression(f.value)}`).join(', ')})`;
    case 'array':
      return `ARRAY[${e.items.map(formatExpression).join(', ')}]`;
    case 'map':
      return `MAP(${e.entries.map((x) => `${formatExpression(x.key)}:=${formatExpression(x.value)}`).join(', ')})`;
    case 'lambda':
      return `(${e.params.join(', ')}) => ${formatExpression(e.body)}`;
    case 'interval':
      return `INTERVAL ${e.value} ${e.unit}`;
  }
}

/** Structural equality of expressions, ignoring positions (GROUP BY matching). */
export function sameExpression(a: Expr, b: Expr): boolean {
  return formatExpression(a) === formatExpression(b);
}
