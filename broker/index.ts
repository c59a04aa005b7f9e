/**
 * broker/: an embedded Kafka broker that real clients (kafkajs, librdkafka,
 * kcat, the Python clients) cannot tell from a one-node Kafka.
 *
 *   protocol/  the wire codec, one folder per API
 *   records/   record batches (v2), CRC-32C, compression, control records
 *   log/       durable partition logs: segments, indexes, recovery, compaction
 *   topics/    topics, partitions and their metadata
 *   group/     the consumer group coordinator
 *   txn/       the transaction coordinator
 *   internal/  coordinator state on internal topics, transaction markers
 *   handlers/  one function per request type
 *   server/    connections, framing, the Broker
 */
export { Broker, type BrokerOptions } from './server/broker.ts';
