/**
 * The syntax tree of ksqlDB statements, as the parser produces it: names are
 * already upper-cased unless quoted; nothing is resolved or typed yet (that
 * is the analyzer's job).
 */
import type { SqlType } from '../types/sql-type.ts';

export interface Position {
  readonly line: number;
  readonly column: number;
}

// ---------------------------------------------------------------- expressions

export type Literal =
  | { readonly kind: 'literal'; readonly type: 'STRING'; readonly value: string }
  | { readonly kind: 'literal'; readonly type: 'INTEGER' | 'BIGINT' | 'DOUBLE'; readonly value: number }
  | { readonly kind: 'literal'; readonly type: 'DECIMAL'; readonly value: number; readonly text: string }
  | { readonly kind: 'literal'; readonly type: 'BOOLEAN'; readonly value: boolean }
  | { readonly kind: 'literal'; readonly type: 'NULL'; readonly value: null };

export type ComparisonOp = '=' | '<>' | '<' | '<=' | '>' | '>=';
export type ArithmeticOp = '+' | '-' | '*' | '/' | '%';

export type Expr =
  | Literal
  | { readonly kind: 'column'; readonly source: string | null; readonly name: string; readonly pos?: Position }
  | { readonly kind: 'deref'; readonly base: Expr; readonly field: string }
  | { readonly kind: 'subscript'; readonly base: Expr; readonly index: Expr }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly star?: boolean }
  | { readonly kind: 'arithmetic'; readonly op: ArithmeticOp; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'negate'; readonly operand: Expr }
  | { readonly kind: 'comparison'; readonly op: ComparisonOp; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'logical'; readonly op: 'AND' | 'OR'; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'not'; readonly operand: Expr }
  | { readonly kind: 'isNull'; readonly operand: Expr; readonly negated: boolean }
  | { readonly kind: 'isDistinct'; readonly left: Expr; readonly right: Expr; readonly negated: boolean }
  | {
      readonly kind: 'like';
      readonly operand: Expr;
      readonly pattern: Expr;
      readonly escape: string | null;
      readonly negated: boolean;
    }
  | {
      readonly kind: 'between';
      readonly operand: Expr;
      readonly low: Expr;
      readonly high: Expr;
      readonly negated: boolean;
    }
  | { readonly kind: 'in'; readonly operand: Expr; readonly list: readonly Expr[]; readonly negated: boolean }
  | {
      readonly kind: 'case';
      readonly operand: Expr | null;
      readonly whens: readonly { readonly when: Expr; readonly result: Expr }[];
      readonly otherwise: Expr | null;
    }
  | { readonly kind: 'cast'; readonly operand: Expr; readonly type: SqlType }
  | { readonly kind: 'struct'; readonly fields: readonly { readonly name: string; readonly value: Expr }[] }
  | { readonly kind: 'array'; readonly items: readonly Expr[] }
  | { readonly kind: 'map'; readonly entries: readonly { readonly key: Expr; readonly value: Expr }[] }
  | { readonly kind: 'lambda'; readonly params: readonly string[]; readonly body: Expr }
  | { readonly kind: 'lambdaVar'; readonly name: string }
  | { readonly kind: 'interval'; readonly value: number; readonly unit: string };

// ---------------------------------------------------------------- queries

export type SelectItem =
  | { readonly kind: 'all'; readonly source: string | null }
  | { readonly kind: 'expr'; readonly expr: Expr; readonly alias: string | null; readonly pos: Position };

export interface AliasedSource {
  readonly name: string;
  readonly alias: string | null;
  readonly pos: Position;
}

export type JoinType = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL';

export interface WithinClause {
  readonly beforeMs: number;
  readonly afterMs: number;
  readonly graceMs: number | null;
}

export interface JoinClause {
  readonly type: JoinType;
  readonly right: AliasedSource;
  readonly on: Expr;
  readonly within: WithinClause | null;
}

export interface Relation {
  readonly from: AliasedSource;
  readonly joins: readonly JoinClause[];
}

export type WindowSpec =
  | {
      readonly type: 'TUMBLING' | 'HOPPING';
      readonly sizeMs: number;
      readonly advanceMs: number;
      readonly retentionMs: number | null;
      readonly graceMs: number | null;
    }
  | {
      readonly type: 'SESSION';
      readonly gapMs: number;
      readonly retentionMs: number | null;
      readonly graceMs: number | null;
    };

export interface Query {
  readonly select: readonly SelectItem[];
  readonly from: Relation;
  readonly window: WindowSpec | null;
  readonly where: Expr | null;
  readonly groupBy: readonly Expr[] | null;
  readonly partitionBy: readonly Expr[] | null;
  readonly having: Expr | null;
  readonly emit: 'CHANGES' | 'FINAL' | null;
  readonly limit: number | null;
}

// ---------------------------------------------------------------- statements

export type SourceType = 'STREAM' | 'TABLE';

export interface ColumnDef {
  readonly name: string;
  readonly type: SqlType;
  readonly key: boolean;
  readonly primaryKey: boolean;
  /** HEADERS or HEADER('key'): the column is filled from record headers. */
  readonly header: { readonly key: string | null } | null;
}

export type PropertyValue = string | number | boolean | null;
export type Properties = ReadonlyMap<string, PropertyValue>;

export type StatementBody =
  | {
      readonly kind: 'createSource';
      readonly type: SourceType;
      readonly name: string;
      readonly orReplace: boolean;
      readonly ifNotExists: boolean;
      /** CREATE SOURCE STREAM/TABLE: read-only. */
      readonly readOnly: boolean;
      readonly columns: readonly ColumnDef[] | null;
      readonly properties: Properties;
    }
  | {
      readonly kind: 'createAsSelect';
      readonly type: SourceType;
      readonly name: string;
      readonly orReplace: boolean;
      readonly ifNotExists: boolean;
      readonly properties: Properties;
      readonly query: Query;
    }
  | {
      readonly kind: 'insertInto';
      readonly target: string;
      readonly targetPos: Position;
      readonly properties: Properties;
      readonly query: Query;
    }
  | {
      readonly kind: 'insertValues';
      readonly target: string;
      readonly columns: readonly string[] | null;
      readonly values: readonly Expr[];
    }
  | { readonly kind: 'query'; readonly query: Query }
  | {
      readonly kind: 'drop';
      readonly type: SourceType | 'TYPE' | 'CONNECTOR';
      readonly name: string;
      readonly ifExists: boolean;
      readonly deleteTopic: boolean;
    }
  | { readonly kind: 'alter'; readonly type: SourceType; readonly name: string; readonly columns: readonly ColumnDef[] }
  | { readonly kind: 'terminate'; readonly queryId: string | null }
  | { readonly kind: 'show'; readonly what: string; readonly extended: boolean }
  | { readonly kind: 'describe'; readonly name: string | null; readonly what: string; readonly extended: boolean }
  | { readonly kind: 'explain'; readonly queryId: string | null; readonly statement: Statement | null }
  | { readonly kind: 'set'; readonly name: string; readonly value: string }
  | { readonly kind: 'unset'; readonly name: string }
  | { readonly kind: 'define'; readonly name: string; readonly value: string }
  | { readonly kind: 'undefine'; readonly name: string }
  | { readonly kind: 'createType'; readonly name: string; readonly type: SqlType; readonly ifNotExists: boolean }
  /** CREATE SOURCE|SINK CONNECTOR: the WITH clause's keys as written (quoted), values as text. */
  | {
      readonly kind: 'createConnector';
      readonly type: 'SOURCE' | 'SINK';
      readonly name: string;
      readonly ifNotExists: boolean;
      readonly properties: ReadonlyMap<string, string>;
    }
  | { readonly kind: 'listConnectors'; readonly scope: 'ALL' | 'SOURCE' | 'SINK' }
  | { readonly kind: 'describeConnector'; readonly name: string };

/** A statement with its text (for the metastore and messages) and where it starts. */
export type Statement = StatementBody & { readonly text: string; readonly pos: Position };
