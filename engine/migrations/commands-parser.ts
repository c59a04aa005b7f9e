/**
 * What a migration file may hold (ksql-migrations' CommandParser): statements
 * split at `;` outside quotes, comments dropped, then each one classified.
 * DESCRIBE, EXPLAIN, SELECT, PRINT, SHOW, LIST and RUN SCRIPT are refused
 * with the real tool's message; SET/UNSET/DEFINE/UNDEFINE are handled by the
 * tool itself; everything else is sent to the server.
 */
import { leadingWords, splitSql, substituteVariables } from '../client/sql-statements.ts';
import { MigrationError } from './errors.ts';

export type MigrationCommand =
  | { readonly kind: 'statement'; readonly sql: string }
  | { readonly kind: 'insertValues'; readonly sql: string }
  | { readonly kind: 'connector'; readonly sql: string }
  | { readonly kind: 'set'; readonly sql: string; readonly property: string; readonly value: string }
  | { readonly kind: 'unset'; readonly sql: string; readonly property: string }
  | { readonly kind: 'define'; readonly sql: string; readonly variable: string; readonly value: string }
  | { readonly kind: 'undefine'; readonly sql: string; readonly variable: string };

const SET_PROPERTY = /^\s*SET\s+'((?:[^']*|(?:''))*)'\s*=\s*'((?:[^']*|(?:''))*)'\s*;\s*$/is;
const UNSET_PROPERTY = /^\s*UNSET\s+'((?:[^']*|(?:''))*)'\s*;\s*$/is;
const DEFINE_VARIABLE = /^\s*DEFINE\s+([a-zA-Z_][a-zA-Z0-9_@]*)\s*=\s*'((?:[^']*|(?:''))*)'\s*;\s*$/is;
const UNDEFINE_VARIABLE = /^\s*UNDEFINE\s+([a-zA-Z_][a-zA-Z0-9_@]*)\s*;\s*$/is;
const UNSUPPORTED = ['DESCRIBE', 'EXPLAIN', 'SELECT', 'PRINT', 'SHOW', 'LIST'];

/** The statements of a migration file; text after the last `;` is an error, as in the real tool. */
export function splitMigration(content: string): string[] {
  const { statements, rest, unclosed } = splitSql(content);
  if (unclosed === '/*') throw new MigrationError("Invalid sql - failed to find closing token '*/'");
  if (unclosed) throw new MigrationError(`Invalid sql - failed to find closing token '${unclosed}'`);
  if (rest.trim() !== '') {
    throw new MigrationError(`Unmatched command at end of file; missing semicolon: '${rest}'`);
  }
  return statements;
}

export function toMigrationCommand(sql: string, variables: ReadonlyMap<string, string>): MigrationCommand {
  // Whitespace-separated tokens, as the real tool splits them (quoted words included).
  const tokens = sql
    .toUpperCase()
    .split(/\s+/)
    .filter((t) => t !== '');
  const words = leadingWords(sql, 3);
  const substitute = (text: string) => substituteVariables(text, variables);
  if (
    tokens[0] === 'INSERT' &&
    tokens[1] === 'INTO' &&
    tokens.length > 3 &&
    tokens[3] !== 'SELECT' &&
    tokens.includes('VALUES')
  ) {
    return { kind: 'insertValues', sql };
  }
  if (words[0] === 'CREATE' && (words[1] === 'SINK' || words[1] === 'SOURCE') && words[2] === 'CONNECTOR') {
    return { kind: 'connector', sql };
  }
  if (tokens[0] === 'DROP' && tokens[1] === 'CONNECTOR') return { kind: 'connector', sql };
  if (tokens[0] === 'SET') {
    const match = SET_PROPERTY.exec(sql);
    if (!match) throw new MigrationError(`Invalid SET command: ${sql}`);
    return { kind: 'set', sql, property: substitute(match[1] as string), value: substitute(match[2] as string) };
  }
  if (tokens[0] === 'UNSET') {
    const match = UNSET_PROPERTY.exec(sql);
    if (!match) throw new MigrationError(`Invalid UNSET command: ${sql}`);
    return { kind: 'unset', sql, property: substitute(match[1] as string) };
  }
  if (tokens[0] === 'DEFINE') {
    const match = DEFINE_VARIABLE.exec(sql);
    if (!match) throw new MigrationError(`Invalid DEFINE command: ${sql}`);
    return { kind: 'define', sql, variable: match[1] as string, value: substitute(match[2] as string) };
  }
  if (tokens[0] === 'UNDEFINE') {
    const match = UNDEFINE_VARIABLE.exec(sql);
    if (!match) throw new MigrationError(`Invalid UNDEFINE command: ${sql}`);
    return { kind: 'undefine', sql, variable: match[1] as string };
  }
  if (tokens[0] !== undefined && UNSUPPORTED.includes(tokens[0])) {
    throw new MigrationError(`'${tokens[0]}' statements are not supported.`);
  }
  if (tokens[0] === 'RUN' && tokens[1] === 'SCRIPT')
    throw new MigrationError("'RUN SCRIPT' statements are not supported.");
  return { kind: 'statement', sql };
}
