/**
 * broker/txn: the transaction coordinator (producer ids and epochs,
 * transaction states, markers, timeouts) and its persisted log records.
 */
export {
  type InitProducerIdResult,
  type TransactionalOffsets,
  TransactionCoordinator,
  type TransactionCoordinatorOptions,
  type TransactionMarkerWriter,
} from './transaction-coordinator.ts';
export {
  InMemoryTransactionLogStore,
  type TopicPartitionRef,
  type TransactionLogRecord,
  type TransactionLogStore,
  type TransactionMetadata,
  type TransactionState,
} from './transaction-log.ts';
