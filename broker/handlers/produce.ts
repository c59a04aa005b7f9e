/** Produce: append each partition's batches; with acks=0 the client gets no answer at all. */
import {
  ERROR_CODES,
  type ProducePartitionResponse,
  type ProduceRequest,
  type ProduceResponse,
} from '../protocol/index.ts';
import { NO_RESPONSE } from '../server/connection.ts';
import type { BrokerContext } from './context.ts';

export async function produce(context: BrokerContext, request: ProduceRequest): Promise<ProduceResponse | symbol> {
  const validAcks = request.acks === 0 || request.acks === 1 || request.acks === -1;
  const responses = await Promise.all(
    request.topics.map(async (topicData) => ({
      name: topicData.name,
      partitions: await Promise.all(
        topicData.partitions.map(async ({ index, records }): Promise<ProducePartitionResponse> => {
          const failed = (errorCode: number, errorMessage: string | null = null): ProducePartitionResponse => ({
            index,
            errorCode,
            baseOffset: -1n,
            logAppendTimeMs: -1n,
            logStartOffset: -1n,
            recordErrors: [],
            errorMessage,
          });
          if (!validAcks)
            return failed(ERROR_CODES.INVALID_REQUIRED_ACKS, `acks must be -1, 0 or 1, not ${request.acks}`);
          const partition = context.topics.partition(topicData.name, index);
          if (!partition) return failed(ERROR_CODES.UNKNOWN_TOPIC_OR_PARTITION);
          if (!records || records.length === 0) return failed(ERROR_CODES.CORRUPT_MESSAGE, 'no record batches');
          const result = await partition.produce(records);
          if (result.errorCode !== 0) {
            context.logger.debug(
              { topic: topicData.name, partition: index, reason: result.errorMessage },
              'produce refused',
            );
          }
          return {
            index,
            errorCode: result.errorCode,
            baseOffset: BigInt(result.baseOffset),
            logAppendTimeMs: BigInt(result.logAppendTime),
            logStartOffset: BigInt(result.logStartOffset),
            recordErrors: [],
            errorMessage: result.errorMessage,
          };
        }),
      ),
    })),
  );
  if (request.acks === 0) return NO_RESPONSE;
  return { responses, throttleTimeMs: 0 };
}
