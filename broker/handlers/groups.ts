/**
 * The consumer group APIs, answered by the group coordinator
 * (broker/group), whose results carry the wire field names.
 */
import type { GroupCoordinator } from '../group/index.ts';
import {
  type DeleteGroupsRequest,
  type DeleteGroupsResponse,
  type DescribeGroupsRequest,
  type DescribeGroupsResponse,
  ERROR_CODES,
  type HeartbeatRequest,
  type HeartbeatResponse,
  type JoinGroupRequest,
  type JoinGroupResponse,
  type LeaveGroupRequest,
  type LeaveGroupResponse,
  type ListGroupsResponse,
  type OffsetCommitRequest,
  type OffsetCommitResponse,
  type OffsetFetchRequest,
  type OffsetFetchResponse,
  type RequestHeader,
  type SyncGroupRequest,
  type SyncGroupResponse,
  type TxnOffsetCommitRequest,
  type TxnOffsetCommitResponse,
} from '../protocol/index.ts';
import type { ConnectionInfo } from '../server/connection.ts';
import type { BrokerContext, HandlerTable } from './context.ts';

const host = (connection: ConnectionInfo) => `/${connection.remote.slice(0, connection.remote.lastIndexOf(':'))}`;

export function groupHandlers(groups: GroupCoordinator): HandlerTable {
  return {
    JoinGroup: async (
      _context: BrokerContext,
      request: JoinGroupRequest,
      header: RequestHeader,
      connection: ConnectionInfo,
    ): Promise<JoinGroupResponse> => {
      const result = await groups.joinGroup(request, {
        clientId: header.clientId ?? '',
        clientHost: host(connection),
        apiVersion: header.apiVersion,
      });
      return { throttleTimeMs: 0, ...result };
    },
    SyncGroup: async (_context: BrokerContext, request: SyncGroupRequest): Promise<SyncGroupResponse> => {
      const result = await groups.syncGroup(request);
      return { throttleTimeMs: 0, errorCode: result.errorCode, assignment: result.assignment };
    },
    Heartbeat: async (_context: BrokerContext, request: HeartbeatRequest): Promise<HeartbeatResponse> => ({
      throttleTimeMs: 0,
      ...(await groups.heartbeat(request)),
    }),
    LeaveGroup: async (
      _context: BrokerContext,
      request: LeaveGroupRequest,
      header: RequestHeader,
    ): Promise<LeaveGroupResponse> => ({
      throttleTimeMs: 0,
      ...(await groups.leaveGroup(request, { apiVersion: header.apiVersion })),
    }),
    DescribeGroups: async (
      _context: BrokerContext,
      request: DescribeGroupsRequest,
    ): Promise<DescribeGroupsResponse> => ({
      throttleTimeMs: 0,
      groups: await groups.describeGroups(request.groups),
    }),
    ListGroups: async (): Promise<ListGroupsResponse> => {
      const result = await groups.listGroups();
      return {
        throttleTimeMs: 0,
        errorCode: result.errorCode,
        groups: result.groups.map((g) => ({ groupId: g.groupId, protocolType: g.protocolType })),
      };
    },
    DeleteGroups: async (_context: BrokerContext, request: DeleteGroupsRequest): Promise<DeleteGroupsResponse> => ({
      throttleTimeMs: 0,
      results: await groups.deleteGroups(request.groupsNames),
    }),
    OffsetCommit: async (_context: BrokerContext, request: OffsetCommitRequest): Promise<OffsetCommitResponse> => ({
      throttleTimeMs: 0,
      ...(await groups.commitOffsets(request)),
    }),
    OffsetFetch: async (_context: BrokerContext, request: OffsetFetchRequest): Promise<OffsetFetchResponse> => ({
      throttleTimeMs: 0,
      ...(await groups.fetchOffsets(request)),
    }),
    TxnOffsetCommit: async (
      context: BrokerContext,
      request: TxnOffsetCommitRequest,
    ): Promise<TxnOffsetCommitResponse> => {
      // Offsets join a transaction only while it is open for this producer and epoch.
      const errorCode = context.transactions.isOngoing(
        request.transactionalId,
        Number(request.producerId),
        request.producerEpoch,
      );
      if (errorCode !== ERROR_CODES.NONE) {
        return {
          throttleTimeMs: 0,
          topics: request.topics.map((t) => ({
            name: t.name,
            partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
          })),
        };
      }
      return { throttleTimeMs: 0, ...(await groups.commitTransactionalOffsets(request)) };
    },
  };
}
