/**
 * A transient SELECT (what `/query-stream` and `/query` run) analyzed into
 * what running it needs: its source, the output columns with ksqlDB's names
 * and types, the WHERE filter, the projection to REST values, LIMIT, and for
 * pull queries the key lookups or key range the WHERE clause pins down (so a
 * lookup reads one entry rather than scanning the table).
 *
 * Pull queries are checked with ksqlDB's rules and wording (PullQueryValidator,
 * and "isn't queryable" for a table no query materializes).
 */
import { AnalysisError, type Compiled, compileExpression } from '../analyzer/expressions.ts';
import { projectionItems } from '../analyzer/projection.ts';
import { analyzeQuery } from '../analyzer/query-analyzer.ts';
import { QueryContext } from '../analyzer/query-context.ts';
import { SourceScope } from '../analyzer/scope.ts';
import type { KsqlEngine } from '../execution/engine.ts';
import type { DataSource } from '../metastore/metastore.ts';
import type { Expr, Query } from '../parser/ast.ts';
import { formatExpression } from '../parser/format.ts';
import type { LogicalPlan } from '../planner/logical-plan.ts';
import type { Row } from '../types/schema.ts';
import { BIGINT, formatType, type SqlType, typesEqual } from '../types/sql-type.ts';
import { castValue } from '../types/values.ts';
import { analyzePullWhere, rewriteMagicTimestamps, tableScansEnabled } from './pull-query-where.ts';
import { isPlainJson, restValue } from './rest-values.ts';

/** ksqlDB's PULL_QUERY_SYNTAX_HELP, appended to every pull-query rule it breaks. */
export const PULL_QUERY_HELP =
  ' See https://cnfl.io/queries for more info.\nAdd EMIT CHANGES if you intended to issue a push query.';

/** What a pull query's WHERE clause pins the key to. */
export type KeyLookup =
  /** Exact keys (every key column equal to a constant, or IN a list). */
  | { readonly kind: 'keys'; readonly keys: readonly unknown[][] }
  /** Bounds on a single key column; null is unbounded. */
  | {
      readonly kind: 'range';
      readonly low: unknown;
      readonly lowInclusive: boolean;
      readonly high: unknown;
      readonly highInclusive: boolean;
    };

export interface TransientQuery {
  readonly pull: boolean;
  /** The first (FROM) source. */
  readonly source: DataSource;
  /**
   * Push queries with joins, aggregations, windows or PARTITION BY: the
   * logical plan, run as a topology of its own (null for the others, which
   * filter and project each record).
   */
  readonly plan: LogicalPlan | null;
  readonly columnNames: readonly string[];
  readonly columnTypes: readonly string[];
  /** The output columns' SQL types (EXPLAIN describes them). */
  readonly columnSqlTypes: readonly SqlType[];
  /** Keeps a source row, or null to keep them all. */
  readonly where: ((row: Row) => boolean) | null;
  /** A source row -> the output row, values as the REST API writes them. */
  readonly project: (row: Row) => unknown[];
  readonly limit: number | null;
  /** Pull queries only: the keys or key range the WHERE clause allows (null: scan). */
  readonly lookup: KeyLookup | null;
  /** Whether the WHERE clause says more than the lookup (null when it says nothing). */
  readonly filterBeyondLookup: boolean;
  /**
   * Pull queries without a key lookup: a value column the WHERE clause pins
   * to constants (`COL = x`, `COL IN (x, y)`), read through the view's index
   * of that column instead of a scan; the whole WHERE still filters.
   */
  readonly valueLookup: ValueLookup | null;
  /**
   * Pull queries whose WHERE clause names exact keys: those keys, in the
   * order it names them (rows are answered in that order within a
   * partition, as ksqlDB's lookups are); null for a table scan.
   */
  readonly pullKeys: readonly (readonly unknown[])[] | null;
}

export interface ValueLookup {
  readonly column: string;
  readonly values: readonly unknown[];
}

const DISALLOWED_IN_PULL = new Set(['ROWPARTITION', 'ROWOFFSET']);

/**
 * `properties` are the request's (streamsProperties): they and the
 * server's config say whether pull queries may scan tables.
 */
export function planTransientQuery(
  engine: KsqlEngine,
  query: Query,
  properties: Readonly<Record<string, unknown>> = {},
): TransientQuery {
  const pull = query.emit === null;
  if (pull) checkPullRules(query);
  const ctx = new QueryContext(query, engine.metastore, engine.functions, { sinkName: '', config: engine.config });
  ctx.resolveSources();
  const ref = ctx.sources[0];
  if (ref === undefined) throw new AnalysisError('A query needs a FROM clause.');
  const source = ref.source;
  ctx.scope = new SourceScope(ctx.sources, 'SELECT');
  const stateful =
    query.from.joins.length > 0 ||
    query.groupBy !== null ||
    query.window !== null ||
    query.partitionBy !== null ||
    query.select.some((i) => i.kind === 'expr' && ctx.containsAggregate(i.expr));
  if (stateful) {
    const items = projectionItems(ctx, query.select);
    // Pull queries break a rule above first; an aggregate without GROUP BY gets ksqlDB's message here.
    if (pull)
      ctx.checkNoAggregates(
        items.map((i) => i.expr),
        'SELECT',
      );
    return planTopologyQuery(engine, query, items);
  }
  let items = projectionItems(ctx, query.select);
  if (source.window !== null && query.select.some((i) => i.kind === 'all' && i.source === null)) {
    // ksqlDB's transient queries over windowed sources show the window bounds after the key
    // columns `*` brings in (which may follow other selected columns).
    const isKey = (i: { name: string }) => source.schema.key.some((k) => k.name === i.name);
    let keyCount = items.findIndex(isKey);
    if (keyCount < 0) keyCount = 0;
    while (keyCount < items.length && isKey(items[keyCount] as { name: string })) keyCount++;
    const bounds = ['WINDOWSTART', 'WINDOWEND'].map((name) => ({
      expr: { kind: 'column', source: null, name } as Expr,
      name,
    }));
    items = [...items.slice(0, keyCount), ...bounds, ...items.slice(keyCount)];
  }
  ctx.checkNoAggregates(
    items.map((i) => i.expr),
    'SELECT',
  );
  const compiled = items.map((i) => ctx.compile(i.expr, ctx.scope));
  const types = compiled.map((c) => c.type);
  if (pull) checkDuplicateColumns(items, types);

  // A string compared with ROWTIME or a window bound is a datetime (ksqlDB's magic timestamps).
  const whereExpr = query.where === null ? null : rewriteMagicTimestamps(query.where);
  let where: TransientQuery['where'] = null;
  if (whereExpr !== null) {
    if (pull && source.window === null) {
      const bound = columnsOf(whereExpr).find((c) => c === 'WINDOWSTART' || c === 'WINDOWEND');
      if (bound !== undefined) throw new AnalysisError(`WHERE column '${bound}' cannot be resolved.`);
    }
    ctx.checkNoAggregates([whereExpr], 'WHERE');
    let c: Compiled;
    try {
      c = ctx.compile(whereExpr, ctx.scope.withClause('WHERE'));
    } catch (error) {
      // ksqlDB's type errors in WHERE name the clause they were found in.
      if (!(error instanceof AnalysisError) || !error.message.startsWith('Error in WHERE expression: ')) throw error;
      throw new AnalysisError(`${error.message}\nStatement: ${formatExpression(whereExpr)}`);
    }
    if (c.type.base !== 'BOOLEAN')
      throw new AnalysisError('Type error in WHERE expression: Should evaluate to boolean.');
    where = (row) => c.evaluate(row) === true;
  }

  const pullWhere =
    pull && whereExpr !== null && source.type === 'TABLE'
      ? analyzePullWhere(engine, source, ref.alias, whereExpr, tableScansEnabled(properties, engine.config))
      : null;
  if (pull) checkQueryable(engine, source);
  const pullKeys = pullWhere?.keys ?? null;
  // Exact keys are read as they are; a scan may still narrow to a key range or a value column's index.
  const range =
    pull && whereExpr !== null && pullKeys === null ? keyLookup(engine, source, ref.alias, whereExpr) : null;
  const lookup: KeyLookup | null =
    pullKeys !== null && source.window === null
      ? { kind: 'keys', keys: pullKeys.map((k) => [...k]) }
      : range?.lookup.kind === 'range'
        ? range.lookup
        : null;
  const valueLookup =
    pull && whereExpr !== null && lookup === null ? valueColumnLookup(engine, source, ref.alias, whereExpr) : null;
  return {
    pull,
    source,
    plan: null,
    columnNames: items.map((i) => i.name),
    columnTypes: types.map(formatType),
    columnSqlTypes: types,
    where,
    project: projector(compiled, types),
    limit: query.limit,
    lookup,
    filterBeyondLookup: where !== null,
    valueLookup,
    pullKeys,
  };
}

/**
 * A stateful push query: planned as a persistent query would be; its output
 * rows (key, window bounds, values) are put in the SELECT's order.
 */
function planTopologyQuery(engine: KsqlEngine, query: Query, items: readonly { name: string }[]): TransientQuery {
  const plan = planWithKey(engine, query);
  const columns = [
    ...plan.schema.key,
    ...(plan.window !== null && plan.aggregation !== null
      ? [
          { name: 'WINDOWSTART', type: BIGINT },
          { name: 'WINDOWEND', type: BIGINT },
        ]
      : []),
    ...plan.schema.value,
  ];
  const order = new Map(items.map((item, i) => [item.name, i]));
  const ordered = columns
    .map((c, i) => ({ c, rank: order.get(c.name) ?? items.length + i }))
    .sort((a, b) => a.rank - b.rank)
    .map((x) => x.c)
    // Window bounds are shown only when selected; the value columns carry them then.
    .filter((c, i, all) => all.findIndex((d) => d.name === c.name) === i);
  // Only what the SELECT names: window bounds and a key added for the plan stay hidden.
  const shown = ordered.filter((c) => order.has(c.name));
  const types = shown.map((c) => c.type);
  const plain = types.map(isPlainJson);
  return {
    pull: false,
    source: (plan.sources[0] as { source: DataSource }).source,
    plan,
    columnNames: shown.map((c) => c.name),
    columnTypes: types.map(formatType),
    columnSqlTypes: types,
    where: null,
    project: (row) =>
      shown.map((c, i) => {
        const value = row[c.name];
        return value === undefined || value === null ? null : plain[i] ? value : restValue(value, c.type);
      }),
    limit: query.limit,
    lookup: null,
    valueLookup: null,
    filterBeyondLookup: false,
    pullKeys: null,
  };
}

/**
 * A persistent query must select its key; a transient one need not
 * (ksqlDB's own rule). When the plan asks for the key, it is added under a
 * hidden name and planned again.
 */
export function planWithKey(engine: KsqlEngine, query: Query): LogicalPlan {
  const options = { sinkName: 'TRANSIENT', config: engine.config };
  const pos = { line: 1, column: 1 };
  try {
    return analyzeQuery(query, engine.metastore, engine.functions, options);
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    if (query.groupBy === null && query.window === null && error.message.includes('requires a GROUP BY clause')) {
      // A transient query may aggregate its whole input: one group, under a constant key.
      return planWithKey(engine, { ...query, groupBy: [{ kind: 'literal', type: 'INTEGER', value: 1 }] });
    }
    if (error.message === 'The projection contains no value columns.' && query.groupBy !== null) {
      // A persistent query's sink needs a value column; a transient one's rows need not have one.
      const extra = {
        kind: 'expr' as const,
        expr: { kind: 'literal', type: 'INTEGER', value: 1 } as Expr,
        alias: HIDDEN_VALUE,
        pos,
      };
      return planWithKey(engine, { ...query, select: [...query.select, extra] });
    }
    if (!error.message.includes('in its projection')) throw error;
    const lastJoin = query.from.joins[query.from.joins.length - 1];
    const keys: readonly Expr[] =
      query.groupBy ??
      query.partitionBy ??
      (lastJoin !== undefined && lastJoin.on.kind === 'comparison' ? [lastJoin.on.left] : []);
    if (keys.length === 0) throw error;
    const extra = keys.map((expr, i) => ({ kind: 'expr' as const, expr, alias: `${HIDDEN_KEY}${i}`, pos }));
    return analyzeQuery({ ...query, select: [...query.select, ...extra] }, engine.metastore, engine.functions, options);
  }
}

const HIDDEN_KEY = 'KSQL_TRANSIENT_KEY_';
const HIDDEN_VALUE = 'KSQL_TRANSIENT_VALUE';

function projector(compiled: readonly Compiled[], types: readonly SqlType[]): (row: Row) => unknown[] {
  const plain = types.map(isPlainJson);
  return (row) => {
    const out = new Array<unknown>(compiled.length);
    for (let i = 0; i < compiled.length; i++) {
      let value: unknown;
      try {
        value = (compiled[i] as Compiled).evaluate(row);
      } catch {
        value = null; // An expression that throws yields null, as in persistent queries.
      }
      out[i] = value === undefined ? null : plain[i] ? value : restValue(value, types[i] as SqlType);
    }
    return out;
  };
}

function checkPullRules(query: Query): void {
  const fail = (message: string): never => {
    throw new AnalysisError(message + PULL_QUERY_HELP);
  };
  if (query.from.joins.length > 0) fail("Pull queries don't support JOIN clauses.");
  if (query.window !== null) fail("Pull queries don't support WINDOW clauses.");
  if (query.groupBy !== null) fail("Pull queries don't support GROUP BY clauses.");
  if (query.partitionBy !== null) fail("Pull queries don't support PARTITION BY clauses.");
  if (query.having !== null) fail("Pull queries don't support HAVING clauses.");
  if (query.limit !== null && query.limit < 0)
    fail("Pull queries don't support negative integers in the LIMIT clause.");
  if (query.emit !== null) fail("Pull queries don't support EMIT clauses.");
  const selected = query.select.flatMap((i) => (i.kind === 'expr' ? columnsOf(i.expr) : []));
  const badSelect = [...new Set(selected.filter((c) => DISALLOWED_IN_PULL.has(c)))];
  if (badSelect.length > 0)
    fail(`Pull queries don't support the following columns in SELECT clauses: ${badSelect.join(', ')}\n`);
  const badWhere = [...new Set((query.where ? columnsOf(query.where) : []).filter((c) => DISALLOWED_IN_PULL.has(c)))];
  if (badWhere.length > 0)
    fail(`Pull queries don't support the following columns in WHERE clauses: ${badWhere.join(', ')}\n`);
}

/** ksqlDB's result schema allows a name once: `SELECT VAL, VAL` fails. */
function checkDuplicateColumns(items: readonly { name: string }[], types: readonly SqlType[]): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.name)) {
      throw new AnalysisError(
        `Duplicate value columns found in schema: \`${item.name}\` ${formatType(types[i] as SqlType)}`,
      );
    }
    seen.add(item.name);
  });
}

/** A table is queryable when a persistent query materializes it, or when it is a SOURCE table. */
function checkQueryable(engine: KsqlEngine, source: DataSource): void {
  // A stream's pull query scans its topic up to the end offsets of the moment (ksqlDB 0.23+).
  if (source.type === 'STREAM' || source.readOnly) return;
  const writers = engine.metastore.queriesWriting(source.name).filter((q) => !q.id.startsWith('INSERTQUERY'));
  if (writers.length > 0) return;
  throw new AnalysisError(
    `The \`${source.name}\` table isn't queryable. To derive a queryable table, you can do 'CREATE TABLE QUERYABLE_${source.name} AS SELECT * FROM ${source.name}'.${PULL_QUERY_HELP}`,
  );
}

function columnsOf(e: Expr): string[] {
  const out: string[] = [];
  const walk = (x: unknown): void => {
    if (x === null || typeof x !== 'object') return;
    if (Array.isArray(x)) {
      for (const y of x) walk(y);
      return;
    }
    const node = x as { kind?: string; name?: string };
    if (node.kind === 'column' && typeof node.name === 'string') out.push(node.name);
    for (const value of Object.values(x)) if (typeof value === 'object') walk(value);
  };
  walk(e);
  return out;
}

// ---------------------------------------------------------------- key lookups

interface Bounds {
  eq: unknown[] | null;
  low: unknown;
  lowInclusive: boolean;
  high: unknown;
  highInclusive: boolean;
}

/**
 * The keys or key range that the WHERE clause's top-level AND terms pin
 * down; `complete` when those terms are the whole clause (no filter left).
 */
function keyLookup(
  engine: KsqlEngine,
  source: DataSource,
  alias: string,
  where: Expr,
): { lookup: KeyLookup; complete: boolean } | null {
  const keys = source.schema.key;
  if (keys.length === 0 || source.window !== null) return null;
  const bounds = new Map<string, Bounds>(
    keys.map((k) => [k.name, { eq: null, low: null, lowInclusive: true, high: null, highInclusive: true }]),
  );
  const isKey = (e: Expr): string | null =>
    e.kind === 'column' && bounds.has(e.name) && (e.source === null || e.source === alias || e.source === source.name)
      ? e.name
      : null;
  const typeOf = (name: string): SqlType => (keys.find((k) => k.name === name) as { type: SqlType }).type;
  const constant = (e: Expr, type: SqlType) => constantOf(engine, e, type);
  let complete = true;
  const intersect = (b: Bounds, values: unknown[]) => {
    b.eq = b.eq === null ? values : b.eq.filter((v) => values.some((w) => w === v));
  };
  for (const term of conjuncts(where)) {
    let used = false;
    if (term.kind === 'comparison' && term.op !== '<>') {
      const leftKey = isKey(term.left);
      const rightKey = isKey(term.right);
      const name = leftKey ?? rightKey;
      const other = leftKey !== null ? term.right : term.left;
      const c = name === null || (leftKey !== null && rightKey !== null) ? null : constant(other, typeOf(name));
      if (name !== null && c !== null) {
        const b = bounds.get(name) as Bounds;
        // With the column on the right, `5 < K` is `K > 5`.
        const op = leftKey !== null ? term.op : flip(term.op);
        if (op === '=') intersect(b, [c.value]);
        else if (op === '>' || op === '>=') raiseLow(b, c.value, op === '>=');
        else lowerHigh(b, c.value, op === '<=');
        used = true;
      }
    } else if (term.kind === 'in' && !term.negated) {
      const name = isKey(term.operand);
      if (name !== null) {
        const values = term.list.map((e) => constant(e, typeOf(name)));
        if (values.every((v) => v !== null)) {
          intersect(bounds.get(name) as Bounds, [...new Set(values.map((v) => (v as { value: unknown }).value))]);
          used = true;
        }
      }
    } else if (term.kind === 'between' && !term.negated) {
      const name = isKey(term.operand);
      if (name !== null) {
        const low = constant(term.low, typeOf(name));
        const high = constant(term.high, typeOf(name));
        if (low !== null && high !== null) {
          const b = bounds.get(name) as Bounds;
          raiseLow(b, low.value, true);
          lowerHigh(b, high.value, true);
          used = true;
        }
      }
    }
    if (!used) complete = false;
  }
  const all = [...bounds.values()];
  if (all.every((b) => b.eq !== null)) {
    // Every key column pinned: the keys are the combinations, each checked against any range too.
    let combos: unknown[][] = [[]];
    for (const b of all) combos = combos.flatMap((prefix) => (b.eq as unknown[]).map((v) => [...prefix, v]));
    const inRange = (key: unknown[]) => all.every((b, i) => withinBounds(b, key[i]));
    const rangeUsed = all.some((b) => b.low !== null || b.high !== null);
    return { lookup: { kind: 'keys', keys: combos.filter(inRange) }, complete: complete && !rangeUsed };
  }
  const only = all[0] as Bounds;
  if (all.length === 1 && (only.low !== null || only.high !== null)) {
    return {
      lookup: {
        kind: 'range',
        low: only.low,
        lowInclusive: only.lowInclusive,
        high: only.high,
        highInclusive: only.highInclusive,
      },
      complete,
    };
  }
  return null;
}

/** Types whose values are equal exactly when they are the same JavaScript primitive (index keys). */
const INDEXABLE = new Set(['BOOLEAN', 'INTEGER', 'BIGINT', 'DOUBLE', 'DECIMAL', 'STRING', 'DATE', 'TIME', 'TIMESTAMP']);

/** The first top-level AND term that pins a value column to constants (see TransientQuery.valueLookup). */
function valueColumnLookup(engine: KsqlEngine, source: DataSource, alias: string, where: Expr): ValueLookup | null {
  if (source.window !== null) return null;
  const column = (e: Expr) =>
    e.kind === 'column' && (e.source === null || e.source === alias || e.source === source.name)
      ? source.schema.value.find((c) => c.name === e.name && !c.header && INDEXABLE.has(c.type.base))
      : undefined;
  const constant = (e: Expr, type: SqlType) => constantOf(engine, e, type);
  for (const term of conjuncts(where)) {
    if (term.kind === 'comparison' && term.op === '=') {
      const [col, other] = column(term.left) ? [column(term.left), term.right] : [column(term.right), term.left];
      const c = col === undefined ? null : constant(other, col.type);
      if (col !== undefined && c !== null) return { column: col.name, values: [c.value] };
    } else if (term.kind === 'in' && !term.negated) {
      const col = column(term.operand);
      const values = col === undefined ? [] : term.list.map((e) => constant(e, col.type));
      if (col !== undefined && values.every((v) => v !== null)) {
        return { column: col.name, values: values.map((v) => (v as { value: unknown }).value) };
      }
    }
  }
  return null;
}

/** A constant expression's value as `type`; null when it reads a column, fails or is null. */
function constantOf(engine: KsqlEngine, e: Expr, type: SqlType): { value: unknown } | null {
  if (columnsOf(e).length > 0) return null;
  try {
    const c = compileExpression(e, noColumns, engine.functions);
    const value = c.evaluate({});
    if (value === null || value === undefined) return null;
    return { value: typesEqual(c.type, type) ? value : castValue(value, c.type, type) };
  } catch {
    return null;
  }
}

const noColumns = {
  clause: 'WHERE',
  column: (): never => {
    throw new AnalysisError('not a constant');
  },
};

function conjuncts(e: Expr): Expr[] {
  return e.kind === 'logical' && e.op === 'AND' ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

function flip(op: '=' | '<' | '<=' | '>' | '>='): '=' | '<' | '<=' | '>' | '>=' {
  return op === '<' ? '>' : op === '<=' ? '>=' : op === '>' ? '<' : op === '>=' ? '<=' : '=';
}

function raiseLow(b: Bounds, value: unknown, inclusive: boolean): void {
  if (b.low === null || compareKeys(value, b.low) > 0 || (compareKeys(value, b.low) === 0 && !inclusive)) {
    b.low = value;
    b.lowInclusive = inclusive;
  }
}

function lowerHigh(b: Bounds, value: unknown, inclusive: boolean): void {
  if (b.high === null || compareKeys(value, b.high) < 0 || (compareKeys(value, b.high) === 0 && !inclusive)) {
    b.high = value;
    b.highInclusive = inclusive;
  }
}

function withinBounds(b: Bounds, value: unknown): boolean {
  if (b.low !== null) {
    const c = compareKeys(value, b.low);
    if (c < 0 || (c === 0 && !b.lowInclusive)) return false;
  }
  if (b.high !== null) {
    const c = compareKeys(value, b.high);
    if (c > 0 || (c === 0 && !b.highInclusive)) return false;
  }
  return true;
}

/** Orders key values: numbers numerically, everything else by its text (as ksqlDB compares strings). */
export function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
