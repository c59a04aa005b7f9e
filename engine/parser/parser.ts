/**
 * A recursive-descent parser for ksqlDB's SQL dialect (the grammar of
 * ksqlDB's SqlBase.g4, the parts the engine runs). Each method parses one
 * rule and is named after it.
 *
 *   statements   statement (';' statement)* ';'?
 *   statement    CREATE [OR REPLACE] [SOURCE] (STREAM|TABLE) [IF NOT EXISTS] name
 *                  [(tableElements)] [WITH (properties)] [AS query]
 *              | CREATE TYPE [IF NOT EXISTS] name AS type
 *              | INSERT INTO name [WITH (properties)] query
 *              | INSERT INTO name [(columns)] VALUES (expressions)
 *              | query | DROP ... | TERMINATE ... | SHOW|LIST ... | DESCRIBE ...
 *              | EXPLAIN ... | SET 'k'='v' | UNSET 'k' | DEFINE v = 'x' | UNDEFINE v
 *   query        SELECT items FROM relation [WINDOW window] [WHERE expr]
 *                  [GROUP BY values] [PARTITION BY values] [HAVING expr]
 *                  [EMIT CHANGES|FINAL] [LIMIT n]
 *
 * Expressions, loosest first: OR, AND, NOT, predicates (comparison, BETWEEN,
 * IN, LIKE, IS [NOT] NULL, IS [NOT] DISTINCT FROM), || , + -, * / %, unary
 * minus, subscript / -> / . , primaries.
 */

import {
  array,
  BIGINT,
  BOOLEAN,
  BYTES,
  DATE,
  DOUBLE,
  decimal,
  INTEGER,
  map,
  type SqlType,
  STRING,
  type StructField,
  struct,
  TIME,
  TIMESTAMP,
} from '../types/sql-type.ts';
import type {
  AliasedSource,
  ColumnDef,
  ComparisonOp,
  Expr,
  JoinClause,
  JoinType,
  Position,
  PropertyValue,
  Query,
  SelectItem,
  SourceType,
  Statement,
  StatementBody,
  WindowSpec,
  WithinClause,
} from './ast.ts';
import { SqlSyntaxError } from './errors.ts';
import { type Token, tokenize } from './lexer.ts';

export interface ParseOptions {
  /** Custom types from CREATE TYPE, by upper-case name. */
  readonly types?: ReadonlyMap<string, SqlType>;
}

/** Parses every statement in `sql`. */
export function parseStatements(sql: string, options: ParseOptions = {}): Statement[] {
  return new Parser(sql, options).statements();
}

/** Parses one expression (used for schema strings and tests). */
export function parseExpression(sql: string): Expr {
  const p = new Parser(sql, {});
  const e = p.expression();
  p.expectEnd();
  return e;
}

/** Parses a column list such as `ID INT KEY, NAME STRING` (QTT `post.sources` schemas). */
export function parseTableElements(sql: string, options: ParseOptions = {}): ColumnDef[] {
  const p = new Parser(sql, options);
  const cols = p.tableElementList();
  p.expectEnd();
  return cols;
}

/** Reserved words that cannot be an alias without quotes. */
const RESERVED = new Set([
  'SELECT',
  'FROM',
  'WHERE',
  'GROUP',
  'BY',
  'HAVING',
  'WINDOW',
  'EMIT',
  'LIMIT',
  'PARTITION',
  'JOIN',
  'LEFT',
  'RIGHT',
  'FULL',
  'INNER',
  'OUTER',
  'ON',
  'WITHIN',
  'AS',
  'AND',
  'OR',
  'NOT',
  'WITH',
  'CREATE',
  'INSERT',
  'INTO',
  'VALUES',
  'CASE',
  'WHEN',
  'THEN',
  'ELSE',
  'END',
  'IS',
  'NULL',
  'IN',
  'LIKE',
  'BETWEEN',
  'CAST',
  'TRUE',
  'FALSE',
]);

const TIME_UNITS: Record<string, number> = {
  MILLISECOND: 1,
  MILLISECONDS: 1,
  SECOND: 1000,
  SECONDS: 1000,
  MINUTE: 60_000,
  MINUTES: 60_000,
  HOUR: 3_600_000,
  HOURS: 3_600_000,
  DAY: 86_400_000,
  DAYS: 86_400_000,
};

class Parser {
  private readonly tokens: Token[];
  private i = 0;
  private lambdaParams: string[] = [];

  constructor(
    private readonly sql: string,
    private readonly options: ParseOptions,
  ) {
    this.tokens = tokenize(sql);
  }

  // ------------------------------------------------------------ token helpers

  private get tok(): Token {
    return this.tokens[this.i] as Token;
  }

  private peek(n = 1): Token {
    return this.tokens[Math.min(this.i + n, this.tokens.length - 1)] as Token;
  }

  private isWord(word: string, t: Token = this.tok): boolean {
    return t.kind === 'identifier' && t.value === word;
  }

  private isSymbol(symbol: string, t: Token = this.tok): boolean {
    return t.kind === 'symbol' && t.value === symbol;
  }

  private acceptWord(...words: string[]): boolean {
    if (!words.every((w, n) => this.isWord(w, this.peek(n)))) return false;
    this.i += words.length;
    return true;
  }

  private acceptSymbol(symbol: string): boolean {
    if (!this.isSymbol(symbol)) return false;
    this.i++;
    return true;
  }

  private expectWord(word: string): void {
    if (!this.acceptWord(word)) throw this.unexpected(`expecting ${word}`);
  }

  private expectSymbol(symbol: string): void {
    if (!this.acceptSymbol(symbol)) {
      const t = this.tok;
      throw new SqlSyntaxError(t.line, t.column, t.text, `missing '${symbol}' at '${t.text}'`);
    }
  }

  unexpected(expecting?: string): SqlSyntaxError {
    const t = this.tok;
    const what = t.kind === 'eof' ? 'Unexpected end of input' : `Unexpected '${t.text}'`;
    return new SqlSyntaxError(t.line, t.column, t.text, expecting ? `${what}, ${expecting}` : what);
  }

  private position(t: Token = this.tok): Position {
    return { line: t.line, column: t.column };
  }

  private atEnd(): boolean {
    return this.tok.kind === 'eof';
  }

  expectEnd(): void {
    if (this.tok.kind !== 'eof') throw this.unexpected();
  }

  /** An identifier: a bare word (upper-cased) or a quoted one (as written). */
  private identifier(): string {
    const t = this.tok;
    if (t.kind === 'quoted' || (t.kind === 'identifier' && !RESERVED.has(t.value))) {
      this.i++;
      return t.value;
    }
    throw this.unexpected();
  }

  private isIdentifier(t: Token = this.tok): boolean {
    return t.kind === 'quoted' || (t.kind === 'identifier' && !RESERVED.has(t.value));
  }

  // ------------------------------------------------------------ statements

  statements(): Statement[] {
    const out: Statement[] = [];
    while (this.tok.kind !== 'eof') {
      if (this.acceptSymbol(';')) continue;
      const start = this.tok;
      const body = this.statement();
      const end = this.peek(0);
      const text = this.sql.slice(start.offset, end.kind === 'eof' ? this.sql.length : end.offset).trim();
      out.push({ ...body, text: text.endsWith(';') ? text : `${text};`, pos: this.position(start) } as Statement);
      if (!this.atEnd()) this.expectSymbol(';');
    }
    return out;
  }

  private statement(): StatementBody {
    if (this.isWord('SELECT')) return { kind: 'query', query: this.query() };
    if (this.acceptWord('CREATE')) return this.create();
    if (this.acceptWord('INSERT')) return this.insert();
    if (this.acceptWord('DROP')) return this.drop();
    if (this.acceptWord('ALTER')) return this.alter();
    if (this.acceptWord('TERMINATE')) {
      if (this.acceptWord('ALL')) return { kind: 'terminate', queryId: null };
      return { kind: 'terminate', queryId: this.identifier() };
    }
    if (this.acceptWord('SHOW') || this.acceptWord('LIST')) {
      if (this.acceptWord('CONNECTORS')) return { kind: 'listConnectors', scope: 'ALL' };
      if (this.acceptWord('SOURCE', 'CONNECTORS')) return { kind: 'listConnectors', scope: 'SOURCE' };
      if (this.acceptWord('SINK', 'CONNECTORS')) return { kind: 'listConnectors', scope: 'SINK' };
      const what = this.identifier();
      if (what === 'QUERIES' || what === 'STREAMS' || what === 'TABLES' || what === 'TOPICS' || what === 'FUNCTIONS') {
        const extended = this.acceptWord('EXTENDED');
        return { kind: 'show', what, extended };
      }
      return { kind: 'show', what, extended: this.acceptWord('EXTENDED') };
    }
    if (this.acceptWord('DESCRIBE')) {
      if (this.isWord('CONNECTOR') && this.peek(1).kind !== 'eof' && !this.isSymbol(';', this.peek(1))) {
        this.i++;
        return { kind: 'describeConnector', name: this.identifier() };
      }
      if (this.acceptWord('FUNCTION'))
        return { kind: 'describe', what: 'FUNCTION', name: this.identifier(), extended: false };
      if (this.acceptWord('STREAMS'))
        return { kind: 'describe', what: 'STREAMS', name: null, extended: this.acceptWord('EXTENDED') };
      if (this.acceptWord('TABLES'))
        return { kind: 'describe', what: 'TABLES', name: null, extended: this.acceptWord('EXTENDED') };
      const name = this.identifier();
      return { kind: 'describe', what: 'SOURCE', name, extended: this.acceptWord('EXTENDED') };
    }
    if (this.acceptWord('EXPLAIN')) {
      if (this.isWord('SELECT') || this.isWord('CREATE') || this.isWord('INSERT')) {
        const start = this.tok;
        const inner = this.statement();
        const text = this.sql.slice(start.offset, this.tok.offset).trim();
        return {
          kind: 'explain',
          queryId: null,
          statement: { ...inner, text, pos: this.position(start) } as Statement,
        };
      }
      return { kind: 'explain', queryId: this.identifier(), statement: null };
    }
    if (this.acceptWord('SET')) {
      const name = this.stringLiteral();
      this.expectSymbol('=');
      return { kind: 'set', name, value: this.stringLiteral() };
    }
    if (this.acceptWord('UNSET')) return { kind: 'unset', name: this.stringLiteral() };
    if (this.acceptWord('DEFINE')) {
      const name = this.identifier();
      this.expectSymbol('=');
      return { kind: 'define', name, value: this.stringLiteral() };
    }
    if (this.acceptWord('UNDEFINE')) return { kind: 'undefine', name: this.identifier() };
    throw this.unexpected();
  }

  private stringLiteral(): string {
    const t = this.tok;
    if (t.kind !== 'string') throw this.unexpected('expecting a string');
    this.i++;
    return t.value;
  }

  private create(): StatementBody {
    for (const type of ['SOURCE', 'SINK'] as const) {
      if (this.acceptWord(type, 'CONNECTOR')) {
        const ifNotExists = this.acceptWord('IF', 'NOT', 'EXISTS');
        const name = this.identifier();
        this.expectWord('WITH');
        return { kind: 'createConnector', type, name, ifNotExists, properties: this.connectorProperties() };
      }
    }
    const orReplace = this.acceptWord('OR', 'REPLACE');
    const readOnly = this.acceptWord('SOURCE');
    if (this.acceptWord('TYPE')) {
      const ifNotExists = this.acceptWord('IF', 'NOT', 'EXISTS');
      const name = this.identifier();
      this.expectWord('AS');
      return { kind: 'createType', name, type: this.type(), ifNotExists };
    }
    let type: SourceType;
    if (this.acceptWord('STREAM')) type = 'STREAM';
    else if (this.acceptWord('TABLE')) type = 'TABLE';
    else throw this.unexpected('expecting STREAM or TABLE');
    const ifNotExists = this.acceptWord('IF', 'NOT', 'EXISTS');
    const name = this.identifier();
    const columns = this.isSymbol('(') ? this.tableElements() : null;
    const properties = this.acceptWord('WITH') ? this.properties() : new Map<string, PropertyValue>();
    if (this.acceptWord('AS')) {
      const query = this.query();
      return { kind: 'createAsSelect', type, name, orReplace, ifNotExists, properties, query };
    }
    return { kind: 'createSource', type, name, orReplace, ifNotExists, readOnly, columns, properties };
  }

  private tableElements(): ColumnDef[] {
    this.expectSymbol('(');
    const cols = this.tableElementList();
    this.expectSymbol(')');
    return cols;
  }

  tableElementList(): ColumnDef[] {
    const cols: ColumnDef[] = [];
    do {
      const name = this.identifier();
      const type = this.type();
      let key = false;
      let primaryKey = false;
      let header: ColumnDef['header'] = null;
      if (this.acceptWord('PRIMARY', 'KEY')) primaryKey = key = true;
      else if (this.acceptWord('KEY')) key = true;
      else if (this.acceptWord('HEADERS')) header = { key: null };
      else if (this.acceptWord('HEADER')) {
        this.expectSymbol('(');
        header = { key: this.stringLiteral() };
        this.expectSymbol(')');
      }
      cols.push({ name, type, key, primaryKey, header });
    } while (this.acceptSymbol(','));
    return cols;
  }

  private properties(): Map<string, PropertyValue> {
    const props = new Map<string, PropertyValue>();
    this.expectSymbol('(');
    do {
      const key = this.identifier().toUpperCase();
      this.expectSymbol('=');
      props.set(key, this.propertyValue());
    } while (this.acceptSymbol(','));
    this.expectSymbol(')');
    return props;
  }

  /** A connector's settings: keys are Connect's names, kept as written when quoted ("connector.class" or 'topics'). */
  private connectorProperties(): Map<string, string> {
    const props = new Map<string, string>();
    this.expectSymbol('(');
    do {
      const key = this.tok.kind === 'string' ? this.stringLiteral() : this.identifier();
      this.expectSymbol('=');
      const value = this.propertyValue();
      props.set(key, value === null ? '' : String(value));
    } while (this.acceptSymbol(','));
    this.expectSymbol(')');
    return props;
  }

  private propertyValue(): PropertyValue {
    const e = this.primary();
    if (e.kind === 'literal') return e.value;
    if (e.kind === 'negate' && e.operand.kind === 'literal' && typeof e.operand.value === 'number')
      return -e.operand.value;
    if (e.kind === 'column') return e.name;
    throw this.unexpected('expecting a literal');
  }

  private insert(): StatementBody {
    this.expectWord('INTO');
    const targetPos = this.position();
    const target = this.identifier();
    if (this.isSymbol('(') || this.isWord('VALUES')) {
      let columns: string[] | null = null;
      if (this.acceptSymbol('(')) {
        columns = [];
        do columns.push(this.identifier());
        while (this.acceptSymbol(','));
        this.expectSymbol(')');
      }
      this.expectWord('VALUES');
      this.expectSymbol('(');
      const values: Expr[] = [];
      if (!this.isSymbol(')')) {
        do values.push(this.expression());
        while (this.acceptSymbol(','));
      }
      this.expectSymbol(')');
      return { kind: 'insertValues', target, columns, values };
    }
    const properties = this.acceptWord('WITH') ? this.properties() : new Map<string, PropertyValue>();
    return { kind: 'insertInto', target, targetPos, properties, query: this.query() };
  }

  private alter(): StatementBody {
    let type: SourceType;
    if (this.acceptWord('STREAM')) type = 'STREAM';
    else if (this.acceptWord('TABLE')) type = 'TABLE';
    else throw this.unexpected('expecting STREAM or TABLE');
    const name = this.identifier();
    const columns: ColumnDef[] = [];
    do {
      this.expectWord('ADD');
      this.acceptWord('COLUMN');
      columns.push({ name: this.identifier(), type: this.type(), key: false, primaryKey: false, header: null });
    } while (this.acceptSymbol(','));
    return { kind: 'alter', type, name, columns };
  }

  private drop(): StatementBody {
    let type: SourceType | 'TYPE' | 'CONNECTOR';
    if (this.acceptWord('STREAM')) type = 'STREAM';
    else if (this.acceptWord('TABLE')) type = 'TABLE';
    else if (this.acceptWord('TYPE')) type = 'TYPE';
    else if (this.acceptWord('CONNECTOR')) type = 'CONNECTOR';
    else throw this.unexpected('expecting STREAM, TABLE, TYPE or CONNECTOR');
    const ifExists = this.acceptWord('IF', 'EXISTS');
    const name = this.identifier();
    const deleteTopic = this.acceptWord('DELETE', 'TOPIC');
    return { kind: 'drop', type, name, ifExists, deleteTopic };
  }

  // ------------------------------------------------------------ queries

  query(): Query {
    this.expectWord('SELECT');
    const select = this.selectItems();
    this.expectWord('FROM');
    const from = this.relation();
    let window: WindowSpec | null = null;
    let where: Expr | null = null;
    let groupBy: Expr[] | null = null;
    let partitionBy: Expr[] | null = null;
    let having: Expr | null = null;
    let emit: Query['emit'] = null;
    let limit: number | null = null;
    if (this.acceptWord('WINDOW')) window = this.windowSpec();
    if (this.acceptWord('WHERE')) where = this.expression();
    if (this.acceptWord('GROUP', 'BY')) groupBy = this.valueList('GROUP BY');
    if (this.acceptWord('PARTITION', 'BY')) partitionBy = this.valueList('PARTITION BY');
    if (this.acceptWord('HAVING')) having = this.expression();
    if (this.acceptWord('EMIT')) {
      if (this.acceptWord('CHANGES')) emit = 'CHANGES';
      else if (this.acceptWord('FINAL')) emit = 'FINAL';
      else throw this.unexpected('expecting CHANGES or FINAL');
    }
    if (this.acceptWord('LIMIT')) limit = this.integer();
    return { select, from, window, where, groupBy, partitionBy, having, emit, limit };
  }

  /** GROUP BY and PARTITION BY take value expressions, not predicates (as ksqlDB's grammar). */
  private valueList(clause: string): Expr[] {
    const out: Expr[] = [];
    if (this.isSymbol('(') && this.isSymbol(')', this.peek())) {
      const t = this.tok;
      throw new SqlSyntaxError(t.line, t.column, t.text, `${clause} requires at least one expression`);
    }
    const parenthesised = this.isSymbol('(') && this.listInParens();
    if (parenthesised) this.expectSymbol('(');
    do out.push(this.valueExpression());
    while (this.acceptSymbol(','));
    if (parenthesised) this.expectSymbol(')');
    return out;
  }

  /** `GROUP BY (a, b)`: a parenthesised list at the start, spanning the whole clause. */
  private listInParens(): boolean {
    let depth = 0;
    for (let j = this.i; j < this.tokens.length; j++) {
      const t = this.tokens[j] as Token;
      if (this.isSymbol('(', t)) depth++;
      else if (this.isSymbol(')', t)) {
        depth--;
        if (depth === 0) {
          const next = this.tokens[j + 1] as Token;
          return !(next.kind === 'symbol' && next.value !== ';' && next.value !== ')');
        }
      } else if (depth === 1 && this.isSymbol(',', t)) return true;
    }
    return false;
  }

  private integer(): number {
    const t = this.tok;
    if (t.kind !== 'integer') throw this.unexpected('expecting an integer');
    this.i++;
    return Number(t.value);
  }

  private selectItems(): SelectItem[] {
    const items: SelectItem[] = [];
    do {
      if (this.acceptSymbol('*')) {
        items.push({ kind: 'all', source: null });
        continue;
      }
      if (this.isIdentifier() && this.isSymbol('.', this.peek()) && this.isSymbol('*', this.peek(2))) {
        const source = this.identifier();
        this.i += 2;
        items.push({ kind: 'all', source });
        continue;
      }
      const pos = this.position();
      const expr = this.expression();
      let alias: string | null = null;
      if (this.acceptWord('AS')) alias = this.identifier();
      else if (this.isIdentifier() && !this.isWord('FROM')) alias = this.identifier();
      items.push({ kind: 'expr', expr, alias, pos });
    } while (this.acceptSymbol(','));
    return items;
  }

  private aliasedSource(): AliasedSource {
    const pos = this.position();
    const name = this.identifier();
    let alias: string | null = null;
    if (this.acceptWord('AS')) alias = this.identifier();
    else if (this.isIdentifier()) alias = this.identifier();
    return { name, alias, pos };
  }

  private relation(): Relation {
    const from = this.aliasedSource();
    const joins: JoinClause[] = [];
    for (;;) {
      let type: JoinType | null = null;
      if (this.acceptWord('JOIN') || this.acceptWord('INNER', 'JOIN')) type = 'INNER';
      else if (this.acceptWord('LEFT', 'OUTER', 'JOIN') || this.acceptWord('LEFT', 'JOIN')) type = 'LEFT';
      else if (this.acceptWord('RIGHT', 'OUTER', 'JOIN') || this.acceptWord('RIGHT', 'JOIN')) type = 'RIGHT';
      else if (
        this.acceptWord('FULL', 'OUTER', 'JOIN') ||
        this.acceptWord('FULL', 'JOIN') ||
        this.acceptWord('OUTER', 'JOIN')
      )
        type = 'FULL';
      if (type === null) break;
      const right = this.aliasedSource();
      let within: WithinClause | null = null;
      if (this.acceptWord('WITHIN')) within = this.within();
      this.expectWord('ON');
      const on = this.expression();
      joins.push({ type, right, on, within });
    }
    return { from, joins };
  }

  private within(): WithinClause {
    let beforeMs: number;
    let afterMs: number;
    if (this.acceptSymbol('(')) {
      beforeMs = this.duration();
      this.expectSymbol(',');
      afterMs = this.duration();
      this.expectSymbol(')');
    } else {
      beforeMs = afterMs = this.duration();
    }
    let graceMs: number | null = null;
    if (this.acceptWord('GRACE', 'PERIOD')) graceMs = this.duration();
    return { beforeMs, afterMs, graceMs };
  }

  private duration(): number {
    const n = this.integer();
    const t = this.tok;
    const unit = t.kind === 'identifier' ? TIME_UNITS[t.value] : undefined;
    if (unit === undefined)
      throw this.unexpected('expecting a time unit (MILLISECONDS, SECONDS, MINUTES, HOURS, DAYS)');
    this.i++;
    return n * unit;
  }

  private windowSpec(): WindowSpec {
    // ksqlDB allows a window name before the type: WINDOW w TUMBLING (...)
    if (this.tok.kind === 'identifier' && this.peek().kind === 'identifier') this.i++;
    const t = this.tok;
    const type = t.kind === 'identifier' ? t.value : '';
    if (type !== 'TUMBLING' && type !== 'HOPPING' && type !== 'SESSION')
      throw this.unexpected('expecting TUMBLING, HOPPING or SESSION');
    this.i++;
    this.expectSymbol('(');
    let sizeMs = 0;
    let advanceMs: number | null = null;
    let retentionMs: number | null = null;
    let graceMs: number | null = null;
    if (type === 'SESSION') sizeMs = this.duration();
    else {
      this.expectWord('SIZE');
      sizeMs = this.duration();
    }
    while (this.acceptSymbol(',')) {
      if (this.acceptWord('ADVANCE', 'BY')) advanceMs = this.duration();
      else if (this.acceptWord('RETENTION')) retentionMs = this.duration();
      else if (this.acceptWord('GRACE', 'PERIOD')) graceMs = this.duration();
      else throw this.unexpected('expecting ADVANCE BY, RETENTION or GRACE PERIOD');
    }
    this.expectSymbol(')');
    if (type === 'SESSION') return { type, gapMs: sizeMs, retentionMs, graceMs };
    if (type === 'HOPPING' && advanceMs === null) throw this.unexpected('expecting ADVANCE BY');
    return { type, sizeMs, advanceMs: advanceMs ?? sizeMs, retentionMs, graceMs };
  }

  // ------------------------------------------------------------ types

  type(): SqlType {
    const t = this.tok;
    if (t.kind !== 'identifier' && t.kind !== 'quoted') {
      throw new SqlSyntaxError(
        t.line,
        t.column,
        t.text,
        `Syntax error at or near '${t.text}' at line ${t.line}:${t.column}`,
      );
    }
    this.i++;
    switch (t.value) {
      case 'BOOLEAN':
        return BOOLEAN;
      case 'INT':
      case 'INTEGER':
        return INTEGER;
      case 'BIGINT':
        return BIGINT;
      case 'DOUBLE':
        return DOUBLE;
      case 'STRING':
        return STRING;
      case 'VARCHAR':
        if (this.acceptSymbol('(')) {
          this.integer();
          this.expectSymbol(')');
        }
        return STRING;
      case 'BYTES':
        return BYTES;
      case 'DATE':
        return DATE;
      case 'TIME':
        return TIME;
      case 'TIMESTAMP':
        return TIMESTAMP;
      case 'DECIMAL': {
        this.expectSymbol('(');
        const precision = this.integer();
        this.expectSymbol(',');
        const scale = this.integer();
        this.expectSymbol(')');
        return decimal(precision, scale);
      }
      case 'ARRAY': {
        this.expectSymbol('<');
        const element = this.type();
        this.expectSymbol('>');
        return array(element);
      }
      case 'MAP': {
        this.expectSymbol('<');
        const key = this.type();
        this.expectSymbol(',');
        const value = this.type();
        this.expectSymbol('>');
        return map(key, value);
      }
      case 'STRUCT': {
        this.expectSymbol('<');
        const fields: StructField[] = [];
        if (!this.isSymbol('>')) {
          do fields.push({ name: this.identifier(), type: this.type() });
          while (this.acceptSymbol(','));
        }
        this.expectSymbol('>');
        return struct(fields);
      }
      default: {
        const custom = this.options.types?.get(t.value);
        if (custom !== undefined) return custom;
        throw new SqlSyntaxError(
          t.line,
          t.column,
          t.text,
          `Syntax error at or near '${t.text}' at line ${t.line}:${t.column}`,
        );
      }
    }
  }

  // ------------------------------------------------------------ expressions

  expression(): Expr {
    return this.or();
  }

  private or(): Expr {
    let left = this.and();
    while (this.acceptWord('OR')) left = { kind: 'logical', op: 'OR', left, right: this.and() };
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.acceptWord('AND')) left = { kind: 'logical', op: 'AND', left, right: this.not() };
    return left;
  }

  private not(): Expr {
    if (this.acceptWord('NOT')) return { kind: 'not', operand: this.not() };
    return this.predicate();
  }

  private predicate(): Expr {
    const operand = this.valueExpression();
    const t = this.tok;
    if (t.kind === 'symbol' && ['=', '<>', '!=', '<', '<=', '>', '>='].includes(t.value)) {
      this.i++;
      const op = (t.value === '!=' ? '<>' : t.value) as ComparisonOp;
      return { kind: 'comparison', op, left: operand, right: this.valueExpression() };
    }
    if (this.acceptWord('IS')) {
      const negated = this.acceptWord('NOT');
      if (this.acceptWord('NULL')) return { kind: 'isNull', operand, negated };
      this.expectWord('DISTINCT');
      this.expectWord('FROM');
      return { kind: 'isDistinct', left: operand, right: this.valueExpression(), negated };
    }
    const negated = this.isWord('NOT') && ['BETWEEN', 'IN', 'LIKE'].some((w) => this.isWord(w, this.peek()));
    if (negated) this.i++;
    if (this.acceptWord('BETWEEN')) {
      const low = this.valueExpression();
      this.expectWord('AND');
      return { kind: 'between', operand, low, high: this.valueExpression(), negated };
    }
    if (this.acceptWord('IN')) {
      this.expectSymbol('(');
      const list: Expr[] = [];
      do list.push(this.expression());
      while (this.acceptSymbol(','));
      this.expectSymbol(')');
      return { kind: 'in', operand, list, negated };
    }
    if (this.acceptWord('LIKE')) {
      const pattern = this.valueExpression();
      const escapeChar = this.acceptWord('ESCAPE') ? this.stringLiteral() : null;
      return { kind: 'like', operand, pattern, escape: escapeChar, negated };
    }
    return operand;
  }

  valueExpression(): Expr {
    let left = this.additive();
    while (this.acceptSymbol('||')) left = { kind: 'call', name: 'CONCAT', args: [left, this.additive()] };
    return left;
  }

  private additive(): Expr {
    let left = this.multiplicative();
    for (;;) {
      if (this.acceptSymbol('+')) left = { kind: 'arithmetic', op: '+', left, right: this.multiplicative() };
      else if (this.acceptSymbol('-')) left = { kind: 'arithmetic', op: '-', left, right: this.multiplicative() };
      else return left;
    }
  }

  private multiplicative(): Expr {
    let left = this.unary();
    for (;;) {
      const t = this.tok;
      if (t.kind === 'symbol' && (t.value === '*' || t.value === '/' || t.value === '%')) {
        this.i++;
        left = { kind: 'arithmetic', op: t.value, left, right: this.unary() };
      } else return left;
    }
  }

  private unary(): Expr {
    if (this.acceptSymbol('-')) {
      const operand = this.unary();
      if (operand.kind === 'literal' && typeof operand.value === 'number') {
        if (operand.type === 'DECIMAL') return { ...operand, value: -operand.value, text: `-${operand.text}` };
        return { ...operand, value: -operand.value } as Expr;
      }
      return { kind: 'negate', operand };
    }
    if (this.acceptSymbol('+')) return this.unary();
    return this.postfix();
  }

  private postfix(): Expr {
    let e = this.primary();
    for (;;) {
      if (this.acceptSymbol('[')) {
        const index = this.expression();
        this.expectSymbol(']');
        e = { kind: 'subscript', base: e, index };
      } else if (this.acceptSymbol('->')) {
        e = { kind: 'deref', base: e, field: this.identifier() };
      } else return e;
    }
  }

  primary(): Expr {
    const t = this.tok;
    switch (t.kind) {
      case 'string':
        this.i++;
        return { kind: 'literal', type: 'STRING', value: t.value };
      case 'integer': {
        this.i++;
        const value = Number(t.value);
        const type = value > 2147483647 ? 'BIGINT' : 'INTEGER';
        return { kind: 'literal', type, value };
      }
      case 'decimal':
        this.i++;
        return { kind: 'literal', type: 'DECIMAL', value: Number(t.value), text: t.value };
      case 'double':
        this.i++;
        return { kind: 'literal', type: 'DOUBLE', value: Number(t.value) };
      case 'symbol':
        if (t.value === '(') return this.parenthesised();
        throw this.unexpected();
      case 'eof':
        throw this.unexpected();
      default:
        return this.wordExpression();
    }
  }

  private parenthesised(): Expr {
    // (x, y) => body: a lambda
    if (this.looksLikeLambda()) return this.lambda();
    this.expectSymbol('(');
    const e = this.expression();
    this.expectSymbol(')');
    return e;
  }

  private looksLikeLambda(): boolean {
    let j = this.i;
    if (this.isSymbol('(', this.tokens[j])) {
      j++;
      for (;;) {
        const t = this.tokens[j] as Token;
        if (t.kind !== 'identifier' && t.kind !== 'quoted') return false;
        j++;
        if (this.isSymbol(',', this.tokens[j])) {
          j++;
          continue;
        }
        if (!this.isSymbol(')', this.tokens[j])) return false;
        j++;
        break;
      }
      return this.isSymbol('=>', this.tokens[j]);
    }
    const t = this.tokens[j] as Token;
    return (t.kind === 'identifier' || t.kind === 'quoted') && this.isSymbol('=>', this.tokens[j + 1]);
  }

  private lambda(): Expr {
    const params: string[] = [];
    if (this.acceptSymbol('(')) {
      do params.push(this.identifier());
      while (this.acceptSymbol(','));
      this.expectSymbol(')');
    } else params.push(this.identifier());
    this.expectSymbol('=>');
    const outer = this.lambdaParams;
    this.lambdaParams = [...outer, ...params];
    try {
      return { kind: 'lambda', params, body: this.expression() };
    } finally {
      this.lambdaParams = outer;
    }
  }

  private wordExpression(): Expr {
    const t = this.tok;
    const pos = this.position();
    if (t.kind === 'identifier') {
      switch (t.value) {
        case 'TRUE':
        case 'FALSE':
          this.i++;
          return { kind: 'literal', type: 'BOOLEAN', value: t.value === 'TRUE' };
        case 'NULL':
          this.i++;
          return { kind: 'literal', type: 'NULL', value: null };
        case 'CASE':
          this.i++;
          return this.caseExpression();
        case 'CAST': {
          if (!this.isSymbol('(', this.peek())) break;
          this.i += 2;
          const operand = this.expression();
          this.expectWord('AS');
          const type = this.type();
          this.expectSymbol(')');
          return { kind: 'cast', operand, type };
        }
        case 'ARRAY':
          if (this.isSymbol('[', this.peek())) {
            this.i += 2;
            const items: Expr[] = [];
            if (!this.isSymbol(']')) {
              do items.push(this.expression());
              while (this.acceptSymbol(','));
            }
            this.expectSymbol(']');
            return { kind: 'array', items };
          }
          break;
        case 'MAP':
          if (this.isSymbol('(', this.peek())) {
            this.i += 2;
            const entries: { key: Expr; value: Expr }[] = [];
            if (!this.isSymbol(')')) {
              do {
                const key = this.expression();
                this.expectSymbol(':=');
                entries.push({ key, value: this.expression() });
              } while (this.acceptSymbol(','));
            }
            this.expectSymbol(')');
            return { kind: 'map', entries };
          }
          break;
        case 'STRUCT':
          if (this.isSymbol('(', this.peek())) {
            this.i += 2;
            const fields: { name: string; value: Expr }[] = [];
            if (!this.isSymbol(')')) {
              do {
                const name = this.identifier();
                this.expectSymbol(':=');
                fields.push({ name, value: this.expression() });
              } while (this.acceptSymbol(','));
            }
            this.expectSymbol(')');
            return { kind: 'struct', fields };
          }
          break;
        case 'INTERVAL': {
          if (this.peek().kind !== 'integer') break;
          this.i++;
          const value = this.integer();
          const unit = this.identifier();
          return { kind: 'interval', value, unit };
        }
      }
      if (RESERVED.has(t.value) && !this.isSymbol('(', this.peek())) throw this.unexpected();
    }
    if (this.looksLikeLambda()) return this.lambda();
    const name = this.identifier();
    if (this.acceptSymbol('(')) return this.call(name);
    if (this.lambdaParams.includes(name)) return { kind: 'lambdaVar', name };
    if (this.isSymbol('.') && (this.peek().kind === 'identifier' || this.peek().kind === 'quoted')) {
      this.i++;
      return { kind: 'column', source: name, name: this.identifier(), pos };
    }
    return { kind: 'column', source: null, name, pos };
  }

  private call(name: string): Expr {
    if (this.acceptSymbol('*')) {
      this.expectSymbol(')');
      return { kind: 'call', name, args: [], star: true };
    }
    const args: Expr[] = [];
    if (!this.isSymbol(')')) {
      this.acceptWord('DISTINCT');
      do args.push(this.expression());
      while (this.acceptSymbol(','));
    }
    this.expectSymbol(')');
    return { kind: 'call', name, args };
  }

  private caseExpression(): Expr {
    const operand = this.isWord('WHEN') ? null : this.expression();
    const whens: { when: Expr; result: Expr }[] = [];
    while (this.acceptWord('WHEN')) {
      const when = this.expression();
      this.expectWord('THEN');
      whens.push({ when, result: this.expression() });
    }
    if (whens.length === 0) throw this.unexpected('expecting WHEN');
    const otherwise = this.acceptWord('ELSE') ? this.expression() : null;
    this.expectWord('END');
    return { kind: 'case', operand, whens, otherwise };
  }
}

type Relation = Query['from'];
