/**
 * connect/: Tally's Kafka Connect worker and schema registry, the embedded
 * stand-ins for cp-kafka-connect (with the JDBC sink) and
 * cp-schema-registry. They speak the real REST APIs and keep their state in
 * Kafka the way the real services do, so clients, connector configs and
 * topics move between the two stacks unchanged.
 *
 *   schema-registry/  the registry service (REST, `_schemas` store, compatibility) and its HTTP client
 *   serde/            the Confluent wire format: serializers and deserializers shared with the engine
 *   converters/       bytes to Connect data: Avro, JSON Schema, JSON (schemas.enable), String
 *   jdbc-sink/        io.confluent.connect.jdbc.JdbcSinkConnector for PostgreSQL
 *   worker/           the Connect worker: REST API, configs and statuses in Kafka, sink task runner, DLQ
 *   storage/          compacted topics read to their end on start (KafkaBasedLog)
 *   connectors/       versioned connector configs (JSON), applied with PUT /connectors/<name>/config
 *   apply/            `tally connectors apply`: reads connectors/ and PUTs each config (create or update)
 *
 * Contract:
 *   - startSchemaRegistry / startConnectWorker start the services (port 0 picks one) and stop them cleanly.
 *   - SchemaRegistryClient, RegistrySerializer and RegistryDeserializer are what other components use
 *     to read and write AVRO and JSON_SR records.
 *   - A sink commits a partition's offsets only after PostgreSQL committed the rows read up to them.
 */
export { type AppliedConnector, applyConnectors } from './apply/apply.ts';
export { DEFAULT_CONNECTORS_DIR, readConnectorDir } from './apply/connector-files.ts';
export { type ConnectSchema, createConverter, type SinkRecord } from './converters/index.ts';
export { parseJdbcSinkConfig } from './jdbc-sink/config.ts';
export { type RegisteredSchema, SchemaRegistryClient, SchemaRegistryError } from './schema-registry/client.ts';
export type { CompatibilityLevel, SchemaType } from './schema-registry/schema-types.ts';
export { type SchemaRegistryServer, startSchemaRegistry } from './schema-registry/server.ts';
export {
  decodeWireFormat,
  encodeWireFormat,
  RegistryDeserializer,
  RegistrySerializer,
  SerializationError,
  subjectName,
} from './serde/index.ts';
export { type ConnectWorkerServer, startConnectWorker } from './worker/server.ts';
export type { ConnectorStatus } from './worker/worker.ts';
