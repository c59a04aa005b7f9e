/**
 * Fetch: whole batches from each partition, long-polling up to maxWaitMs
 * until minBytes are available. The response as a whole respects maxBytes,
 * except that the first batch found is always returned, however large, so
 * that a consumer can never be stuck behind a big batch (Kafka's rule).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ERROR_CODES,
  type FetchPartitionResponse,
  type FetchRequest,
  type FetchResponse,
  type FetchTopicResponse,
} from '../protocol/index.ts';
import type { BrokerContext } from './context.ts';

export async function fetch(context: BrokerContext, request: FetchRequest): Promise<FetchResponse> {
  const deadline = Date.now() + request.maxWaitMs;
  for (;;) {
    const { responses, bytes, errors } = await readOnce(context, request);
    const remaining = deadline - Date.now();
    if (bytes >= Math.max(1, request.minBytes) || errors || remaining <= 0 || context.stopping) {
      return { throttleTimeMs: 0, errorCode: 0, sessionId: 0, responses };
    }
    await waitForAppend(context, request, remaining);
  }
}

async function readOnce(context: BrokerContext, request: FetchRequest) {
  let budget = request.maxBytes > 0 ? request.maxBytes : Number.MAX_SAFE_INTEGER;
  let bytes = 0;
  let errors = false;
  const responses: FetchTopicResponse[] = [];
  for (const topic of request.topics) {
    const partitions: FetchPartitionResponse[] = [];
    for (const p of topic.partitions) {
      const partition = context.topics.partition(topic.topic, p.partition);
      if (!partition) {
        errors = true;
        partitions.push(emptyPartition(p.partition, ERROR_CODES.UNKNOWN_TOPIC_OR_PARTITION));
        continue;
      }
      const result = await partition.fetch(
        Number(p.fetchOffset),
        Math.min(p.partitionMaxBytes, budget),
        request.isolationLevel,
        bytes === 0,
      );
      if (result.errorCode !== 0) errors = true;
      const size = result.records?.length ?? 0;
      bytes += size;
      budget = Math.max(0, budget - size);
      partitions.push({
        partitionIndex: p.partition,
        errorCode: result.errorCode,
        highWatermark: BigInt(result.highWatermark),
        lastStableOffset: BigInt(result.lastStableOffset),
        logStartOffset: BigInt(result.logStartOffset),
        abortedTransactions:
          result.abortedTransactions?.map((t) => ({
            producerId: BigInt(t.producerId),
            firstOffset: BigInt(t.firstOffset),
          })) ?? null,
        preferredReadReplica: -1,
        records: result.records,
      });
    }
    responses.push({ topic: topic.topic, partitions });
  }
  return { responses, bytes, errors };
}

function emptyPartition(partitionIndex: number, errorCode: number): FetchPartitionResponse {
  return {
    partitionIndex,
    errorCode,
    highWatermark: -1n,
    lastStableOffset: -1n,
    logStartOffset: -1n,
    abortedTransactions: null,
    preferredReadReplica: -1,
    records: null,
  };
}

/** Resolves when any fetched partition gets data, or after `timeoutMs`. */
async function waitForAppend(context: BrokerContext, request: FetchRequest, timeoutMs: number): Promise<void> {
  const abort = new AbortController();
  const cancels: (() => void)[] = [];
  const appended = new Promise<void>((resolve) => {
    for (const topic of request.topics) {
      for (const p of topic.partitions) {
        const partition = context.topics.partition(topic.topic, p.partition);
        if (partition) cancels.push(partition.onAppend(resolve));
      }
    }
  });
  try {
    await Promise.race([appended, sleep(timeoutMs, undefined, { signal: abort.signal }).catch(() => undefined)]);
  } finally {
    abort.abort();
    for (const cancel of cancels) cancel();
  }
}
