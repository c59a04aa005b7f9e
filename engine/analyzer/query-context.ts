/**
 * What the stages of query analysis share: the query, its resolved sources
 * and the name scope over them, and the helpers that resolve, compare and
 * compile expressions in that scope.
 */
import type { FunctionRegistry } from '../functions/registry.ts';
import type { MetaStore } from '../metastore/metastore.ts';
import type { Expr, Query } from '../parser/ast.ts';
import { formatExpression } from '../parser/format.ts';
import type { LogicalPlan } from '../planner/logical-plan.ts';
import { RESERVED_COLUMNS } from '../types/schema.ts';
import { formatType } from '../types/sql-type.ts';
import { mapColumns, visit } from './expression-walk.ts';
import { AnalysisError, type Compiled, compileExpression, type ExpressionScope, withPosition } from './expressions.ts';
import { rowColumns, type SourceRef, type SourceScope } from './scope.ts';

export interface AnalyzeOptions {
  readonly sinkName: string;
  readonly config: Readonly<Record<string, unknown>>;
}

export class QueryContext {
  readonly sources: SourceRef[] = [];
  scope!: SourceScope;
  /** For each join, the ON expressions that name its key (either may stand for it in the projection). */
  readonly joinKeyExprs: Expr[][] = [];

  constructor(
    readonly query: Query,
    readonly metastore: MetaStore,
    readonly functions: FunctionRegistry,
    readonly options: AnalyzeOptions,
  ) {}

  resolveSource(name: string, alias: string | null): SourceRef {
    const source = this.metastore.source(name);
    if (source === undefined) throw new AnalysisError(`${name} does not exist.`);
    return { alias: alias ?? name, source };
  }

  resolveSources(): void {
    const { from, joins } = this.query.from;
    this.sources.push(this.resolveSource(from.name, from.alias));
    for (const j of joins) this.sources.push(this.resolveSource(j.right.name, j.right.alias));
    if (joins.length > 0) {
      const kafka = this.sources.filter((s) => s.source.valueFormat === 'KAFKA').map((s) => s.alias);
      if (kafka.length > 0) {
        throw new AnalysisError(
          `Source(s) ${kafka.join(', ')} are using the 'KAFKA' value format. This format does not yet support JOIN.`,
        );
      }
    }
  }

  aliasOf(c: Extract<Expr, { kind: 'column' }>): string {
    return withPosition(c.pos, () => {
      if (c.source !== null) {
        const ref =
          this.sources.find((s) => s.alias === c.source) ?? this.sources.find((s) => s.source.name === c.source);
        if (ref === undefined)
          throw new AnalysisError(
            `Failed to prepare statement: '${c.source}' is not a valid stream/table name or alias.`,
          );
        return ref.alias;
      }
      const owners = this.sources.filter((s) => rowColumns(s.source).some((col) => col.name === c.name));
      if (owners.length === 0) throw new AnalysisError(`JOIN ON column '${c.name}' cannot be resolved.`);
      if (owners.length > 1 && !RESERVED_COLUMNS.has(c.name)) {
        throw new AnalysisError(
          `Exception while preparing statement: Column '${c.name}' is ambiguous. Could be ${owners.map((o) => `${o.alias}.${c.name}`).join(' or ')}.`,
        );
      }
      return (owners[0] as SourceRef).alias;
    });
  }

  unqualifyIfSingle(e: Expr): Expr {
    return this.sources.length > 1 ? e : mapColumns(e, (c) => ({ ...c, source: null }));
  }

  qualify(e: Expr): Expr {
    return mapColumns(e, (c) =>
      c.source === null && !this.scope.syntheticKey ? { ...c, source: this.aliasOf(c) } : c,
    );
  }

  /** An expression with every column reference replaced by the field it resolves to, as text. */
  canonical(e: Expr): string {
    return formatExpression(
      mapColumns(e, (c) => {
        try {
          return { kind: 'column', source: null, name: this.scope.column(c.source, c.name).field };
        } catch {
          return c;
        }
      }),
    );
  }

  compile(e: Expr, scope: ExpressionScope): Compiled {
    return compileExpression(e, scope, this.functions);
  }

  /** Join projections prefix a column with its source only when several sources have it (ksqlDB's rule). */
  inSeveralSources(name: string): boolean {
    return this.sources.filter((s) => rowColumns(s.source).some((c) => c.name === name)).length > 1;
  }

  containsAggregate(e: Expr): boolean {
    let found = false;
    visit(e, (x) => {
      if (x.kind === 'call' && this.functions.isAggregate(x.name)) found = true;
      return !found;
    });
    return found;
  }

  checkNoAggregates(exprs: readonly Expr[], clause: string): void {
    for (const e of exprs) {
      visit(e, (x) => {
        if (x.kind === 'call' && this.functions.isAggregate(x.name)) {
          if (clause === 'SELECT')
            throw new AnalysisError(`Use of aggregate function ${x.name.toUpperCase()} requires a GROUP BY clause.`);
          throw new AnalysisError(
            `${clause} clause can not contain aggregate functions: ${x.name.toUpperCase()} is an aggregate function.`,
          );
        }
        return undefined;
      });
    }
  }

  /** Output column names must be unique across key and value columns. */
  checkDuplicates(plan: LogicalPlan): LogicalPlan {
    const seen = new Set(plan.schema.key.map((c) => c.name));
    for (const c of plan.schema.value) {
      if (seen.has(c.name))
        throw new AnalysisError(`Duplicate value columns found in schema: \`${c.name}\` ${formatType(c.type)}`);
      seen.add(c.name);
    }
    return plan;
  }
}
