/** Generic walks over expressions: visiting every node and rewriting column references. */
import type { Expr } from '../parser/ast.ts';

/** Children of an expression, in source order. */
export function children(e: Expr): Expr[] {
  switch (e.kind) {
    case 'deref':
      return [e.base];
    case 'subscript':
      return [e.base, e.index];
    case 'call':
      return [...e.args];
    case 'arithmetic':
    case 'comparison':
    case 'logical':
    case 'isDistinct':
      return [e.left, e.right];
    case 'negate':
    case 'not':
    case 'isNull':
      return [e.operand];
    case 'like':
      return [e.operand, e.pattern];
    case 'between':
      return [e.operand, e.low, e.high];
    case 'in':
      return [e.operand, ...e.list];
    case 'case':
      return [
        ...(e.operand ? [e.operand] : []),
        ...e.whens.flatMap((w) => [w.when, w.result]),
        ...(e.otherwise ? [e.otherwise] : []),
      ];
    case 'cast':
      return [e.operand];
    case 'struct':
      return e.fields.map((f) => f.value);
    case 'array':
      return [...e.items];
    case 'map':
      return e.entries.flatMap((x) => [x.key, x.value]);
    case 'lambda':
      return [e.body];
    default:
      return [];
  }
}

/** Every node, depth first, parents before children; `stop` prunes a subtree. */
export function visit(e: Expr, f: (e: Expr) => boolean | undefined): void {
  if (f(e) === false) return;
  for (const c of children(e)) visit(c, f);
}

export function columnsOf(e: Expr): Extract<Expr, { kind: 'column' }>[] {
  const out: Extract<Expr, { kind: 'column' }>[] = [];
  visit(e, (x) => {
    if (x.kind === 'column') out.push(x);
    return undefined;
  });
  return out;
}

/** Rewrites column references (used to compare expressions by what they resolve to). */
export function mapColumns(e: Expr, f: (c: Extract<Expr, { kind: 'column' }>) => Expr): Expr {
  const m = (x: Expr) => mapColumns(x, f);
  switch (e.kind) {
    case 'column':
      return f(e);
    case 'deref':
      return { ...e, base: m(e.base) };
    case 'subscript':
      return { ...e, base: m(e.base), index: m(e.index) };
    case 'call':
      return { ...e, args: e.args.map(m) };
    case 'arithmetic':
    case 'comparison':
    case 'logical':
    case 'isDistinct':
      return { ...e, left: m(e.left), right: m(e.right) } as Expr;
    case 'negate':
    case 'not':
    case 'isNull':
      return { ...e, operand: m(e.operand) } as Expr;
    case 'like':
      return { ...e, operand: m(e.operand), pattern: m(e.pattern) };
    case 'between':
      return { ...e, operand: m(e.operand), low: m(e.low), high: m(e.high) };
    case 'in':
      return { ...e, operand: m(e.operand), list: e.list.map(m) };
    case 'case':
      return {
        ...e,
        operand: e.operand ? m(e.operand) : null,
        whens: e.whens.map((w) => ({ when: m(w.when), result: m(w.result) })),
        otherwise: e.otherwise ? m(e.otherwise) : null,
      };
    case 'cast':
      return { ...e, operand: m(e.operand) };
    case 'struct':
      return { ...e, fields: e.fields.map((x) => ({ name: x.name, value: m(x.value) })) };
    case 'array':
      return { ...e, items: e.items.map(m) };
    case 'map':
      return { ...e, entries: e.entries.map((x) => ({ key: m(x.key), value: m(x.value) })) };
    case 'lambda':
      return { ...e, body: m(e.body) };
    default:
      return e;
  }
}
