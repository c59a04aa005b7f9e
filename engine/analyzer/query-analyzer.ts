/**
 * The query analyzer: a parsed SELECT plus the metastore -> a logical plan.
 * It resolves sources and columns, types every expression, and raises the
 * errors ksqlDB raises for queries it cannot run (with ksqlDB's wording,
 * which the conformance suite checks). Joins, the projection and
 * aggregation each have their own module; this one puts them together.
 */
import type { FunctionRegistry } from '../functions/registry.ts';
import type { DataSource, MetaStore } from '../metastore/metastore.ts';
import type { Expr, Query } from '../parser/ast.ts';
import { formatExpression } from '../parser/format.ts';
import type { JoinStep, LogicalPlan, OutputColumn } from '../planner/logical-plan.ts';
import type { SqlType } from '../types/sql-type.ts';
import { aggregatePlan } from './aggregation.ts';
import { visit } from './expression-walk.ts';
import { AnalysisError, type Compiled } from './expressions.ts';
import { analyzeJoins } from './joins.ts';
import { checkAliases, projectionItems, splitKey } from './projection.ts';
import { type AnalyzeOptions, QueryContext } from './query-context.ts';
import { type SourceRef, SourceScope } from './scope.ts';

export type { AnalyzeOptions } from './query-context.ts';

export function analyzeQuery(
  query: Query,
  metastore: MetaStore,
  functions: FunctionRegistry,
  options: AnalyzeOptions,
): LogicalPlan {
  return new QueryAnalyzer(new QueryContext(query, metastore, functions, options)).analyze();
}

class QueryAnalyzer {
  constructor(private readonly ctx: QueryContext) {}

  analyze(): LogicalPlan {
    const q = this.ctx.query;
    this.checkFunctionsExist();
    this.ctx.resolveSources();
    this.ctx.scope = new SourceScope(this.ctx.sources, 'SELECT');
    const joins = analyzeJoins(this.ctx);
    const first = this.ctx.sources[0] as SourceRef;
    const isTable =
      first.source.type === 'TABLE' && joins.every((j) => j.kind !== 'stream-table' && j.kind !== 'stream-stream');

    const where = q.where ? this.compileWhere(q.where) : null;
    const items = projectionItems(this.ctx, q.select);
    checkAliases(this.ctx);

    if (q.groupBy !== null) return aggregatePlan(this.ctx, items, joins, where, isTable);
    const hasAggregate = items.some((i) => this.ctx.containsAggregate(i.expr));
    if (hasAggregate || q.window !== null) {
      const plain = items
        .filter((i) => !this.ctx.containsAggregate(i.expr))
        .map((i) => formatExpression(this.ctx.unqualifyIfSingle(i.expr)));
      if (plain.length > 0) {
        throw new AnalysisError(
          `Non-aggregate SELECT expression(s) not part of GROUP BY: ${plain.join(', ')}\nEither add the column(s) to the GROUP BY or remove them from the SELECT.`,
        );
      }
      if (q.window !== null) throw new AnalysisError('WINDOW clause requires a GROUP BY clause.');
    }
    this.ctx.checkNoAggregates(
      items.map((i) => i.expr),
      'SELECT',
    );

    // The current key: source key columns, join expressions, or PARTITION BY expressions.
    let keyAlternatives: Expr[][];
    let partitionBy: Compiled[] | null = null;
    let keyTypes: SqlType[];
    if (q.partitionBy !== null) {
      if (isTable) throw new AnalysisError(`Unsupported operation: PARTITION BY is not supported on tables.`);
      if (first.source.window) {
        throw new AnalysisError(
          'Implicit repartitioning of windowed sources is not supported. See https://github.com/confluentinc/ksql/issues/4385.',
        );
      }
      const scope = this.ctx.scope.withClause('PARTITION BY');
      const isNull = (e: Expr) => e.kind === 'literal' && e.type === 'NULL';
      if (q.partitionBy.length > 1 && q.partitionBy.some(isNull)) {
        throw new AnalysisError('Cannot PARTITION BY multiple columns including NULL');
      }
      const isNullKey = q.partitionBy.length === 1 && isNull(q.partitionBy[0] as Expr);
      if (isNullKey) {
        keyAlternatives = [];
        partitionBy = [];
        keyTypes = [];
      } else {
        partitionBy = q.partitionBy.map((e) => this.ctx.compile(e, scope));
        keyAlternatives = q.partitionBy.map((e) => [e]);
        keyTypes = partitionBy.map((c) => c.type);
      }
    } else if (joins.length > 0) {
      const last = joins[joins.length - 1] as JoinStep;
      const onExprs = this.ctx.joinKeyExprs;
      keyAlternatives = [onExprs[onExprs.length - 1] as Expr[]];
      keyTypes = [last.leftKey.type];
    } else {
      keyAlternatives = first.source.schema.key.map((c) => [{ kind: 'column', source: null, name: c.name } as Expr]);
      keyTypes = first.source.schema.key.map((c) => c.type);
    }

    const { keyColumns, valueItems } = splitKey(
      this.ctx,
      items,
      keyAlternatives,
      keyTypes,
      q.partitionBy !== null ? 'partitioning' : joins.length > 0 ? 'join' : 'key',
    );
    const valueColumns: OutputColumn[] = valueItems.map((i) => {
      const compiled = this.ctx.compile(i.expr, this.ctx.scope);
      return { column: { name: i.name, type: compiled.type }, compiled };
    });
    if (valueColumns.length === 0) throw new AnalysisError('The projection contains no value columns.');
    return this.ctx.checkDuplicates({
      sources: this.ctx.sources,
      joins,
      where,
      aggregation: null,
      partitionBy,
      keyColumns,
      valueColumns,
      resultType: isTable ? 'TABLE' : 'STREAM',
      schema: { key: keyColumns.map((k) => k.column), value: valueColumns.map((v) => v.column) },
      window: first.source.window && partitionBy === null ? this.sourceWindowSpec(first.source) : null,
      limit: q.limit,
    });
  }

  private sourceWindowSpec(source: DataSource): LogicalPlan['window'] {
    const w = source.window;
    if (w === null) return null;
    if (w.type === 'SESSION') return { type: 'SESSION', gapMs: 0, retentionMs: null, graceMs: null };
    return { type: w.type, sizeMs: w.sizeMs ?? 0, advanceMs: w.sizeMs ?? 0, retentionMs: null, graceMs: null };
  }

  private compileWhere(e: Expr): Compiled {
    const windowed = this.ctx.sources.some((s) => s.source.window !== null);
    visit(e, (x) => {
      if (!windowed && x.kind === 'column' && (x.name === 'WINDOWSTART' || x.name === 'WINDOWEND')) {
        throw new AnalysisError(`Error in WHERE expression: Unknown column ${x.name}.`);
      }
      return undefined;
    });
    this.ctx.checkNoAggregates([e], 'WHERE');
    const c = this.ctx.compile(e, this.ctx.scope.withClause('WHERE'));
    if (c.type.base !== 'BOOLEAN') {
      throw new AnalysisError(
        `Type error in WHERE expression: Should evaluate to boolean but is ${formatExpression(e)} (${c.type.base}) instead.`,
      );
    }
    return c;
  }

  private checkFunctionsExist(): void {
    const q = this.ctx.query;
    const exprs = [
      ...q.select.flatMap((i) => (i.kind === 'expr' ? [i.expr] : [])),
      ...(q.where ? [q.where] : []),
      ...(q.groupBy ?? []),
      ...(q.having ? [q.having] : []),
      ...(q.partitionBy ?? []),
    ];
    const builtIn = new Set(['TRANSFORM', 'FILTER', 'REDUCE']);
    for (const e of exprs) {
      visit(e, (x) => {
        if (x.kind !== 'call') return undefined;
        const name = x.name.toUpperCase();
        if (!builtIn.has(name) && !this.ctx.functions.scalar(name) && !this.ctx.functions.isAggregate(name)) {
          throw new AnalysisError(`Can't find any functions with the name '${name}'`);
        }
        return undefined;
      });
    }
  }
}
