/**
 * What request handlers reach: the broker's identity, its topics, and its
 * coordinators. One per broker; handlers are plain functions over it.
 */
import type { Logger } from '../../logging/index.ts';
import type { DecodedRequest, RequestHeader } from '../protocol/index.ts';
import type { ConnectionInfo } from '../server/connection.ts';
import type { TopicManager } from '../topics/topic-manager.ts';
import type { TransactionCoordinator } from '../txn/index.ts';

export interface BrokerIdentity {
  nodeId: number;
  clusterId: string;
  /** Where clients are told to connect. */
  host: string;
  port: number;
}

export interface BrokerContext {
  identity: BrokerIdentity;
  topics: TopicManager;
  transactions: TransactionCoordinator;
  autoCreateTopics: boolean;
  /** Set when the broker shuts down: long polls end at once. */
  stopping: boolean;
  /** SASL/PLAIN users; undefined when SASL is off. */
  saslUsers?: Readonly<Record<string, string>>;
  logger: Logger;
}

export type Handler<Request = unknown, Response = unknown> = (
  context: BrokerContext,
  request: Request,
  header: RequestHeader,
  connection: ConnectionInfo,
) => Promise<Response | symbol> | Response | symbol;

export type HandlerTable = Partial<Record<DecodedRequest['apiName'], Handler<never, unknown>>>;
