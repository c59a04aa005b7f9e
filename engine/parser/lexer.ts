/**
 * The ksqlDB lexer: SQL text -> tokens with their line and column.
 *
 *   identifier   letter (letter | digit | '_' | '@' | '$')*   upper-cased, as ksqlDB does
 *   `quoted`     backticks or double quotes; kept as written ('' / `` escape)
 *   'string'     single quotes, '' is one quote
 *   number       digits [. digits] [E [+-] digits]
 *   variable     ${name}, replaced before lexing (see substituteVariables)
 *   comments     -- to end of line, and /* ... *\/
 */
import { SqlSyntaxError } from './errors.ts';

export type TokenKind = 'identifier' | 'quoted' | 'string' | 'integer' | 'decimal' | 'double' | 'symbol' | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** Identifiers upper-cased; strings without quotes; symbols as written. */
  readonly value: string;
  /** The text as written, for error messages. */
  readonly text: string;
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

const SYMBOLS = [
  '=>',
  ':=',
  '->',
  '<>',
  '!=',
  '<=',
  '>=',
  '||',
  '(',
  ')',
  ',',
  ';',
  '.',
  '[',
  ']',
  '<',
  '>',
  '=',
  '+',
  '-',
  '*',
  '/',
  '%',
  ':',
];

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const at = (offset: number) => ({ line, column: offset - lineStart + 1, offset });
  const advanceLines = (from: number, to: number) => {
    for (let j = from; j < to; j++) {
      if (sql[j] === '\n') {
        line++;
        lineStart = j + 1;
      }
    }
  };
  while (i < sql.length) {
    const c = sql[i] as string;
    if (c === '\n') {
      line++;
      i++;
      lineStart = i;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      while (i < sql.length && sql[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end < 0 ? sql.length : end + 2;
      advanceLines(i, stop);
      i = stop;
      continue;
    }
    const pos = at(i);
    if (c === "'" || c === '`' || c === '"') {
      let j = i + 1;
      let value = '';
      for (;;) {
        if (j >= sql.length)
          throw new SqlSyntaxError(pos.line, pos.column, c, `unterminated ${c === "'" ? 'string' : 'identifier'}`);
        const d = sql[j] as string;
        if (d === c) {
          if (sql[j + 1] === c) {
            value += c;
            j += 2;
            continue;
          }
          break;
        }
        value += d;
        j++;
      }
      const text = sql.slice(i, j + 1);
      tokens.push({ kind: c === "'" ? 'string' : 'quoted', value, text, ...pos });
      advanceLines(i, j + 1);
      i = j + 1;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      const m = /^(\d*)(\.\d*)?([eE][+-]?\d+)?/.exec(sql.slice(i)) as RegExpExecArray;
      const text = m[0];
      const kind: TokenKind = m[3] ? 'double' : m[2] ? 'decimal' : 'integer';
      tokens.push({ kind, value: text, text, ...pos });
      i += text.length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_@$]*/.exec(sql.slice(i)) as RegExpExecArray;
      tokens.push({ kind: 'identifier', value: m[0].toUpperCase(), text: m[0], ...pos });
      i += m[0].length;
      continue;
    }
    const symbol = SYMBOLS.find((s) => sql.startsWith(s, i));
    if (symbol === undefined) throw new SqlSyntaxError(pos.line, pos.column, c, `unexpected character '${c}'`);
    tokens.push({ kind: 'symbol', value: symbol, text: symbol, ...pos });
    i += symbol.length;
  }
  tokens.push({ kind: 'eof', value: '<EOF>', text: '<EOF>', ...at(i) });
  return tokens;
}

/** Replaces ${name} with DEFINEd values, as ksqlDB does before parsing (unknown names stay). */
export function substituteVariables(sql: string, variables: ReadonlyMap<string, string>): string {
  if (variables.size === 0) return sql;
  return sql.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => {
    return variables.get(name.toUpperCase()) ?? whole;
  });
}
