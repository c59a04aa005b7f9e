/**
 * One member of a group: who it is, what it supports, what it was assigned,
 * and the JoinGroup or SyncGroup request it has parked with the coordinator.
 */
import type { GroupProtocol, JoinGroupResult, SyncGroupResult } from './types.ts';

const NO_BYTES = Buffer.alloc(0);

export interface MemberIdentity {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  protocolType: string;
  protocols: GroupProtocol[];
}

export class MemberMetadata {
  memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  readonly protocolType: string;
  protocols: GroupProtocol[];
  assignment: Buffer = NO_BYTES;
  /** Set while its JoinGroup waits for the rebalance to complete. */
  awaitingJoin: ((result: JoinGroupResult) => void) | null = null;
  /** Set while its SyncGroup waits for the leader's assignment. */
  awaitingSync: ((result: SyncGroupResult) => void) | null = null;
  /** Joined during the current rebalance; such members expire after the new-member join timeout. */
  isNew = false;

  constructor(identity: MemberIdentity) {
    this.memberId = identity.memberId;
    this.groupInstanceId = identity.groupInstanceId;
    this.clientId = identity.clientId;
    this.clientHost = identity.clientHost;
    this.rebalanceTimeoutMs = identity.rebalanceTimeoutMs;
    this.sessionTimeoutMs = identity.sessionTimeoutMs;
    this.protocolType = identity.protocolType;
    this.protocols = identity.protocols;
  }

  get isStatic(): boolean {
    return this.groupInstanceId !== null;
  }

  get isAwaitingJoin(): boolean {
    return this.awaitingJoin !== null;
  }

  get isAwaitingSync(): boolean {
    return this.awaitingSync !== null;
  }

  protocolNames(): string[] {
    return this.protocols.map((p) => p.name);
  }

  /** Subscription metadata for the chosen protocol. */
  metadataFor(protocolName: string): Buffer {
    return this.protocols.find((p) => p.name === protocolName)?.metadata ?? NO_BYTES;
  }

  /** Same protocols, same order, same metadata: a rejoin that changes nothing. */
  matches(protocols: readonly GroupProtocol[]): boolean {
    if (protocols.length !== this.protocols.length) return false;
    return protocols.every((p, i) => {
      const mine = this.protocols[i];
      return mine !== undefined && mine.name === p.name && mine.metadata.equals(p.metadata);
    });
  }

  /** Answers the parked JoinGroup, if any; true when there was one. */
  completeJoin(result: JoinGroupResult): boolean {
    const respond = this.awaitingJoin;
    if (!respond) return false;
    this.awaitingJoin = null;
    respond(result);
    return true;
  }

  /** Answers the parked SyncGroup, if any; true when there was one. */
  completeSync(result: SyncGroupResult): boolean {
    const respond = this.awaitingSync;
    if (!respond) return false;
    this.awaitingSync = null;
    respond(result);
    return true;
  }
}
