/**
 * engine: ksqlDB's SQL dialect, compiled into topology/ topologies.
 *
 * Contract:
 * - `new KsqlEngine(options)` holds a metastore (streams, tables, topics,
 *   types, persistent queries). `execute(sql)` runs each statement in order
 *   and throws `KsqlStatementError` (a `SqlSyntaxError` for text that does
 *   not parse, with line, column and token) at the first that fails; a failed
 *   statement leaves the metastore unchanged.
 * - A statement travels parser/ -> analyzer/ -> planner/ (logical plan, then
 *   physical plan = a `Topology` built with the topology DSL) -> execution/,
 *   which registers a `PersistentQuery` (CSAS_<SINK>_<n>, CTAS_..., INSERTQUERY_<n>)
 *   whose topology reads and writes topics in the declared formats (serde/).
 *   Running topologies is the caller's job: a TopologyTestDriver in tests and
 *   in the conformance runner, KafkaStreams in server/.
 * - Records a query cannot process are written to `engine.processingLog`
 *   with the query, position and reason; processing goes on.
 * - server/ is the ksqlDB-compatible server (`tally ksql-server`): the REST
 *   API, the command topic, and every persistent query running on Kafka.
 * - conformance/ runs ksqlDB's query-validation tests (`tally conformance`).
 *
 * Other components import from this file only.
 */

export { AnalysisError } from './analyzer/expressions.ts';
export { conformanceCommand, DEFAULT_QTT_DIR, ksqlServerCommand } from './cli.ts';
export { type CaseResult, runCase } from './conformance/runner.ts';
export {
  type EngineOptions,
  type InsertedRecord,
  KsqlEngine,
  KsqlStatementError,
  type StatementResult,
} from './execution/engine.ts';
export { KsqlPipelineDriver, latestRowsOf, type PipelineRecord } from './execution/pipeline-driver.ts';
export { cacheMaxBytesOf } from './execution/query-properties.ts';
export { createFunctionRegistry, FunctionRegistry } from './functions/index.ts';
export type { DataSource, MetaStore, PersistentQuery } from './metastore/metastore.ts';
export type { Statement } from './parser/ast.ts';
export { SqlSyntaxError } from './parser/errors.ts';
export { parseStatements } from './parser/parser.ts';
export {
  PROCESSING_LOG_STREAM,
  ProcessingLogger,
  type ProcessingLogRecord,
  processingLogStreamSql,
  processingLogTopic,
  processingLogValue,
} from './processing-log/processing-log.ts';
export { InMemorySchemaRegistry, type SchemaRegistryClient } from './serde/schema-registry.ts';
export { KSQL_CONTENT_TYPE, type KsqlRestServer, startKsqlRestServer } from './server/app.ts';
export { commandTopicName } from './server/command-topic.ts';
export { formatType, type SqlType } from './types/sql-type.ts';
