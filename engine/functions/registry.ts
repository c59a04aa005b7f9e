/**
 * The function registry: scalar functions (one value per row) and aggregate
 * functions (a running value per group). Adding a function is one object in
 * a module of its family (strings.ts, math.ts, datetime.ts, ...) listed in
 * functions/index.ts.
 *
 * Types are resolved once, when a statement is analyzed: `returnType` gets
 * the argument types and throws FunctionError when they do not fit, so that
 * the user sees the problem before any record flows.
 */
import type { SqlType } from '../types/sql-type.ts';

export class FunctionError extends Error {
  override name = 'KsqlException';
}

export interface ScalarFunction {
  readonly name: string;
  readonly description?: string;
  returnType(args: readonly SqlType[]): SqlType;
  /**
   * Called with evaluated arguments; unless `nullSafe` is set, any null
   * argument gives null without calling. Throwing logs the record's error
   * and yields null for the expression.
   */
  evaluate(args: readonly unknown[], types: readonly SqlType[]): unknown;
  /** Takes null arguments itself (COALESCE, IFNULL, CONCAT...). */
  readonly nullSafe?: boolean;
}

/** A running aggregation for one group; accumulators are JSON-serializable (they live in state stores). */
export interface Aggregation {
  initial(): unknown;
  add(accumulator: unknown, args: readonly unknown[]): unknown;
  /** Takes a row out again (table aggregations); absent when the function only works on streams. */
  undo?(accumulator: unknown, args: readonly unknown[]): unknown;
  /** Combines two session windows' accumulators when the sessions merge. */
  merge?(a: unknown, b: unknown): unknown;
  result(accumulator: unknown): unknown;
}

export interface AggregateFunction {
  readonly name: string;
  readonly description?: string;
  /** How many trailing arguments are constants given at creation (TOPK's k). */
  returnType(args: readonly SqlType[]): SqlType;
  create(
    types: readonly SqlType[],
    constants: readonly unknown[],
    config: Readonly<Record<string, unknown>>,
  ): Aggregation;
  /** How many arguments after the value argument(s) must be literals. */
  readonly constantArgs?: number;
  /** The constants are the last arguments, every one before them a value (TOPK(col, other..., k)). */
  readonly trailingConstants?: boolean;
  /** The running state is a struct or array, which DELIMITED cannot store. */
  readonly complexIntermediate?: boolean;
}

export class FunctionRegistry {
  private readonly scalars = new Map<string, ScalarFunction>();
  private readonly aggregates = new Map<string, AggregateFunction>();

  addScalar(...functions: ScalarFunction[]): this {
    for (const f of functions) this.scalars.set(f.name.toUpperCase(), f);
    return this;
  }

  addAggregate(...functions: AggregateFunction[]): this {
    for (const f of functions) this.aggregates.set(f.name.toUpperCase(), f);
    return this;
  }

  scalar(name: string): ScalarFunction | undefined {
    return this.scalars.get(name.toUpperCase());
  }

  aggregate(name: string): AggregateFunction | undefined {
    return this.aggregates.get(name.toUpperCase());
  }

  isAggregate(name: string): boolean {
    return this.aggregates.has(name.toUpperCase());
  }

  names(): string[] {
    return [...this.scalars.keys(), ...this.aggregates.keys()].sort();
  }
}

/** Throws the message ksqlDB gives for arguments no overload accepts. */
export function noOverload(name: string, args: readonly SqlType[], format: (t: SqlType) => string): never {
  throw new FunctionError(`Function '${name}' does not accept parameters (${args.map(format).join(', ')}).`);
}
