/**
 * The request dispatcher: which handler answers which API, and the SASL
 * gate in front of them.
 */
import type { DecodedRequest } from '../protocol/index.ts';
import { type ConnectionInfo, RejectedRequestError, type RequestHandler } from '../server/connection.ts';
import { apiVersions, findCoordinator, metadata } from './cluster.ts';
import type { BrokerContext, Handler, HandlerTable } from './context.ts';
import { fetch } from './fetch.ts';
import { deleteRecords, listOffsets, offsetForLeaderEpoch } from './offsets.ts';
import { produce } from './produce.ts';
import { saslAuthenticate, saslHandshake } from './sasl.ts';
import { createPartitions, createTopics, deleteTopics, describeConfigs } from './topics-admin.ts';
import { addOffsetsToTxn, addPartitionsToTxn, endTxn, initProducerId } from './transactions.ts';

export type { BrokerContext, BrokerIdentity } from './context.ts';

const HANDLERS: HandlerTable = {
  ApiVersions: apiVersions,
  Metadata: metadata,
  FindCoordinator: findCoordinator,
  Produce: produce,
  Fetch: fetch,
  ListOffsets: listOffsets,
  OffsetForLeaderEpoch: offsetForLeaderEpoch,
  DeleteRecords: deleteRecords,
  CreateTopics: createTopics,
  DeleteTopics: deleteTopics,
  CreatePartitions: createPartitions,
  DescribeConfigs: describeConfigs,
  InitProducerId: initProducerId,
  AddPartitionsToTxn: addPartitionsToTxn,
  AddOffsetsToTxn: addOffsetsToTxn,
  EndTxn: endTxn,
  SaslHandshake: saslHandshake,
  SaslAuthenticate: saslAuthenticate,
};

/** APIs a client may call before it has authenticated. */
const BEFORE_AUTHENTICATION = new Set<DecodedRequest['apiName']>(['ApiVersions', 'SaslHandshake', 'SaslAuthenticate']);

export function requestDispatcher(context: BrokerContext, extra: HandlerTable = {}): RequestHandler {
  const table: HandlerTable = { ...HANDLERS, ...extra };
  return async (request: DecodedRequest, connection: ConnectionInfo) => {
    if (context.saslUsers && !connection.authenticated && !BEFORE_AUTHENTICATION.has(request.apiName)) {
      throw new RejectedRequestError('sent before SASL authentication');
    }
    const handler = table[request.apiName] as Handler | undefined;
    if (!handler) throw new RejectedRequestError('not served by this broker');
    return handler(context, request.request, request.header, connection);
  };
}
