/**
 * The logical plan of a persistent query: what the query computes, with
 * every name resolved and every expression typed and compiled, but nothing
 * yet about processors, stores or serdes (that is the physical planner's).
 *
 *   sources -> joins -> filter -> (aggregate -> having | repartition) -> project -> sink
 *
 * Rows between steps are flat objects keyed by field name (see
 * analyzer/scope.ts); keys are arrays of key-column values.
 */
import type { Compiled } from '../analyzer/expressions.ts';
import type { SourceRef } from '../analyzer/scope.ts';
import type { AggregateFunction } from '../functions/registry.ts';
import type { JoinType, WindowSpec, WithinClause } from '../parser/ast.ts';
import type { Column, LogicalSchema } from '../types/schema.ts';
import type { SqlType } from '../types/sql-type.ts';

export type JoinKind = 'stream-stream' | 'stream-table' | 'table-table' | 'foreign-key';

export interface JoinStep {
  readonly type: JoinType;
  readonly kind: JoinKind;
  readonly right: SourceRef;
  /** The join key computed from the left (accumulated) row. */
  readonly leftKey: Compiled;
  /** The join key computed from the right source's row. */
  readonly rightKey: Compiled;
  /** True when leftKey is already the left side's key (no repartition). */
  readonly leftKeyIsKey: boolean;
  readonly rightKeyIsKey: boolean;
  readonly within: WithinClause | null;
  /** FULL OUTER joins and joins on expressions key their result by a new ROWKEY column. */
  readonly syntheticKey: boolean;
}

export interface AggregateCall {
  readonly fn: AggregateFunction;
  readonly args: readonly Compiled[];
  readonly argTypes: readonly SqlType[];
  readonly constants: readonly unknown[];
  readonly field: string;
}

export interface AggregationStep {
  /** Grouping expressions over the input row, in GROUP BY order (the output key). */
  readonly groupBy: readonly Compiled[];
  /** True when the grouping is the input's own key (no repartition). */
  readonly groupByKey: boolean;
  readonly aggregates: readonly AggregateCall[];
  readonly window: WindowSpec | null;
  readonly having: Compiled | null;
  readonly emitFinal: boolean;
  readonly inputIsTable: boolean;
}

/** One output column: key columns come from the current key, value columns from expressions. */
export interface OutputColumn {
  readonly column: Column;
  readonly compiled: Compiled;
}

export interface LogicalPlan {
  readonly sources: readonly SourceRef[];
  readonly joins: readonly JoinStep[];
  readonly where: Compiled | null;
  readonly aggregation: AggregationStep | null;
  readonly partitionBy: readonly Compiled[] | null;
  /** Output key columns, each the current key's element at `keyIndex`. */
  readonly keyColumns: readonly { readonly column: Column; readonly keyIndex: number }[];
  readonly valueColumns: readonly OutputColumn[];
  readonly resultType: 'STREAM' | 'TABLE';
  readonly schema: LogicalSchema;
  /** Whether the output key is windowed, and how. */
  readonly window: WindowSpec | null;
  readonly limit: number | null;
}
