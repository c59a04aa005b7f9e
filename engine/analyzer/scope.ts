/**
 * Name resolution over the sources of a query. A single source's row holds
 * its columns under their own names; a join's row holds every column as
 * `<ALIAS>_<COLUMN>` (ksqlDB's join schema), so `L.A` reads `L_A`.
 */
import type { DataSource } from '../metastore/metastore.ts';
import { type Column, PSEUDO_COLUMNS } from '../types/schema.ts';
import { BIGINT, INTEGER, type SqlType } from '../types/sql-type.ts';
import { AnalysisError, type ExpressionScope } from './expressions.ts';

export interface SourceRef {
  /** The alias, or the source's name when none was given. */
  readonly alias: string;
  readonly source: DataSource;
}

export const WINDOW_BOUND_ERROR = (name: string) =>
  `Window bounds column ${name} can only be used in the SELECT clause of windowed aggregations`;

/** Every column a source's rows carry: key, value, pseudo columns, and window bounds when windowed. */
export function rowColumns(source: DataSource): Column[] {
  const pseudo: Column[] = PSEUDO_COLUMNS.map((name) => ({
    name,
    type: name === 'ROWTIME' ? BIGINT : name === 'ROWPARTITION' ? INTEGER : BIGINT,
  }));
  // A join's windowed sources keep their bounds as `<ALIAS>_WINDOWSTART`/`_WINDOWEND` (what SELECT * shows).
  const bounds: Column[] = source.window
    ? [
        { name: 'WINDOWSTART', type: BIGINT },
        { name: 'WINDOWEND', type: BIGINT },
      ]
    : [];
  return [...source.schema.key, ...source.schema.value, ...pseudo, ...bounds];
}

export class SourceScope implements ExpressionScope {
  constructor(
    readonly sources: readonly SourceRef[],
    readonly clause: string,
    /** Rows of a join carry `<ALIAS>_<COLUMN>` fields, even when this scope sees one side only. */
    private readonly prefixed = sources.length > 1,
    /** A join's synthetic key column (ROWKEY), when the join criteria name no source column. */
    readonly syntheticKey: Column | null = null,
  ) {}

  get joined(): boolean {
    return this.prefixed;
  }

  fieldOf(alias: string, column: string): string {
    return this.joined ? `${alias}_${column}` : column;
  }

  withClause(clause: string): SourceScope {
    return new SourceScope(this.sources, clause, this.prefixed, this.syntheticKey);
  }

  withSyntheticKey(key: Column): SourceScope {
    return new SourceScope(this.sources, this.clause, this.prefixed, key);
  }

  column(source: string | null, name: string): { field: string; type: SqlType } {
    if (source === null && this.syntheticKey !== null && name === this.syntheticKey.name) {
      return { field: name, type: this.syntheticKey.type };
    }
    if (source !== null) {
      const ref = this.sources.find((s) => s.alias === source) ?? this.sources.find((s) => s.source.name === source);
      if (ref === undefined) {
        throw new AnalysisError(`Failed to prepare statement: '${source}' is not a valid stream/table name or alias.`);
      }
      const col = rowColumns(ref.source).find((c) => c.name === name);
      if (col === undefined) this.unresolved(source === null ? name : `${source}.${name}`, name);
      return { field: this.fieldOf(ref.alias, name), type: (col as Column).type };
    }
    const matches = this.sources.flatMap((ref) =>
      rowColumns(ref.source)
        .filter((c) => c.name === name)
        .map((c) => ({ ref, c })),
    );
    if (matches.length === 0) this.unresolved(name, name);
    if (matches.length > 1 && !PSEUDO_COLUMNS.includes(name as (typeof PSEUDO_COLUMNS)[number])) {
      throw new AnalysisError(
        `Exception while preparing statement: Column '${name}' is ambiguous. Could be ${matches.map((m) => `${m.ref.alias}.${name}`).join(' or ')}.`,
      );
    }
    const m = matches[0] as { ref: SourceRef; c: Column };
    return { field: this.fieldOf(m.ref.alias, name), type: m.c.type };
  }

  private unresolved(shown: string, name: string): never {
    if ((name === 'WINDOWSTART' || name === 'WINDOWEND') && this.sources.length === 1) {
      throw new AnalysisError(WINDOW_BOUND_ERROR(name));
    }
    if (this.clause === 'PARTITION BY') {
      throw new AnalysisError(
        `PARTITION BY column '${shown}' cannot be resolved. '${shown}' must be a column in the source schema since PARTITION BY is applied on the input.`,
      );
    }
    const candidates = this.sources.flatMap((ref) =>
      [...ref.source.schema.key, ...ref.source.schema.value].map((c) =>
        this.joined ? `${ref.alias}.${c.name}` : c.name,
      ),
    );
    throw new AnalysisError(
      `${this.clause} column '${shown}' cannot be resolved.${candidates.length ? ` Known columns: ${candidates.join(', ')}.` : ''}`,
    );
  }
}
