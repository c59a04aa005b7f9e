/** InitProducerId, AddPartitionsToTxn, AddOffsetsToTxn and EndTxn, answered by the transaction coordinator. */
import type {
  AddOffsetsToTxnRequest,
  AddOffsetsToTxnResponse,
  AddPartitionsToTxnRequest,
  AddPartitionsToTxnResponse,
  EndTxnRequest,
  EndTxnResponse,
  InitProducerIdRequest,
  InitProducerIdResponse,
} from '../protocol/index.ts';
import { ERROR_CODES } from '../protocol/index.ts';
import type { BrokerContext } from './context.ts';

export async function initProducerId(
  context: BrokerContext,
  request: InitProducerIdRequest,
): Promise<InitProducerIdResponse> {
  const result = await context.transactions.initProducerId(request.transactionalId, request.transactionTimeoutMs);
  return {
    throttleTimeMs: 0,
    errorCode: result.errorCode,
    producerId: BigInt(result.producerId),
    producerEpoch: result.producerEpoch,
  };
}

export async function addPartitionsToTxn(
  context: BrokerContext,
  request: AddPartitionsToTxnRequest,
): Promise<AddPartitionsToTxnResponse> {
  const unknown = request.topics.flatMap((t) =>
    t.partitions.filter((p) => !context.topics.partition(t.name, p)).map((p) => `${t.name}-${p}`),
  );
  // Kafka answers every partition with the same outcome; unknown partitions fail the whole request.
  const errorCode =
    unknown.length > 0
      ? ERROR_CODES.UNKNOWN_TOPIC_OR_PARTITION
      : await context.transactions.addPartitions(
          request.transactionalId,
          Number(request.producerId),
          request.producerEpoch,
          request.topics.flatMap((t) => t.partitions.map((partition) => ({ topic: t.name, partition }))),
        );
  return {
    throttleTimeMs: 0,
    results: request.topics.map((t) => ({
      name: t.name,
      results: t.partitions.map((partitionIndex) => ({ partitionIndex, errorCode })),
    })),
  };
}

export async function addOffsetsToTxn(
  context: BrokerContext,
  request: AddOffsetsToTxnRequest,
): Promise<AddOffsetsToTxnResponse> {
  const errorCode = await context.transactions.addOffsets(
    request.transactionalId,
    Number(request.producerId),
    request.producerEpoch,
    request.groupId,
  );
  return { throttleTimeMs: 0, errorCode };
}

export async function endTxn(context: BrokerContext, request: EndTxnRequest): Promise<EndTxnResponse> {
  const errorCode = await context.transactions.endTransaction(
    request.transactionalId,
    Number(request.producerId),
    request.producerEpoch,
    request.committed,
  );
  return { throttleTimeMs: 0, errorCode };
}
