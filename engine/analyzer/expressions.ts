/**
 * Expression analysis: resolves names, checks and infers types, and turns
 * the expression into a closure over a row. Typing and compilation are one
 * walk because every typing decision (integer division, decimal scale,
 * string concatenation) also decides how the value is computed.
 *
 * Null follows SQL: arithmetic, comparisons and most functions with a null
 * operand give null; AND / OR are three-valued; a filter keeps only TRUE.
 */

import { compare } from '../functions/aggregates.ts';
import type { FunctionRegistry } from '../functions/registry.ts';
import type { ComparisonOp, Expr } from '../parser/ast.ts';
import { formatExpression } from '../parser/format.ts';
import type { Row } from '../types/schema.ts';
import {
  array,
  BIGINT,
  BOOLEAN,
  DOUBLE,
  decimal,
  formatType,
  INTEGER,
  isIntegral,
  isNumeric,
  map,
  type SqlType,
  STRING,
  struct,
  typesEqual,
  widerNumeric,
} from '../types/sql-type.ts';
import { castValue, checkDecimal, roundDecimal } from '../types/values.ts';

/** ksqlDB's names of the comparison operators (ComparisonExpression.Type), as its messages print them. */
const COMPARISON_TYPE_NAMES: Readonly<Record<ComparisonOp, string>> = {
  '=': 'EQUAL',
  '<>': 'NOT_EQUAL',
  '<': 'LESS_THAN',
  '<=': 'LESS_THAN_OR_EQUAL',
  '>': 'GREATER_THAN',
  '>=': 'GREATER_THAN_OR_EQUAL',
};

export class AnalysisError extends Error {
  override name = 'KsqlStatementException';
}

export interface Compiled {
  readonly type: SqlType;
  evaluate(row: Row): unknown;
}

export interface ExpressionScope {
  /** The clause being analyzed, for messages: SELECT, WHERE, GROUP BY... */
  readonly clause: string;
  /** Resolves `source.name` or `name` to the row field holding it. */
  column(source: string | null, name: string): { field: string; type: SqlType };
  /** Aggregate context: an aggregate call or grouping expression read from the aggregate row instead. */
  replace?(expr: Expr): Compiled | null;
}

export function compileExpression(expr: Expr, scope: ExpressionScope, functions: FunctionRegistry): Compiled {
  return new ExpressionCompiler(scope, functions).compile(expr);
}

const constant = (type: SqlType, value: unknown): Compiled => ({ type, evaluate: () => value });

/** A type for NULL literals until context says otherwise; ksqlDB treats it as castable to anything. */
const NULL_TYPE: SqlType = { base: 'STRING' };

class ExpressionCompiler {
  private readonly lambdaEnv = new Map<string, { value: unknown; type: SqlType }>();

  constructor(
    private readonly scope: ExpressionScope,
    private readonly functions: FunctionRegistry,
  ) {}

  compile(expr: Expr): Compiled {
    const replaced = this.scope.replace?.(expr);
    if (replaced) return replaced;
    switch (expr.kind) {
      case 'literal':
        return this.literal(expr);
      case 'column': {
        const { field, type } = withPosition(expr.pos, () => this.scope.column(expr.source, expr.name));
        return { type, evaluate: (row) => row[field] ?? null };
      }
      case 'lambdaVar': {
        const env = this.lambdaEnv;
        const binding = env.get(expr.name);
        if (binding === undefined) throw new AnalysisError(`Lambda variable ${expr.name} is not defined`);
        return { type: binding.type, evaluate: () => env.get(expr.name)?.value ?? null };
      }
      case 'deref':
        return this.deref(expr.base, expr.field);
      case 'subscript':
        return this.subscript(expr.base, expr.index);
      case 'call':
        return this.call(expr);
      case 'arithmetic':
        return this.arithmetic(expr.op, this.compile(expr.left), this.compile(expr.right), expr);
      case 'negate': {
        const operand = this.compile(expr.operand);
        if (!isNumeric(operand.type)) throw new AnalysisError(`Unsupported unary minus on ${formatType(operand.type)}`);
        return { type: operand.type, evaluate: (row) => nullOr(operand.evaluate(row), (v) => -(v as number)) };
      }
      case 'comparison':
        return this.comparison(expr.op, this.compile(expr.left), this.compile(expr.right), expr);
      case 'logical': {
        const left = this.predicateOf(expr.left);
        const right = this.predicateOf(expr.right);
        if (expr.op === 'AND') {
          return {
            type: BOOLEAN,
            evaluate: (row) => {
              const a = left.evaluate(row);
              if (a === false) return false;
              const b = right.evaluate(row);
              if (b === false) return false;
              return a === null || b === null ? null : true;
            },
          };
        }
        return {
          type: BOOLEAN,
          evaluate: (row) => {
            const a = left.evaluate(row);
            if (a === true) return true;
            const b = right.evaluate(row);
            if (b === true) return true;
            return a === null || b === null ? null : false;
          },
        };
      }
      case 'not': {
        const operand = this.predicateOf(expr.operand);
        return { type: BOOLEAN, evaluate: (row) => nullOr(operand.evaluate(row), (v) => !v) };
      }
      case 'isNull': {
        const operand = this.compile(expr.operand);
        const negated = expr.negated;
        return { type: BOOLEAN, evaluate: (row) => (operand.evaluate(row) === null) !== negated };
      }
      case 'isDistinct': {
        const left = this.compile(expr.left);
        const right = this.compile(expr.right);
        const negated = expr.negated;
        return {
          type: BOOLEAN,
          evaluate: (row) => {
            const a = left.evaluate(row);
            const b = right.evaluate(row);
            const distinct = a === null || b === null ? a !== b : compare(a, b) !== 0;
            return distinct !== negated;
          },
        };
      }
      case 'like':
        return this.like(expr);
      case 'between': {
        const operand = this.compile(expr.operand);
        const low = this.compile(expr.low);
        const high = this.compile(expr.high);
        const negated = expr.negated;
        return {
          type: BOOLEAN,
          evaluate: (row) => {
            const v = operand.evaluate(row);
            const lo = low.evaluate(row);
            const hi = high.evaluate(row);
            if (v === null || lo === null || hi === null) return null;
            return (compare(v, lo) >= 0 && compare(v, hi) <= 0) !== negated;
          },
        };
      }
      case 'in': {
        const operand = this.compile(expr.operand);
        const list = expr.list.map((e) => this.compile(e));
        const negated = expr.negated;
        return {
          type: BOOLEAN,
          evaluate: (row) => {
            const v = operand.evaluate(row);
            if (v === null) return null;
            let sawNull = false;
            for (const item of list) {
              const x = item.evaluate(row);
              if (x === null) sawNull = true;
              else if (compare(v, x) === 0 && typeof v === typeof x) return !negated;
            }
            return sawNull ? null : negated;
          },
        };
      }
      case 'case':
        return this.caseExpression(expr);
      case 'cast': {
        const operand = this.compile(expr.operand);
        const to = expr.type;
        const from = operand.type;
        if (typesEqual(from, to)) return { type: to, evaluate: operand.evaluate };
        const structured = (t: SqlType) => t.base === 'ARRAY' || t.base === 'MAP' || t.base === 'STRUCT';
        if (structured(to) && from !== NULL_TYPE && from.base !== to.base) {
          const where = this.scope.clause === 'SELECT' ? 'Invalid Select: ' : '';
          throw new AnalysisError(`${where}Cast of ${formatType(from)} to ${formatType(to)} is not supported`);
        }
        return { type: to, evaluate: (row) => castValue(operand.evaluate(row), from, to) };
      }
      case 'struct': {
        const fields = expr.fields.map((f) => ({ name: f.name, compiled: this.compile(f.value) }));
        return {
          type: struct(fields.map((f) => ({ name: f.name, type: f.compiled.type }))),
          evaluate: (row) => Object.fromEntries(fields.map((f) => [f.name, f.compiled.evaluate(row)])),
        };
      }
      case 'array': {
        const items = expr.items.map((e) => this.compile(e));
        const element = items.map((i) => i.type).find((t) => t !== NULL_TYPE) ?? STRING;
        return { type: array(element), evaluate: (row) => items.map((i) => i.evaluate(row)) };
      }
      case 'map': {
        const entries = expr.entries.map((e) => ({ key: this.compile(e.key), value: this.compile(e.value) }));
        const valueType = entries[0]?.value.type ?? STRING;
        const keyType = entries[0]?.key.type ?? STRING;
        return {
          type: map(keyType, valueType),
          evaluate: (row) =>
            Object.fromEntries(entries.map((e) => [String(e.key.evaluate(row)), e.value.evaluate(row)])),
        };
      }
      case 'lambda':
        throw new AnalysisError('A lambda is only allowed as a function argument');
      case 'interval':
        throw new AnalysisError('INTERVAL expressions are not supported here');
    }
  }

  private literal(expr: Extract<Expr, { kind: 'literal' }>): Compiled {
    switch (expr.type) {
      case 'STRING':
        return constant(STRING, expr.value);
      case 'INTEGER':
        return constant(INTEGER, expr.value);
      case 'BIGINT':
        return constant(BIGINT, expr.value);
      case 'DOUBLE':
        return constant(DOUBLE, expr.value);
      case 'DECIMAL': {
        const digits = expr.text.replace('-', '').split('.');
        const scale = digits[1]?.length ?? 0;
        const precision = Math.max(1, (digits[0] ?? '').replace(/^0+/, '').length + scale);
        return constant(decimal(Math.max(precision, scale), scale), expr.value);
      }
      case 'BOOLEAN':
        return constant(BOOLEAN, expr.value);
      case 'NULL':
        return { type: NULL_TYPE, evaluate: () => null };
    }
  }

  private predicateOf(expr: Expr): Compiled {
    const c = this.compile(expr);
    if (c.type.base !== 'BOOLEAN' && c.type !== NULL_TYPE) {
      throw new AnalysisError(`Type mismatch: ${formatExpression(expr)} is ${formatType(c.type)}, expected BOOLEAN`);
    }
    return c;
  }

  private deref(baseExpr: Expr, field: string): Compiled {
    const base = this.compile(baseExpr);
    if (base.type.base !== 'STRUCT')
      throw new AnalysisError(
        `Expected STRUCT type, got ${formatType(base.type)} in ${formatExpression(baseExpr)}->${field}`,
      );
    const f =
      base.type.fields.find((x) => x.name === field) ??
      base.type.fields.find((x) => x.name.toUpperCase() === field.toUpperCase());
    if (f === undefined) throw new AnalysisError(`Could not find field '${field}' in '${formatExpression(baseExpr)}'.`);
    const name = f.name;
    return { type: f.type, evaluate: (row) => nullOr(base.evaluate(row), (s) => (s as Row)[name] ?? null) };
  }

  private subscript(baseExpr: Expr, indexExpr: Expr): Compiled {
    const base = this.compile(baseExpr);
    const index = this.compile(indexExpr);
    if (base.type.base === 'ARRAY') {
      return {
        type: base.type.element,
        evaluate: (row) => {
          const a = base.evaluate(row) as unknown[] | null;
          const i = index.evaluate(row) as number | null;
          if (a === null || i === null) return null;
          const at = i > 0 ? i - 1 : a.length + i;
          return at >= 0 && at < a.length ? (a[at] ?? null) : null;
        },
      };
    }
    if (base.type.base === 'MAP') {
      return {
        type: base.type.value,
        evaluate: (row) => {
          const m = base.evaluate(row) as Row | null;
          const k = index.evaluate(row);
          return m === null || k === null ? null : (m[String(k)] ?? null);
        },
      };
    }
    throw new AnalysisError(`Cannot subscript ${formatType(base.type)}: ${formatExpression(baseExpr)}`);
  }

  private arithmetic(op: string, left: Compiled, right: Compiled, expr: Expr): Compiled {
    const l = left.type;
    const r = right.type;
    if (l === NULL_TYPE || r === NULL_TYPE) {
      // ksqlDB types a bare NULL as null, with which no arithmetic is defined.
      const shown = (t: SqlType) => (t === NULL_TYPE ? 'null' : formatType(t));
      throw new AnalysisError(
        `Error processing expression: ${formatExpression(expr)}. Arithmetic on types ${shown(l)} and ${shown(r)} are not supported.`,
      );
    }
    if (op === '+' && (l.base === 'STRING' || r.base === 'STRING')) {
      if (l.base !== 'STRING' || r.base !== 'STRING') {
        throw new AnalysisError(
          `Error processing expression: ${formatExpression(expr)}. Unsupported arithmetic types. ${formatType(l)} ${formatType(r)}`,
        );
      }
      return {
        type: STRING,
        evaluate: (row) => both(left.evaluate(row), right.evaluate(row), (a, b) => (a as string) + (b as string)),
      };
    }
    if ((!isNumeric(l) && l !== NULL_TYPE) || (!isNumeric(r) && r !== NULL_TYPE)) {
      throw new AnalysisError(
        `Error processing expression: ${formatExpression(expr)}. Unsupported arithmetic types. ${formatType(l)} ${formatType(r)}`,
      );
    }
    const type = arithmeticType(op, l === NULL_TYPE ? r : l, r === NULL_TYPE ? l : r);
    const apply = (a: number, b: number): number => {
      switch (op) {
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '/':
          if (isIntegral(type)) {
            if (b === 0) throw new Error('/ by zero');
            return Math.trunc(a / b);
          }
          return a / b;
        default:
          if (isIntegral(type) && b === 0) throw new Error('/ by zero');
          return a % b;
      }
    };
    const finish =
      type.base === 'INTEGER'
        ? (v: number) => v | 0
        : type.base === 'DECIMAL'
          ? (v: number) => checkDecimal(roundDecimal(v, type.scale), type.precision, type.scale)
          : (v: number) => v;
    return {
      type,
      evaluate: (row) =>
        both(left.evaluate(row), right.evaluate(row), (a, b) => finish(apply(a as number, b as number))),
    };
  }

  private comparison(op: string, left: Compiled, right: Compiled, expr: Expr): Compiled {
    const l = left.type;
    const r = right.type;
    if (l === NULL_TYPE || r === NULL_TYPE) {
      const shown = (t: SqlType) => (t === NULL_TYPE ? 'NULL' : formatType(t));
      throw new AnalysisError(
        `Error in WHERE expression: Comparison with NULL not supported: ${shown(l)} ${op} ${shown(r)}\nUse 'IS NULL' or 'IS NOT NULL' instead.`,
      );
    }
    const comparable =
      l === NULL_TYPE ||
      r === NULL_TYPE ||
      (isNumeric(l) && isNumeric(r)) ||
      l.base === r.base ||
      (l.base === 'STRING' && ['TIMESTAMP', 'DATE', 'TIME'].includes(r.base)) ||
      (r.base === 'STRING' && ['TIMESTAMP', 'DATE', 'TIME'].includes(l.base));
    if (!comparable) {
      throw new AnalysisError(
        `Error in WHERE expression: Cannot compare ${formatExpression((expr as { left: Expr }).left)} (${formatType(l)}) to ${formatExpression((expr as { right: Expr }).right)} (${formatType(r)}) with ${COMPARISON_TYPE_NAMES[op as ComparisonOp] ?? op}.`,
      );
    }
    const ordered = op !== '=' && op !== '<>';
    if (ordered && ['ARRAY', 'MAP', 'STRUCT', 'BOOLEAN'].includes(l.base) && l !== NULL_TYPE) {
      throw new AnalysisError(`Cannot compare ${formatType(l)} values with ${op}`);
    }
    const toComparable = (t: SqlType, other: SqlType) =>
      t.base === 'STRING' && ['TIMESTAMP', 'DATE', 'TIME'].includes(other.base)
        ? (v: unknown) => castValue(v, STRING, other)
        : (v: unknown) => v;
    const lc = toComparable(l, r);
    const rc = toComparable(r, l);
    const test = (c: number) => {
      switch (op) {
        case '=':
          return c === 0;
        case '<>':
          return c !== 0;
        case '<':
          return c < 0;
        case '<=':
          return c <= 0;
        case '>':
          return c > 0;
        default:
          return c >= 0;
      }
    };
    const structural = ['ARRAY', 'MAP', 'STRUCT'].includes(l.base);
    return {
      type: BOOLEAN,
      evaluate: (row) =>
        both(left.evaluate(row), right.evaluate(row), (a, b) => {
          if (structural) return test(JSON.stringify(a) === JSON.stringify(b) ? 0 : 1);
          if (typeof a === 'boolean') return test(a === b ? 0 : 1);
          return test(compare(lc(a), rc(b)));
        }),
    };
  }

  private like(expr: Extract<Expr, { kind: 'like' }>): Compiled {
    const operand = this.compile(expr.operand);
    const pattern = this.compile(expr.pattern);
    const escapeChar = expr.escape;
    const negated = expr.negated;
    const cache = new Map<string, RegExp>();
    const regex = (p: string) => {
      let r = cache.get(p);
      if (r === undefined) {
        let out = '';
        for (let i = 0; i < p.length; i++) {
          const c = p[i] as string;
          if (escapeChar !== null && c === escapeChar && i + 1 < p.length) {
            out += (p[++i] as string).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          } else if (c === '%') out += '[\\s\\S]*';
          else if (c === '_') out += '[\\s\\S]';
          else out += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        }
        r = new RegExp(`^${out}$`);
        cache.set(p, r);
      }
      return r;
    };
    return {
      type: BOOLEAN,
      evaluate: (row) =>
        both(operand.evaluate(row), pattern.evaluate(row), (v, p) => regex(p as string).test(v as string) !== negated),
    };
  }

  private caseExpression(expr: Extract<Expr, { kind: 'case' }>): Compiled {
    const operand = expr.operand ? this.compile(expr.operand) : null;
    const whens = expr.whens.map((w) => ({ when: this.compile(w.when), result: this.compile(w.result) }));
    const otherwise = expr.otherwise ? this.compile(expr.otherwise) : null;
    if ([...whens.map((w) => w.result), ...(otherwise ? [otherwise] : [])].every((c) => c.type === NULL_TYPE)) {
      throw new AnalysisError('Invalid Case expression. All case branches have NULL type');
    }
    const results = [...whens.map((w) => w.result), ...(otherwise ? [otherwise] : [])].filter(
      (c) => c.type !== NULL_TYPE,
    );
    let type = results[0]?.type ?? STRING;
    for (const r of results.slice(1)) {
      if (isNumeric(type) && isNumeric(r.type)) type = widerNumeric(type, r.type);
      else if (r.type.base !== type.base) {
        throw new AnalysisError(
          `Invalid Case expression. Type for all 'THEN' clauses should be the same.\nTHEN expression '${formatExpression(expr.whens[results.indexOf(r)]?.result ?? expr)}' has type: ${formatType(r.type)}. Previous THEN expression(s) type: ${formatType(type)}.`,
        );
      }
    }
    if (operand === null) {
      for (const [i, w] of whens.entries()) {
        if (w.when.type.base !== 'BOOLEAN') {
          throw new AnalysisError(
            `WHEN operand type should be boolean.\nType for '${formatExpression(expr.whens[i]?.when ?? expr)}' is ${formatType(w.when.type)}`,
          );
        }
      }
    }
    const finalType = type;
    const convert = (c: Compiled) => (v: unknown) =>
      v === null || !isNumeric(c.type) || typesEqual(c.type, finalType) ? v : castValue(v, c.type, finalType);
    const converted = whens.map((w) => ({ ...w, convert: convert(w.result) }));
    const otherwiseConvert = otherwise ? convert(otherwise) : null;
    return {
      type: finalType,
      evaluate: (row) => {
        const subject = operand?.evaluate(row);
        for (const w of converted) {
          const v = w.when.evaluate(row);
          const hit = operand ? subject !== null && v !== null && compare(subject, v) === 0 : v === true;
          if (hit) return w.convert(w.result.evaluate(row));
        }
        return otherwise && otherwiseConvert ? otherwiseConvert(otherwise.evaluate(row)) : null;
      },
    };
  }

  private call(expr: Extract<Expr, { kind: 'call' }>): Compiled {
    const name = expr.name.toUpperCase();
    if (this.functions.isAggregate(name)) {
      throw new AnalysisError(`Use of aggregate function ${name} requires a GROUP BY clause.`);
    }
    if (name === 'TRANSFORM' || name === 'FILTER' || name === 'REDUCE') return this.lambdaCall(name, expr);
    const f = this.functions.scalar(name);
    if (f === undefined) throw new AnalysisError(`Can't find any functions with the name '${name}'`);
    const args = expr.args.map((a) => this.compile(a));
    const types = args.map((a) => a.type);
    const type = f.returnType(types);
    const nullSafe = f.nullSafe ?? false;
    return {
      type,
      evaluate: (row) => {
        const values = args.map((a) => a.evaluate(row));
        if (!nullSafe && values.some((v) => v === null)) return null;
        const out = f.evaluate(values, types);
        return out === undefined ? null : out;
      },
    };
  }

  private lambdaCall(name: string, expr: Extract<Expr, { kind: 'call' }>): Compiled {
    const [collectionExpr, ...rest] = expr.args;
    if (collectionExpr === undefined) throw new AnalysisError(`${name} requires arguments`);
    const collection = this.compile(collectionExpr);
    const bind = (lambda: Expr | undefined, types: SqlType[]) => {
      if (lambda?.kind !== 'lambda') throw new AnalysisError(`${name} requires a lambda argument`);
      lambda.params.forEach((p, i) => {
        this.lambdaEnv.set(p, { value: null, type: types[i] ?? STRING });
      });
      const body = this.compile(lambda.body);
      const env = this.lambdaEnv;
      return {
        type: body.type,
        call: (row: Row, ...values: unknown[]) => {
          lambda.params.forEach((p, i) => {
            env.set(p, { value: values[i] ?? null, type: types[i] ?? STRING });
          });
          return body.evaluate(row);
        },
      };
    };
    const t = collection.type;
    if (name === 'REDUCE') {
      const initial = this.compile(rest[0] as Expr);
      const element = t.base === 'ARRAY' ? t.element : STRING;
      const fnc = bind(rest[1], [initial.type, element]);
      return {
        type: initial.type,
        evaluate: (row) =>
          nullOr(collection.evaluate(row), (c) =>
            (c as unknown[]).reduce((acc, v) => fnc.call(row, acc, v), initial.evaluate(row)),
          ),
      };
    }
    if (t.base === 'ARRAY') {
      const fnc = bind(rest[0], [t.element]);
      if (name === 'TRANSFORM')
        return {
          type: array(fnc.type),
          evaluate: (row) => nullOr(collection.evaluate(row), (c) => (c as unknown[]).map((v) => fnc.call(row, v))),
        };
      return {
        type: t,
        evaluate: (row) =>
          nullOr(collection.evaluate(row), (c) => (c as unknown[]).filter((v) => fnc.call(row, v) === true)),
      };
    }
    if (t.base === 'MAP') {
      if (name === 'TRANSFORM') {
        const k = bind(rest[0], [t.key, t.value]);
        const v = bind(rest[1], [t.key, t.value]);
        return {
          type: map(k.type, v.type),
          evaluate: (row) =>
            nullOr(collection.evaluate(row), (m) =>
              Object.fromEntries(
                Object.entries(m as Row).map(([a, b]) => [String(k.call(row, a, b)), v.call(row, a, b)]),
              ),
            ),
        };
      }
      const fnc = bind(rest[0], [t.key, t.value]);
      return {
        type: t,
        evaluate: (row) =>
          nullOr(collection.evaluate(row), (m) =>
            Object.fromEntries(Object.entries(m as Row).filter(([a, b]) => fnc.call(row, a, b) === true)),
          ),
      };
    }
    throw new AnalysisError(`${name} requires an ARRAY or MAP, got ${formatType(t)}`);
  }
}

function arithmeticType(op: string, l: SqlType, r: SqlType): SqlType {
  if (l.base === 'DOUBLE' || r.base === 'DOUBLE') return DOUBLE;
  if (l.base === 'DECIMAL' || r.base === 'DECIMAL') {
    const a = l.base === 'DECIMAL' ? l : decimalOf(l);
    const b = r.base === 'DECIMAL' ? r : decimalOf(r);
    const [p1, s1, p2, s2] = [a.precision, a.scale, b.precision, b.scale];
    switch (op) {
      case '+':
      case '-': {
        const scale = Math.max(s1, s2);
        return decimal(Math.min(38, Math.max(p1 - s1, p2 - s2) + scale + 1), scale);
      }
      case '*':
        return decimal(Math.min(38, p1 + p2 + 1), s1 + s2);
      case '/': {
        const scale = Math.max(6, s1 + p2 + 1);
        return decimal(Math.min(38, p1 - s1 + s2 + scale), scale);
      }
      default: {
        const scale = Math.max(s1, s2);
        return decimal(Math.min(p1 - s1, p2 - s2) + scale, scale);
      }
    }
  }
  return l.base === 'BIGINT' || r.base === 'BIGINT' ? BIGINT : INTEGER;
}

function decimalOf(t: SqlType): { precision: number; scale: number } {
  if (t.base === 'INTEGER') return { precision: 10, scale: 0 };
  return { precision: 19, scale: 0 };
}

/** ksqlDB prefixes errors about a name with where the name is: "Line: 3, Col: 70: ...". */
export function withPosition<T>(pos: { line: number; column: number } | undefined, f: () => T): T {
  try {
    return f();
  } catch (error) {
    if (pos !== undefined && error instanceof AnalysisError && !error.message.includes('Line: ')) {
      const prefix = 'Exception while preparing statement: ';
      const body = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
      const head = error.message.startsWith(prefix) ? prefix : '';
      throw new AnalysisError(`${head}Line: ${pos.line}, Col: ${pos.column}: ${body}`);
    }
    throw error;
  }
}

function nullOr(v: unknown, f: (v: unknown) => unknown): unknown {
  return v === null || v === undefined ? null : f(v);
}

function both(a: unknown, b: unknown, f: (a: unknown, b: unknown) => unknown): unknown {
  return a === null || a === undefined || b === null || b === undefined ? null : f(a, b);
}
