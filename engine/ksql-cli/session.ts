/**
 * What ksqlDB's CLI does with the statements it reads: SELECTs stream through
 * `/query-stream` (rows printed as they come, until the query ends or is
 * interrupted), DEFINE/UNDEFINE/SET/UNSET and SHOW VARIABLES stay in the
 * session, RUN SCRIPT runs a file's statements, and everything else goes to
 * `/ksql` (consecutive statements in one request, as the real CLI sends them).
 * The first failing statement stops the rest.
 */
import fs from 'node:fs';
import {
  type KsqlClient,
  KsqlClientError,
  type KsqlEntity,
  type PushQuery,
  type QueryHeader,
} from '../client/ksql-client.ts';
import { leadingWords, splitSql, substituteVariables } from '../client/sql-statements.ts';
import { formatEntities } from './render.ts';
import { formatRow, formatRowHeader } from './table.ts';

export type OutputFormat = 'TABULAR' | 'JSON';

export interface SessionOutput {
  /** Results (stdout). */
  print(text: string): void;
  /** Errors (stderr). */
  printError(text: string): void;
}

export interface SessionOptions {
  readonly format?: OutputFormat;
  /** The console width (TabularRow shares it between the columns). */
  readonly width?: () => number;
  /** `--define` variables. */
  readonly variables?: ReadonlyMap<string, string>;
}

const SET_PROPERTY = /^\s*SET\s+'((?:[^']|'')*)'\s*=\s*'((?:[^']|'')*)'\s*;\s*$/is;
const UNSET_PROPERTY = /^\s*UNSET\s+'((?:[^']|'')*)'\s*;\s*$/is;
const DEFINE_VARIABLE = /^\s*DEFINE\s+([a-zA-Z_][a-zA-Z0-9_@]*)\s*=\s*'((?:[^']|'')*)'\s*;\s*$/is;
const UNDEFINE_VARIABLE = /^\s*UNDEFINE\s+([a-zA-Z_][a-zA-Z0-9_@]*)\s*;\s*$/is;
const RUN_SCRIPT = /^\s*RUN\s+SCRIPT\s+'((?:[^']|'')*)'\s*;\s*$/is;

const unquote = (text: string) => text.replaceAll("''", "'");

export class KsqlCliSession {
  format: OutputFormat;
  readonly variables = new Map<string, string>();
  readonly properties: Record<string, string> = {};
  private readonly width: () => number;
  private running: PushQuery | null = null;
  private interrupted = false;

  constructor(
    readonly client: KsqlClient,
    private readonly out: SessionOutput,
    options: SessionOptions = {},
  ) {
    this.format = options.format ?? 'TABULAR';
    this.width = options.width ?? (() => 80);
    for (const [name, value] of options.variables ?? []) this.variables.set(name.toUpperCase(), value);
  }

  /** Runs every complete statement of `text`; false when one failed (the rest are not run). */
  async executeText(text: string): Promise<boolean> {
    const { statements, rest, unclosed } = splitSql(text);
    if (unclosed || rest.trim() !== '') {
      const ok = await this.executeStatements(statements);
      if (!ok) return false;
      this.out.printError(`line ${text.split('\n').length}:${rest.length}: Syntax Error\nmissing ';' at end of input`);
      return false;
    }
    return this.executeStatements(statements);
  }

  async executeStatements(statements: readonly string[]): Promise<boolean> {
    let batch: string[] = [];
    const flush = async () => {
      if (batch.length === 0) return true;
      const sql = batch.join('\n');
      batch = [];
      return this.runKsql(sql);
    };
    for (const statement of statements) {
      const words = leadingWords(statement, 3);
      const local = this.localStatement(statement, words);
      if (local === 'batch') {
        batch.push(statement);
        continue;
      }
      if (!(await flush())) return false;
      if (!(await local())) return false;
    }
    return flush();
  }

  /** Closes the running query, as Ctrl-C does; true when there was one. */
  interrupt(): boolean {
    if (!this.running) return false;
    this.interrupted = true;
    void this.running.close().catch(() => {});
    return true;
  }

  get queryRunning(): boolean {
    return this.running !== null;
  }

  private localStatement(statement: string, words: string[]): 'batch' | (() => Promise<boolean>) {
    const [first, second] = words;
    if (first === 'SELECT') return () => this.runQuery(statement);
    if (first === 'DEFINE') {
      return async () => {
        const match = DEFINE_VARIABLE.exec(statement);
        if (!match) return this.fail(`Invalid DEFINE statement: ${statement}`);
        this.variables.set(
          (match[1] as string).toUpperCase(),
          substituteVariables(unquote(match[2] as string), this.variables),
        );
        return true;
      };
    }
    if (first === 'UNDEFINE') {
      return async () => {
        const match = UNDEFINE_VARIABLE.exec(statement);
        if (!match) return this.fail(`Invalid UNDEFINE statement: ${statement}`);
        this.variables.delete((match[1] as string).toUpperCase());
        return true;
      };
    }
    if ((first === 'SHOW' || first === 'LIST') && second === 'VARIABLES') {
      return async () => {
        this.printEntities([
          {
            '@type': 'variables',
            statementText: statement,
            variables: [...this.variables].map(([name, value]) => ({ name, value })),
            warnings: [],
          },
        ]);
        return true;
      };
    }
    if (first === 'SET') {
      return async () => {
        const match = SET_PROPERTY.exec(statement);
        if (!match) return this.fail(`Invalid SET statement: ${statement}`);
        const [name, value] = [unquote(match[1] as string), unquote(match[2] as string)];
        const old = this.properties[name];
        this.properties[name] = value;
        this.out.print(
          old === undefined
            ? `Successfully changed local property '${name}' to '${value}'. Use the UNSET command to revert your change.`
            : `Successfully changed local property '${name}' from '${old}' to '${value}'.`,
        );
        return true;
      };
    }
    if (first === 'UNSET') {
      return async () => {
        const match = UNSET_PROPERTY.exec(statement);
        if (!match) return this.fail(`Invalid UNSET statement: ${statement}`);
        const name = unquote(match[1] as string);
        const old = this.properties[name];
        delete this.properties[name];
        this.out.print(`Successfully unset local property '${name}' (value was '${old ?? 'NULL'}').`);
        return true;
      };
    }
    if (first === 'RUN' && second === 'SCRIPT') {
      return async () => {
        const match = RUN_SCRIPT.exec(statement);
        if (!match) return this.fail(`Invalid RUN SCRIPT statement: ${statement}`);
        const file = substituteVariables(unquote(match[1] as string), this.variables);
        let content: string;
        try {
          content = fs.readFileSync(file, 'utf8');
        } catch (error) {
          return this.fail(
            `Failed to read file: ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
          );
        }
        return this.executeText(content);
      };
    }
    return 'batch';
  }

  private fail(message: string): false {
    this.out.printError(message);
    return false;
  }

  private get sessionVariables(): Record<string, string> {
    return Object.fromEntries(this.variables);
  }

  private printEntities(entities: readonly KsqlEntity[]): void {
    if (entities.length === 0) return;
    this.out.print(this.format === 'JSON' ? JSON.stringify(entities, null, 2) : formatEntities(entities, this.width()));
  }

  private printError(error: unknown): false {
    if (error instanceof KsqlClientError) {
      if (error.entities.length > 0) this.printEntities(error.entities);
      return this.fail(error.message);
    }
    throw error;
  }

  private async runKsql(sql: string): Promise<boolean> {
    try {
      const entities = await this.client.execute(sql, {
        streamsProperties: { ...this.properties },
        sessionVariables: this.sessionVariables,
      });
      this.printEntities(entities);
      return true;
    } catch (error) {
      return this.printError(error);
    }
  }

  private printHeader(header: QueryHeader): void {
    if (this.format === 'JSON') {
      const schema = header.columnNames.map((name, i) => `\`${name}\` ${header.columnTypes[i] ?? ''}`).join(', ');
      this.out.print(JSON.stringify({ header: { queryId: header.queryId ?? '', schema } }, null, 2));
    } else {
      this.out.print(formatRowHeader(header.columnNames, this.width()));
    }
  }

  private async runQuery(sql: string): Promise<boolean> {
    this.interrupted = false;
    let query: PushQuery;
    try {
      query = await this.client.streamQuery(sql, {
        streamsProperties: { ...this.properties },
        sessionVariables: this.sessionVariables,
      });
    } catch (error) {
      return this.printError(error);
    }
    this.running = query;
    try {
      this.printHeader(query.header);
      for await (const row of query.rows) {
        this.out.print(
          this.format === 'JSON' ? JSON.stringify({ row: { columns: row } }, null, 2) : formatRow(row, this.width()),
        );
        if (this.interrupted) break;
      }
      this.out.print('Query terminated');
      return true;
    } catch (error) {
      if (this.interrupted) {
        this.out.print('Query terminated');
        return true;
      }
      return this.printError(error);
    } finally {
      this.running = null;
      if (!this.interrupted) await query.close().catch(() => {});
    }
  }
}
