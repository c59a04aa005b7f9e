/**
 * Aggregation analysis: GROUP BY expressions, the aggregate calls in SELECT
 * and HAVING, and the projection over the aggregate row (grouping values and
 * aggregate results), with ksqlDB's errors for what does not aggregate.
 */
import type { Expr } from '../parser/ast.ts';
import { formatExpression } from '../parser/format.ts';
import type { AggregateCall, AggregationStep, JoinStep, LogicalPlan, OutputColumn } from '../planner/logical-plan.ts';
import { BIGINT } from '../types/sql-type.ts';
import { visit } from './expression-walk.ts';
import { AnalysisError, type Compiled, compileExpression, type ExpressionScope } from './expressions.ts';
import { type ProjectionItem, splitKey } from './projection.ts';
import type { QueryContext } from './query-context.ts';
import { type SourceRef, WINDOW_BOUND_ERROR } from './scope.ts';

export function aggregatePlan(
  ctx: QueryContext,
  items: ProjectionItem[],
  joins: JoinStep[],
  where: Compiled | null,
  inputIsTable: boolean,
): LogicalPlan {
  const q = ctx.query;
  const groupByExprs = q.groupBy as readonly Expr[];
  const first = ctx.sources[0] as SourceRef;
  if (first.source.valueFormat === 'KAFKA' && joins.length === 0) {
    // KAFKA values cannot carry the aggregation's intermediate state.
  }
  for (const e of groupByExprs) {
    visit(e, (x) => {
      if (x.kind === 'call' && ctx.functions.isAggregate(x.name)) {
        throw new AnalysisError(
          `GROUP BY does not support aggregate functions: ${x.name.toUpperCase()} is an aggregate function.`,
        );
      }
      return undefined;
    });
  }
  const seenGroups = new Set<string>();
  for (const e of groupByExprs) {
    const c = ctx.canonical(e);
    if (seenGroups.has(c))
      throw new AnalysisError(`Duplicate GROUP BY expression: ${formatExpression(ctx.qualify(e))}`);
    seenGroups.add(c);
  }
  const groupScope = ctx.scope.withClause('GROUP BY');
  const groupBy = groupByExprs.map((e) => ctx.compile(e, groupScope));
  const groupCanon = groupByExprs.map((e) => ctx.canonical(e));
  const windowed = q.window !== null;

  const aggregates: AggregateCall[] = [];
  const aggregateByText = new Map<string, AggregateCall>();
  const offending: string[] = [];
  const aggScope = (clause: string): ExpressionScope => ({
    clause,
    column: (source, name) => {
      if (windowed && (name === 'WINDOWSTART' || name === 'WINDOWEND')) {
        if (clause !== 'SELECT') throw new AnalysisError(WINDOW_BOUND_ERROR(name));
        // ksqlDB does not resolve window bounds in a windowed aggregation over a join.
        if (joins.length > 0) throw new AnalysisError(`${clause} column '${name}' cannot be resolved.`);
        return { field: name, type: BIGINT };
      }
      if (!windowed && (name === 'WINDOWSTART' || name === 'WINDOWEND') && !first.source.window) {
        throw new AnalysisError(WINDOW_BOUND_ERROR(name));
      }
      const resolved = ctx.scope.withClause(clause).column(source, name);
      offending.push(source ? `${source}.${name}` : name);
      return resolved;
    },
    replace: (e) => {
      const canon = ctx.canonical(e);
      const g = groupCanon.indexOf(canon);
      if (g >= 0) return { type: (groupBy[g] as Compiled).type, evaluate: (row) => row[`__k${g}`] ?? null };
      if (e.kind === 'call' && ctx.functions.isAggregate(e.name)) {
        let call = aggregateByText.get(canon);
        if (call === undefined) {
          call = aggregateCall(ctx, e, aggregates.length, clause);
          aggregateByText.set(canon, call);
          aggregates.push(call);
        }
        const field = call.field;
        const type = call.fn.returnType(call.argTypes);
        return { type, evaluate: (row) => row[field] ?? null };
      }
      return null;
    },
  });

  const having = q.having ? compileExpression(q.having, aggScope('HAVING'), ctx.functions) : null;
  const havingOffending = [...offending];
  offending.length = 0;
  if (!items.some((i) => ctx.containsAggregate(i.expr)) && !(q.having && ctx.containsAggregate(q.having))) {
    throw new AnalysisError('GROUP BY requires aggregate functions in either the SELECT or HAVING clause.');
  }
  // Items that are not grouping expressions must only use columns inside aggregates.
  const groupItems = new Set(items.filter((i) => groupCanon.includes(ctx.canonical(i.expr))));
  const valueColumns: OutputColumn[] = [];
  const nonAggregate: string[] = [];
  const compiledItems = new Map<ProjectionItem, Compiled>();
  for (const item of items) {
    if (groupItems.has(item)) continue;
    const before = offending.length;
    const compiled = compileExpression(item.expr, aggScope('SELECT'), ctx.functions);
    if (offending.length > before) nonAggregate.push(formatExpression(ctx.unqualifyIfSingle(item.expr)));
    compiledItems.set(item, compiled);
  }
  if (nonAggregate.length > 0) {
    throw new AnalysisError(
      `Non-aggregate SELECT expression(s) not part of GROUP BY: ${[...new Set(nonAggregate)].join(', ')}\nEither add the column(s) to the GROUP BY or remove them from the SELECT.`,
    );
  }
  if (havingOffending.length > 0) {
    throw new AnalysisError(
      `Non-aggregate HAVING expression not part of GROUP BY: ${[...new Set(havingOffending)].join(', ')}`,
    );
  }
  if (aggregates.length === 0)
    throw new AnalysisError('GROUP BY requires aggregate functions in either the SELECT or HAVING clause.');
  const { keyColumns, valueItems } = splitKey(
    ctx,
    items,
    groupByExprs.map((e) => [e]),
    groupBy.map((g) => g.type),
    'grouping',
  );
  for (const item of valueItems) {
    const compiled = compiledItems.get(item) ?? compileExpression(item.expr, aggScope('SELECT'), ctx.functions);
    valueColumns.push({ column: { name: item.name, type: compiled.type }, compiled });
  }
  if (aggregates.length === 0)
    throw new AnalysisError('GROUP BY requires aggregate functions in either the SELECT or HAVING clause.');
  if (valueColumns.length === 0) throw new AnalysisError('The projection contains no value columns.');
  if (first.source.valueFormat === 'KAFKA' && joins.length === 0) {
    throw new AnalysisError(
      `Source(s) ${first.alias} are using the 'KAFKA' value format. This format does not yet support GROUP BY.`,
    );
  }
  if (inputIsTable) {
    const streamOnly = aggregates.filter(
      (a) => a.fn.create(a.argTypes, a.constants, ctx.options.config).undo === undefined,
    );
    if (streamOnly.length > 0) {
      const names = [...new Set(streamOnly.map((a) => a.fn.name))];
      const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names[0];
      throw new AnalysisError(
        `The aggregation function${names.length > 1 ? 's' : ''} ${list} cannot be applied to a table source, only to a stream source.`,
      );
    }
  }
  const sourceKey = first.source.schema.key;
  const groupByKey =
    joins.length === 0 &&
    groupByExprs.length === sourceKey.length &&
    groupByExprs.every((e, i) => e.kind === 'column' && e.name === sourceKey[i]?.name) &&
    !inputIsTable;
  if (first.source.window && !groupByKey && joins.length === 0) {
    throw new AnalysisError(
      'Implicit repartitioning of windowed sources is not supported. See https://github.com/confluentinc/ksql/issues/4385.',
    );
  }
  const aggregation: AggregationStep = {
    groupBy,
    groupByKey,
    aggregates,
    window: q.window,
    having,
    emitFinal: q.emit === 'FINAL',
    inputIsTable,
  };
  if (q.emit === 'FINAL' && q.window === null) {
    throw new AnalysisError('EMIT FINAL is only supported for windowed aggregations.');
  }
  return ctx.checkDuplicates({
    sources: ctx.sources,
    joins,
    where,
    aggregation,
    partitionBy: null,
    keyColumns,
    valueColumns,
    resultType: 'TABLE',
    schema: { key: keyColumns.map((k) => k.column), value: valueColumns.map((v) => v.column) },
    window: q.window,
    limit: q.limit,
  });
}

export function aggregateCall(
  ctx: QueryContext,
  e: Extract<Expr, { kind: 'call' }>,
  index: number,
  clause: string,
): AggregateCall {
  const fn = ctx.functions.aggregate(e.name);
  if (fn === undefined) throw new AnalysisError(`Can't find any functions with the name '${e.name}'`);
  const scope = ctx.scope.withClause(clause);
  const constantCount = fn.constantArgs ?? 0;
  // Value arguments first; the trailing ones are constants (TOPK's k, LATEST_BY_OFFSET's n).
  const valueCount = fn.trailingConstants ? Math.max(1, e.args.length - constantCount) : Math.min(1, e.args.length);
  const argExprs = e.args.slice(0, valueCount);
  const constantExprs = e.args.slice(valueCount, valueCount + constantCount);
  for (const a of e.args) {
    visit(a, (x) => {
      if (x.kind === 'call' && ctx.functions.isAggregate(x.name)) {
        throw new AnalysisError(
          `Aggregate functions can not be nested: ${e.name.toUpperCase()}(${x.name.toUpperCase()}())`,
        );
      }
      return undefined;
    });
  }
  const args = argExprs.map((a) => ctx.compile(a, scope));
  const constants = constantExprs.map((c) => ctx.compile(c, scope).evaluate({}));
  const constantTypes = constantExprs.map((c) => ctx.compile(c, scope).type);
  const argTypes = [...args.map((a) => a.type), ...constantTypes];
  fn.returnType(argTypes);
  return { fn, args, argTypes, constants, field: `__a${index}` };
}
