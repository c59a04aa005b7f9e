/**
 * The embedded Kafka broker: one node that is its own controller, group
 * coordinator and transaction coordinator. `Broker.start` opens the log
 * folder (recovering it after a crash), loads the coordinators from their
 * internal topics, and listens; `stop` closes connections and flushes.
 */
import net from 'node:net';
import type { Logger } from '../../logging/index.ts';
import { GroupCoordinator } from '../group/index.ts';
import { groupHandlers } from '../handlers/groups.ts';
import { type BrokerContext, requestDispatcher } from '../handlers/index.ts';
import { ConsumerOffsetsLog } from '../internal/consumer-offsets-log.ts';
import { CONSUMER_OFFSETS_TOPIC, internalPartition, TRANSACTION_STATE_TOPIC } from '../internal/internal-topic.ts';
import { TransactionMarkers } from '../internal/transaction-markers.ts';
import { TransactionStateLog } from '../internal/transaction-state-log.ts';
import { TopicManager } from '../topics/topic-manager.ts';
import { type TransactionalOffsets, TransactionCoordinator } from '../txn/index.ts';
import { Connection } from './connection.ts';

export interface BrokerOptions {
  dataDir: string;
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Host advertised to clients; defaults to `host`. */
  advertisedHost?: string;
  /** Port advertised to clients, when they reach the broker through a proxy or NAT; defaults to the listening port. */
  advertisedPort?: number;
  nodeId?: number;
  autoCreateTopics?: boolean;
  defaultPartitions?: number;
  /** log.retention.ms: retention.ms of topics that set none (Kafka: 7 days; -1 keeps records forever). */
  logRetentionMs?: number;
  saslUsers?: Record<string, string>;
  /** group.initial.rebalance.delay.ms: how long a new group waits for more members (Kafka: 3000). */
  groupInitialRebalanceDelayMs?: number;
  /** socket.request.max.bytes: larger frames close the connection. */
  maxFrameBytes?: number;
  logger: Logger;
}

export class Broker {
  private readonly connections = new Set<Connection>();
  private nextConnectionId = 1;
  private listeningPort = 0;

  private constructor(
    private readonly server: net.Server,
    readonly context: BrokerContext,
    private readonly groups: GroupCoordinator,
  ) {}

  static async start(options: BrokerOptions): Promise<Broker> {
    const { logger } = options;
    const topics = await TopicManager.open({
      dataDir: options.dataDir,
      defaultPartitions: options.defaultPartitions ?? 1,
      ...(options.logRetentionMs !== undefined && {
        topicDefaults: { 'retention.ms': String(options.logRetentionMs) },
      }),
      logger,
    });
    const nodeId = options.nodeId ?? 1;
    const { clusterId } = topics.identity(nodeId);

    const groups = new GroupCoordinator({
      store: new ConsumerOffsetsLog(await internalPartition(topics, CONSUMER_OFFSETS_TOPIC)),
      config: { initialRebalanceDelayMs: options.groupInitialRebalanceDelayMs ?? 3000 },
      logger,
    });
    await groups.load();
    const offsets: TransactionalOffsets = {
      completeTransaction: async (_groupIds, producerId, commit) => groups.completeTransaction(producerId, commit),
    };
    const transactions = new TransactionCoordinator({
      store: new TransactionStateLog(await internalPartition(topics, TRANSACTION_STATE_TOPIC)),
      markers: new TransactionMarkers(topics),
      offsets,
      logger,
    });
    await transactions.load();

    const server = net.createServer();
    const context: BrokerContext = {
      identity: { nodeId, clusterId, host: options.advertisedHost ?? options.host, port: options.port },
      topics,
      transactions,
      autoCreateTopics: options.autoCreateTopics ?? true,
      stopping: false,
      ...(options.saslUsers && { saslUsers: options.saslUsers }),
      logger,
    };
    const broker = new Broker(server, context, groups);
    const dispatch = requestDispatcher(context, groupHandlers(groups));
    server.on('connection', (socket) => {
      const connection = new Connection(socket, broker.nextConnectionId++, dispatch, {
        maxFrameBytes: options.maxFrameBytes ?? 100 * 1024 * 1024,
        maxQueuedFrames: 64,
        logger,
      });
      broker.connections.add(connection);
      socket.once('close', () => broker.connections.delete(connection));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as net.AddressInfo;
    broker.listeningPort = port;
    context.identity.port = options.advertisedPort ?? port;
    logger.info(
      { host: options.host, port, advertised: context.identity, clusterId, dataDir: options.dataDir },
      'broker started',
    );
    return broker;
  }

  /** The port it listens on. */
  get port(): number {
    return this.listeningPort;
  }

  /** Stops accepting, closes every connection, then closes coordinators and logs (a clean shutdown). */
  async stop(): Promise<void> {
    const closed = new Promise((resolve) => this.server.close(resolve));
    // Requests that wait return at once, so that connections finish their last request:
    // long-polling fetches, and JoinGroup/SyncGroup parked until a rebalance (closing
    // the group coordinator answers them with NOT_COORDINATOR).
    this.context.stopping = true;
    this.context.topics.wakeAll();
    this.groups.close();
    await Promise.all([...this.connections].map((connection) => connection.close()));
    await closed;
    this.context.transactions.close();
    await this.context.topics.close();
    this.context.logger.info('broker stopped');
  }
}
