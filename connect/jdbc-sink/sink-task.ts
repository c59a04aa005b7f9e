/**
 * The JDBC sink task: writes each batch of records it is given in one
 * transaction, as batched multi-row statements, and returns only once
 * PostgreSQL has committed, so the worker commits Kafka offsets after the
 * rows are durable (a crash replays, and upserts make the replay harmless).
 *
 * Within a batch, records are buffered per table; a changed key or value
 * schema flushes that table's buffer first (its columns may differ). With a
 * primary key in upsert or update mode, the last record per key wins inside
 * a batch: ON CONFLICT cannot touch one row twice in a statement.
 *
 * A database that cannot be reached is retried max.retries times,
 * retry.backoff.ms apart; then put() throws and the task fails. An error
 * that retrying cannot fix (a value the column refuses) with an errant
 * record reporter (errors.tolerance=all) replays the batch record by record
 * and reports the records that fail, as the connector does.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { Logger } from '../../logging/index.ts';
import { type ConnectSchema, DataException, type SinkRecord, schemaFingerprint } from '../converters/index.ts';
import { type JdbcSinkConfig, tableNameFor } from './config.ts';
import { type FieldsMetadata, fieldsMetadata } from './fields.ts';
import {
  bindValue,
  deleteStatement,
  insertStatement,
  maxRowsPerStatement,
  type Statement,
  type StatementColumn,
  updateStatement,
} from './postgres-dialect.ts';
import { TableManager } from './table-manager.ts';

export interface ErrantRecordReporter {
  report(record: SinkRecord, error: Error): Promise<void>;
}

type Operation = { kind: 'write'; row: unknown[] } | { kind: 'delete'; key: unknown[] };

interface TableBuffer {
  table: string;
  keySchema: string;
  /** null while the buffer holds deletes only. */
  valueSchema: string | null;
  fields: FieldsMetadata;
  /** Keyed by primary key when the last record per key wins; else in arrival order. */
  operations: Map<unknown, Operation> | Operation[];
}

const TRANSIENT_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

/** Errors a later attempt may not meet: connections, resources, shutdowns, serialization failures, deadlocks. */
export function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (/^(08|53|57P)/.test(code) || code === '40001' || code === '40P01') return true;
    if (TRANSIENT_NODE_CODES.has(code)) return true;
  }
  return /Connection terminated|connection is closed|Client has encountered a connection error|not queryable|timeout expired/i.test(
    (error as Error).message ?? '',
  );
}

export class JdbcSinkTask {
  private client: pg.Client | undefined;
  private readonly tables: TableManager;
  private readonly statementNames = new Map<string, string>();
  private readonly collapse: boolean;

  constructor(
    private readonly config: JdbcSinkConfig,
    private readonly logger: Logger,
    private readonly reporter?: ErrantRecordReporter,
  ) {
    this.tables = new TableManager(config);
    this.collapse = config.pkMode !== 'none' && config.insertMode !== 'insert';
  }

  private async connection(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = new pg.Client({ connectionString: this.config.connectionString, connectionTimeoutMillis: 10_000 });
    // A server that goes away emits 'error' on an idle client; the next query notices and reconnects.
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'PostgreSQL connection lost');
      if (this.client === client) this.client = undefined;
    });
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    return client;
  }

  private async dropConnection(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  /** Writes every record, or throws: a ConnectException-like error whose message says what to do. */
  async put(records: SinkRecord[], keepAlive: () => Promise<void> = async () => {}): Promise<void> {
    if (records.length === 0) return;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.writeInTransaction(records);
        return;
      } catch (error) {
        this.tables.reset();
        if (isTransient(error)) {
          await this.dropConnection();
          if (attempt >= this.config.maxRetries) {
            throw new Error(
              `Writing to PostgreSQL at ${this.config.connectionUrl} failed ${attempt + 1} times (max.retries=${this.config.maxRetries}); last error: ${(error as Error).message}. Check the database is up and reachable, then restart the connector: its records are not lost, they are read again from the last committed offset.`,
              { cause: error },
            );
          }
          this.logger.warn(
            { err: error, attempt: attempt + 1, maxRetries: this.config.maxRetries },
            `write failed; retrying in ${this.config.retryBackoffMs} ms`,
          );
          await this.backoff(keepAlive);
          continue;
        }
        if (this.reporter) {
          await this.writeOneByOne(records);
          return;
        }
        throw describeFailure(error, records);
      }
    }
  }

  private async backoff(keepAlive: () => Promise<void>): Promise<void> {
    // Keep the consumer's group membership alive through long backoffs.
    let remaining = this.config.retryBackoffMs;
    while (remaining > 0) {
      const step = Math.min(remaining, 1000);
      await sleep(step);
      remaining -= step;
      await keepAlive().catch(() => undefined);
    }
  }

  private async writeOneByOne(records: SinkRecord[]): Promise<void> {
    for (const record of records) {
      try {
        await this.writeInTransaction([record]);
      } catch (error) {
        this.tables.reset();
        if (isTransient(error)) throw error;
        await this.reporter!.report(record, describeFailure(error, [record]));
      }
    }
  }

  private async writeInTransaction(records: SinkRecord[]): Promise<void> {
    const client = await this.connection();
    await client.query('BEGIN');
    try {
      const buffers = new Map<string, TableBuffer>();
      for (const record of records) {
        const buffer = await this.bufferFor(client, buffers, record);
        if (buffer) this.add(buffer, record);
      }
      for (const buffer of buffers.values()) await this.flush(client, buffer);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /** The buffer a record goes to, flushing the table's previous one when its schemas changed. */
  private async bufferFor(client: pg.Client, buffers: Map<string, TableBuffer>, record: SinkRecord) {
    const tombstone = record.value === null || record.value === undefined;
    if (tombstone && !this.config.deleteEnabled) return undefined; // nothing to write; delete.enabled=false ignores tombstones
    const table = tableNameFor(this.config, record.topic);
    const keySchema = schemaFingerprint(this.config.pkMode === 'record_key' ? record.keySchema : null);
    const valueSchema = tombstone ? null : schemaFingerprint(record.valueSchema);
    let buffer = buffers.get(table);
    const sameShape =
      buffer &&
      buffer.keySchema === keySchema &&
      (valueSchema === null || buffer.valueSchema === null || buffer.valueSchema === valueSchema);
    if (buffer && sameShape) {
      if (buffer.valueSchema === null && valueSchema !== null) {
        buffer.valueSchema = valueSchema;
        buffer.fields = fieldsMetadata(this.config, record, record.valueSchema as ConnectSchema);
      }
      return buffer;
    }
    if (buffer) await this.flush(client, buffer);
    buffer = {
      table,
      keySchema,
      valueSchema,
      fields: fieldsMetadata(this.config, record, tombstone ? null : record.valueSchema),
      operations: this.collapse || this.config.deleteEnabled ? new Map() : [],
    };
    buffers.set(table, buffer);
    return buffer;
  }

  private add(buffer: TableBuffer, record: SinkRecord): void {
    const { fields } = buffer;
    const tombstone = record.value === null || record.value === undefined;
    const operation: Operation = tombstone
      ? { kind: 'delete', key: fields.keyColumns.map((c) => bindValue(c.schema, c.read(record))) }
      : { kind: 'write', row: fields.allColumns.map((c) => bindValue(c.schema, c.read(record))) };
    if (Array.isArray(buffer.operations)) {
      buffer.operations.push(operation);
      return;
    }
    const key = operation.kind === 'delete' ? operation.key : operation.row.slice(0, fields.keyColumns.length);
    const identity = key.length === 1 && typeof key[0] !== 'object' ? key[0] : JSON.stringify(key);
    if (!this.collapse) {
      // insert mode with deletes: keep arrival order; a unique key per record keeps every insert.
      buffer.operations.set(Symbol(), operation);
      return;
    }
    buffer.operations.delete(identity); // re-inserting moves the key to the end: arrival order of last writes
    buffer.operations.set(identity, operation);
  }

  private async flush(client: pg.Client, buffer: TableBuffer): Promise<void> {
    const operations = Array.isArray(buffer.operations) ? buffer.operations : [...buffer.operations.values()];
    buffer.operations = Array.isArray(buffer.operations) ? [] : new Map();
    if (operations.length === 0) return;
    const onlyDeletes = buffer.valueSchema === null;
    const { keys, nonKeys } = onlyDeletes
      ? await this.keyColumnsForDeletes(client, buffer)
      : await this.tables.ensure(client, buffer.table, buffer.fields);
    if (keys.length === 0 && onlyDeletes) return; // the table does not exist: nothing to delete
    // Consecutive operations of one kind go out together, in order.
    let start = 0;
    while (start < operations.length) {
      const kind = operations[start]!.kind;
      let end = start;
      while (end < operations.length && operations[end]!.kind === kind) end++;
      const run = operations.slice(start, end);
      if (kind === 'write') {
        await this.execute(
          client,
          keys,
          nonKeys,
          run.map((op) => (op as { row: unknown[] }).row),
          (rows) => {
            if (this.config.insertMode === 'update')
              return updateStatement(buffer.table, keys, nonKeys, rows, this.config.quoteIdentifiers);
            return insertStatement(
              buffer.table,
              keys,
              nonKeys,
              rows,
              this.config.insertMode,
              this.config.quoteIdentifiers,
            );
          },
        );
      } else {
        await this.execute(
          client,
          keys,
          [],
          run.map((op) => (op as { key: unknown[] }).key),
          (rows) => deleteStatement(buffer.table, keys, rows, this.config.quoteIdentifiers),
        );
      }
      start = end;
    }
  }

  private async keyColumnsForDeletes(client: pg.Client, buffer: TableBuffer) {
    const exists = await client.query('SELECT to_regclass($1) IS NOT NULL AS present', [
      buffer.table
        .split('.')
        .map((p) => (this.config.quoteIdentifiers ? `"${p.replaceAll('"', '""')}"` : p))
        .join('.'),
    ]);
    if (!exists.rows[0]?.present) return { keys: [] as StatementColumn[], nonKeys: [] as StatementColumn[] };
    const { keys } = await this.tables.ensure(client, buffer.table, {
      ...buffer.fields,
      valueColumns: [],
      allColumns: buffer.fields.keyColumns,
    });
    return { keys, nonKeys: [] as StatementColumn[] };
  }

  private async execute(
    client: pg.Client,
    keys: StatementColumn[],
    nonKeys: StatementColumn[],
    rows: unknown[][],
    build: (rows: unknown[][]) => Statement | undefined,
  ): Promise<void> {
    const chunk = maxRowsPerStatement([...keys, ...nonKeys], this.config.batchSize);
    for (let i = 0; i < rows.length; i += chunk) {
      const statement = build(rows.slice(i, i + chunk));
      if (!statement) continue;
      // The unnest form's text depends only on table and columns: prepare it once per connection.
      let name = this.statementNames.get(statement.text);
      if (!name && !statement.text.includes('(VALUES')) {
        name = `tally_sink_${this.statementNames.size + 1}`;
        this.statementNames.set(statement.text, name);
      }
      await client.query({ text: statement.text, values: statement.values, ...(name && { name }) });
    }
  }

  async stop(): Promise<void> {
    await this.dropConnection();
  }
}

/** A failed write as an error that says which records and what the database said. */
function describeFailure(error: unknown, records: SinkRecord[]): Error {
  if (error instanceof DataException) return error;
  const first = records[0]!;
  const last = records[records.length - 1]!;
  const where =
    records.length === 1
      ? `record at ${first.topic}-${first.partition} offset ${first.offset}`
      : `batch of ${records.length} records from ${first.topic}-${first.partition} offsets ${first.offset}..${last.offset}`;
  const pgError = error as { code?: string; detail?: string; message: string };
  const detail = pgError.detail ? ` (${pgError.detail})` : '';
  return new Error(
    `PostgreSQL refused the ${where}: ${pgError.message}${detail}${pgError.code ? ` [SQLSTATE ${pgError.code}]` : ''}. Fix the table or the data; with errors.tolerance=all and errors.deadletterqueue.topic.name set, bad records go to the dead letter queue instead.`,
    { cause: error },
  );
}
