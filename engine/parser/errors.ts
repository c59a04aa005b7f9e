/**
 * A statement that does not parse. The message follows ksqlDB's
 * ("line 2:15: Syntax Error\nUnexpected 'FROM'"), columns counted from 1 as
 * ksqlDB prints them (ANTLR position + 1), lines from 1.
 */
export class SqlSyntaxError extends Error {
  override name = 'ParseFailedException';

  constructor(
    readonly line: number,
    readonly column: number,
    readonly token: string,
    readonly detail: string,
  ) {
    super(`line ${line}:${column}: Syntax Error\n${detail}`);
  }
}
