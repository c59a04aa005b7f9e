/**
 * A pull query's WHERE clause, checked and read as ksqlDB's QueryFilterNode
 * does: rewritten (BETWEEN into two bounds, IN into ORed equalities, NOT
 * pushed down) into disjunctive normal form; each disjunct must pin every
 * key column with `=` unless table scans are enabled
 * (`ksql.query.pull.table.scan.enabled`, on by default), in which case a
 * disjunct that does not makes the query scan the table. A keyed query
 * reads exactly the keys its disjuncts name, in that order.
 */
import { AnalysisError, compileExpression } from '../analyzer/expressions.ts';
import type { KsqlEngine } from '../execution/engine.ts';
import type { DataSource } from '../metastore/metastore.ts';
import type { ComparisonOp, Expr } from '../parser/ast.ts';
import { formatExpression } from '../parser/format.ts';
import { formatType, type SqlType } from '../types/sql-type.ts';

/** ksqlDB's PULL_QUERY_SYNTAX_HELP. */
const SYNTAX_HELP =
  'See https://cnfl.io/queries for more info.\nAdd EMIT CHANGES if you intended to issue a push query.';

const WINDOW_BOUNDS = new Set(['WINDOWSTART', 'WINDOWEND']);

/** ksqlDB's invalidWhereClauseException text. */
function invalidWhere(message: string, windowed: boolean): AnalysisError {
  const windowHelp = windowed
    ? '\n - (optionally) limits the time bounds of the windowed table.' +
      '\n\t Bounds on [`WINDOWSTART`, `WINDOWEND`] are supported' +
      '\n\t Supported operators are [EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL, LESS_THAN, LESS_THAN_OR_EQUAL]'
    : '';
  return new AnalysisError(
    `${message}. ${SYNTAX_HELP}\nPull queries require a WHERE clause that:` +
      '\n - includes a key equality expression, e.g. `SELECT * FROM X WHERE <key-column> = Y;`.' +
      '\n - in the case of a multi-column key, is a conjunction of equality expressions that cover all key columns.' +
      '\n - to support range expressions, e.g.,  SELECT * FROM X WHERE <key-column> < Y;`, range scans need to be enabled by setting ksql.query.pull.range.scan.enabled=true' +
      `${windowHelp}\nIf more flexible queries are needed, , table scans can be enabled by setting ksql.query.pull.table.scan.enabled=true.`,
  );
}

/** Whether a request's or the server's properties enable pull-query table scans (ksqlDB's default: on). */
export function tableScansEnabled(...properties: readonly Readonly<Record<string, unknown>>[]): boolean {
  for (const props of properties) {
    const value = props['ksql.query.pull.table.scan.enabled'];
    if (value !== undefined && value !== null) return String(value).toLowerCase() !== 'false';
  }
  return true;
}

export interface PullWhere {
  /** The exact keys to read, in the order the disjuncts name them; null: the table is scanned. */
  readonly keys: readonly (readonly unknown[])[] | null;
}

/**
 * Validates a pull query's WHERE clause and finds its keys. `alias` is the
 * name the FROM clause gives the source (columns may be qualified with it).
 */
export function analyzePullWhere(
  engine: KsqlEngine,
  source: DataSource,
  alias: string,
  where: Expr,
  scansEnabled: boolean,
): PullWhere {
  const windowed = source.window !== null;
  const keyColumns = source.schema.key;
  const keyIndex = (name: string) => keyColumns.findIndex((k) => k.name === name);
  const keyText = `[${keyColumns.map((k) => `\`${k.name}\` ${formatType(k.type)} KEY`).join(', ')}]`;
  const columnOf = (e: Expr): string | null =>
    e.kind === 'column' && (e.source === null || e.source === alias || e.source === source.name) ? e.name : null;
  const columnRefSide = (c: { left: Expr; right: Expr }) =>
    columnOf(c.right) !== null
      ? { column: columnOf(c.right) as string, other: c.left }
      : columnOf(c.left) !== null
        ? { column: columnOf(c.left) as string, other: c.right }
        : null;

  const disjuncts = disjunctsOf(toDnf(pushNot(rewritePredicates(where), false)));

  // Validation: does each disjunct pin the whole key with '='?
  let scan = false;
  for (const disjunct of disjuncts) {
    const seen = new Set<number>();
    let keyed = false;
    let needsScan = false;
    const scanOr = (error: () => AnalysisError) => {
      if (!scansEnabled) throw error();
      needsScan = true;
    };
    for (const term of conjunctsOf(disjunct)) {
      if (term.kind === 'logical') {
        scanOr(() => invalidWhere(`Only AND expressions are supported: ${formatExpression(term)}`, false));
      } else if (term.kind === 'comparison') {
        const side = columnRefSide(term);
        if (side === null) {
          scanOr(() => invalidWhere('A comparison must directly reference a key column', windowed));
          continue;
        }
        if (columnsIn(side.other)) {
          scanOr(() => invalidWhere('A comparison must be between a key column and a resolvable expression', windowed));
          continue;
        }
        if (WINDOW_BOUNDS.has(side.column)) {
          if (term.op === '<>') throw invalidWhere(`Unsupported ${side.column} bounds: NOT_EQUAL`, true);
          if (!windowed) throw invalidWhere('Cannot use WINDOWSTART/WINDOWEND on non-windowed source', false);
          continue;
        }
        const index = keyIndex(side.column);
        if (index < 0) continue;
        if (term.op === '<>')
          scanOr(() => invalidWhere(`Bound on key columns '${keyText}' must currently be '='`, windowed));
        if (seen.has(index) && !scansEnabled) {
          throw invalidWhere(
            'A comparison condition on the key column cannot be combined with other comparisons such as an IN predicate',
            windowed,
          );
        }
        seen.add(index);
        keyed = true;
      } else if (term.kind === 'like' && !term.negated) {
        const column = columnOf(term.operand);
        if (column === null) {
          scanOr(() => invalidWhere('Like condition must be between strings', windowed));
          continue;
        }
        const type = [...keyColumns, ...source.schema.value].find((c) => c.name === column)?.type;
        if (type !== undefined && type.base !== 'STRING') {
          throw invalidWhere(
            `The column type for Like condition must be VARCHAR. The column type is ${type.base}`,
            windowed,
          );
        }
      } else {
        scanOr(() => invalidWhere(`Unsupported expression in WHERE clause: ${formatExpression(term)}`, false));
      }
    }
    if (needsScan) {
      scan = true;
      break;
    }
    if (!keyed) {
      if (!scansEnabled) {
        throw invalidWhere(`WHERE clause missing key column for disjunct: ${formatExpression(disjunct)}`, windowed);
      }
      scan = true;
      break;
    }
    if (seen.size !== keyColumns.length) {
      if (!scansEnabled) {
        const specified = [...seen].sort((a, b) => a - b).map((i) => `\`${keyColumns[i]?.name}\``);
        throw invalidWhere(
          `Multi-column sources must specify every key in the WHERE clause. Specified: [${specified.join(', ')}] Expected: ${keyText}`,
          windowed,
        );
      }
      scan = true;
      break;
    }
  }
  if (scan) return { keys: null };

  // Key extraction: each disjunct's most selective constraint per key column.
  const keys: unknown[][] = [];
  let allEqual = true;
  for (const disjunct of disjuncts) {
    const values = new Array<unknown>(keyColumns.length);
    const ops = new Map<number, ComparisonOp>();
    for (const term of conjunctsOf(disjunct)) {
      if (term.kind !== 'comparison') continue;
      const side = columnRefSide(term);
      if (side === null) continue;
      const index = keyIndex(side.column);
      const column = keyColumns[index];
      if (column === undefined) continue;
      const value = resolveKey(engine, side.other, column, term);
      if (ops.get(index) === '=') continue;
      if (term.op === '=' || !ops.has(index)) {
        values[index] = value;
        ops.set(index, term.op);
      }
    }
    if (![...ops.values()].every((op) => op === '=')) allEqual = false;
    keys.push(values);
  }
  return { keys: allEqual ? dedupe(keys) : null };
}

/** A key's value from the other side of its comparison, as ksqlDB's resolveKey: never null, of the key's type. */
function resolveKey(engine: KsqlEngine, e: Expr, column: { name: string; type: SqlType }, comparison: Expr): unknown {
  let value: unknown;
  let type: SqlType | null = null;
  if (e.kind === 'literal') {
    value = e.value;
    type = e.type === 'NULL' ? null : ({ base: e.type } as SqlType);
  } else {
    const c = compileExpression(e, noColumns, engine.functions);
    value = c.evaluate({});
    type = c.type;
  }
  if (value === null || value === undefined) {
    throw new AnalysisError(`Primary key columns can not be NULL: ${formatExpression(comparison)}`);
  }
  const coerced = strictCoerce(value, type, column.type);
  if (coerced === undefined) {
    const shown = typeof value === 'string' ? value : JSON.stringify(value);
    throw new AnalysisError(
      `'${shown}' can not be converted to the type of the key column: ${column.name} ${formatType(column.type)} KEY`,
    );
  }
  return coerced;
}

const NUMERIC_RANK: Readonly<Record<string, number>> = { INTEGER: 0, BIGINT: 1, DECIMAL: 2, DOUBLE: 3 };

/** ksqlDB's DefaultSqlValueCoercer.STRICT: same base type, or a number widened; undefined when not allowed. */
function strictCoerce(value: unknown, from: SqlType | null, to: SqlType): unknown {
  if (from === null || from.base === to.base) return value;
  const a = NUMERIC_RANK[from.base];
  const b = NUMERIC_RANK[to.base];
  if (a !== undefined && b !== undefined && a <= b && typeof value === 'number') return value;
  return undefined;
}

const noColumns = {
  clause: 'WHERE',
  column: (): never => {
    throw new AnalysisError('A comparison must be between a key column and a resolvable expression');
  },
};

function dedupe(keys: readonly unknown[][]): unknown[][] {
  const seen = new Set<string>();
  return keys.filter((k) => {
    const id = JSON.stringify(k);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function columnsIn(e: Expr): boolean {
  let found = false;
  const walk = (x: unknown): void => {
    if (found || x === null || typeof x !== 'object') return;
    if (Array.isArray(x)) {
      for (const y of x) walk(y);
      return;
    }
    if ((x as { kind?: string }).kind === 'column') {
      found = true;
      return;
    }
    for (const value of Object.values(x)) if (typeof value === 'object') walk(value);
  };
  walk(e);
  return found;
}

/** BETWEEN -> two bounds, IN -> ORed equalities (ksqlDB's PullQueryRewriter), anywhere in the AND/OR/NOT tree. */
function rewritePredicates(e: Expr): Expr {
  switch (e.kind) {
    case 'logical':
      return { ...e, left: rewritePredicates(e.left), right: rewritePredicates(e.right) };
    case 'not':
      return { ...e, operand: rewritePredicates(e.operand) };
    case 'between': {
      const bounds: Expr = {
        kind: 'logical',
        op: 'AND',
        left: { kind: 'comparison', op: '>=', left: e.operand, right: e.low },
        right: { kind: 'comparison', op: '<=', left: e.operand, right: e.high },
      };
      return e.negated ? { kind: 'not', operand: bounds } : bounds;
    }
    case 'in': {
      if (e.list.length === 0) return e;
      const equalities = e.list.map((item): Expr => ({ kind: 'comparison', op: '=', left: e.operand, right: item }));
      const ored = equalities.reduceRight((acc, eq) => ({ kind: 'logical', op: 'OR', left: eq, right: acc }));
      return e.negated ? { kind: 'not', operand: ored } : ored;
    }
    default:
      return e;
  }
}

const NEGATED: Readonly<Record<ComparisonOp, ComparisonOp>> = {
  '=': '<>',
  '<>': '=',
  '<': '>=',
  '>=': '<',
  '>': '<=',
  '<=': '>',
};

/** NOT pushed down to the comparisons (De Morgan), as ksqlDB's NotPropagator. */
function pushNot(e: Expr, negated: boolean): Expr {
  switch (e.kind) {
    case 'not':
      return pushNot(e.operand, !negated);
    case 'logical':
      return {
        ...e,
        op: negated ? (e.op === 'AND' ? 'OR' : 'AND') : e.op,
        left: pushNot(e.left, negated),
        right: pushNot(e.right, negated),
      };
    case 'comparison':
      return negated ? { ...e, op: NEGATED[e.op] } : e;
    case 'isDistinct':
      return negated ? { ...e, negated: !e.negated } : e;
    default:
      return negated ? { kind: 'not', operand: e } : e;
  }
}

/** AND distributed over OR. */
function toDnf(e: Expr): Expr {
  if (e.kind !== 'logical') return e;
  const left = toDnf(e.left);
  const right = toDnf(e.right);
  if (e.op === 'AND') {
    if (left.kind === 'logical' && left.op === 'OR') {
      return {
        kind: 'logical',
        op: 'OR',
        left: toDnf({ kind: 'logical', op: 'AND', left: left.left, right }),
        right: toDnf({ kind: 'logical', op: 'AND', left: left.right, right }),
      };
    }
    if (right.kind === 'logical' && right.op === 'OR') {
      return {
        kind: 'logical',
        op: 'OR',
        left: toDnf({ kind: 'logical', op: 'AND', left, right: right.left }),
        right: toDnf({ kind: 'logical', op: 'AND', left, right: right.right }),
      };
    }
  }
  return { ...e, left, right };
}

function disjunctsOf(e: Expr): Expr[] {
  return e.kind === 'logical' && e.op === 'OR' ? [...disjunctsOf(e.left), ...disjunctsOf(e.right)] : [e];
}

function conjunctsOf(e: Expr): Expr[] {
  return e.kind === 'logical' && e.op === 'AND' ? [...conjunctsOf(e.left), ...conjunctsOf(e.right)] : [e];
}

/**
 * ksqlDB's magic pseudo-timestamps: a string compared with ROWTIME,
 * WINDOWSTART or WINDOWEND is a (partial) datetime, read as epoch millis.
 */
export function rewriteMagicTimestamps(e: Expr): Expr {
  const isTime = (x: Expr) => x.kind === 'column' && (x.name === 'ROWTIME' || WINDOW_BOUNDS.has(x.name));
  const asMillis = (x: Expr): Expr =>
    x.kind === 'literal' && x.type === 'STRING'
      ? { kind: 'literal', type: 'BIGINT', value: parsePartialTimestamp(x.value) }
      : x;
  switch (e.kind) {
    case 'logical':
      return { ...e, left: rewriteMagicTimestamps(e.left), right: rewriteMagicTimestamps(e.right) };
    case 'not':
      return { ...e, operand: rewriteMagicTimestamps(e.operand) };
    case 'comparison':
      if (isTime(e.left)) return { ...e, right: asMillis(e.right) };
      if (isTime(e.right)) return { ...e, left: asMillis(e.left) };
      return e;
    case 'between':
      return isTime(e.operand) ? { ...e, low: asMillis(e.low), high: asMillis(e.high) } : e;
    default:
      return e;
  }
}

const TIME_PATTERN = 'HH:mm:ss.SSS';

/**
 * ksqlDB's PartialStringToTimestampParser: `yyyy-MM-dd'T'HH:mm:ss.SSS` with
 * any trailing part left out (`2020-02`, `2020-02-23T23:45`) and an optional
 * `+hhmm`/`-hhmm` offset; UTC when none.
 */
export function parsePartialTimestamp(text: string): number {
  let date: string;
  let time: string;
  let zone = '';
  const t = text.indexOf('T');
  if (t >= 0) {
    date = text.slice(0, t);
    const withZone = completeTime(text.slice(t + 1));
    const sign = withZone.includes('+') ? withZone.indexOf('+') : withZone.indexOf('-');
    zone = sign >= 0 ? withZone.slice(sign) : '';
    time = completeTime(withZone.slice(0, withZone.length - zone.length));
  } else {
    const parts = text.split('-').length;
    date = parts === 1 ? `${text}-01-01` : parts === 2 ? `${text}-01` : text;
    time = completeTime('');
  }
  const fail = (why: string): never => {
    throw new AnalysisError(
      `Failed to parse timestamp '${text}': ${why}\nRequired format is: "yyyy-MM-dd'T'HH:mm:ss.SSS", with an optional numeric 4-digit timezone, for example: '2020-05-26T23.59.58.000' or with tz: '2020-05-26T23.59.58.000+0200'. Partials are also supported, for example "2020-05-26"`,
    );
  };
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const h = /^(\d{2}):(\d{2}):(\d{2})\.(\d{3})$/.exec(time);
  if (d === null || h === null) return fail(`Text '${date}T${time}' could not be parsed`);
  let offsetMinutes = 0;
  if (zone !== '') {
    const z = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
    if (z === null) return fail(`Invalid ID for ZoneOffset, invalid format: ${zone}`);
    offsetMinutes = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3] ?? 0));
  }
  const [year, month, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const [hour, minute, second, milli] = [Number(h[1]), Number(h[2]), Number(h[3]), Number(h[4])];
  // Java's parser accepts 24:00 as the next day's midnight.
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 59) {
    return fail(`Text '${date}T${time}' could not be parsed`);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, milli) - offsetMinutes * 60_000;
}

function completeTime(time: string): string {
  return time.length >= TIME_PATTERN.length ? time : time + TIME_PATTERN.slice(time.length).replace(/[a-zA-Z]/g, '0');
}
