/**
 * One consumer group's membership state (GroupMetadata.scala): its state
 * machine, generation, leader, chosen protocol, members (dynamic and static),
 * members that were given an id but have not joined with it yet, and its
 * offsets. No timers and no I/O: the coordinator drives it.
 */
import { ERROR_CODES } from '../protocol/error-codes.ts';
import { selectProtocol, sharesCandidate } from './assignment-protocol.ts';
import { canTransition, type GroupState, IllegalGroupStateError } from './group-state.ts';
import type { MemberMetadata } from './member-metadata.ts';
import { GroupOffsets } from './offsets.ts';
import type { DescribedGroup, JoinGroupMember, ListedGroup } from './types.ts';

const NO_BYTES = Buffer.alloc(0);
/** DescribeGroups' authorized operations when the client did not ask for them. */
const AUTHORIZED_OPERATIONS_OMITTED = -2147483648;

export class GroupMetadata {
  private currentState: GroupState;
  /** When the group entered its current state (offset retention of an empty group counts from it). */
  stateTimestamp: number;
  generationId = 0;
  /** '' until a member joins; then the type of its members, e.g. 'consumer'. */
  protocolType = '';
  protocolName: string | null = null;
  leaderId: string | null = null;
  /** A member joined during the initial rebalance delay of a brand-new group: the delay extends. */
  newMemberAdded = false;
  readonly offsets: GroupOffsets;
  private readonly members = new Map<string, MemberMetadata>();
  /** Member ids handed out with MEMBER_ID_REQUIRED, not yet used to join. */
  private readonly pendingMembers = new Set<string>();
  /** group.instance.id -> its current member id. */
  private readonly staticMembers = new Map<string, string>();

  /** A new group is Empty; the loader restores a Stable one with its offsets. */
  constructor(
    readonly groupId: string,
    nowMs: number,
    options: { state?: GroupState; offsets?: GroupOffsets } = {},
  ) {
    this.currentState = options.state ?? 'Empty';
    this.stateTimestamp = nowMs;
    this.offsets = options.offsets ?? new GroupOffsets();
  }

  get state(): GroupState {
    return this.currentState;
  }

  is(state: GroupState): boolean {
    return this.currentState === state;
  }

  transitionTo(state: GroupState, nowMs: number): void {
    if (!canTransition(this.currentState, state))
      throw new IllegalGroupStateError(this.groupId, this.currentState, state);
    this.currentState = state;
    this.stateTimestamp = nowMs;
  }

  get canRebalance(): boolean {
    return canTransition(this.currentState, 'PreparingRebalance');
  }

  // --- members -------------------------------------------------------------

  get size(): number {
    return this.members.size;
  }

  has(memberId: string): boolean {
    return this.members.has(memberId);
  }

  get(memberId: string): MemberMetadata | undefined {
    return this.members.get(memberId);
  }

  allMembers(): MemberMetadata[] {
    return [...this.members.values()];
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }

  add(member: MemberMetadata): void {
    if (this.members.size === 0) this.protocolType = member.protocolType;
    if (this.leaderId === null) this.leaderId = member.memberId;
    this.members.set(member.memberId, member);
    if (member.groupInstanceId !== null) this.staticMembers.set(member.groupInstanceId, member.memberId);
    this.pendingMembers.delete(member.memberId);
  }

  remove(memberId: string): MemberMetadata | undefined {
    const member = this.members.get(memberId);
    if (!member) return undefined;
    this.members.delete(memberId);
    if (member.groupInstanceId !== null && this.staticMembers.get(member.groupInstanceId) === memberId) {
      this.staticMembers.delete(member.groupInstanceId);
    }
    if (this.leaderId === memberId) this.leaderId = this.members.keys().next().value ?? null;
    return member;
  }

  addPendingMember(memberId: string): void {
    this.pendingMembers.add(memberId);
  }

  removePendingMember(memberId: string): boolean {
    return this.pendingMembers.delete(memberId);
  }

  isPendingMember(memberId: string): boolean {
    return this.pendingMembers.has(memberId);
  }

  staticMemberId(groupInstanceId: string | null): string | undefined {
    return groupInstanceId === null ? undefined : this.staticMembers.get(groupInstanceId);
  }

  /** A static member now uses a new member id; the old id is gone and the leadership follows. */
  replaceStaticMember(oldMemberId: string, newMemberId: string): MemberMetadata {
    const member = this.members.get(oldMemberId);
    if (!member?.groupInstanceId) throw new Error(`Member ${oldMemberId} of group ${this.groupId} is not static`);
    this.members.delete(oldMemberId);
    member.memberId = newMemberId;
    this.members.set(newMemberId, member);
    this.staticMembers.set(member.groupInstanceId, newMemberId);
    if (this.leaderId === oldMemberId) this.leaderId = newMemberId;
    return member;
  }

  /**
   * Kafka's validateCurrentMember: a group.instance.id must map to this member
   * id (else the sender is a fenced duplicate), and the member must exist.
   * An error code, or null when the member is current.
   */
  validateCurrentMember(memberId: string, groupInstanceId: string | null): number | null {
    if (groupInstanceId !== null) {
      const current = this.staticMembers.get(groupInstanceId);
      if (current === undefined) return ERROR_CODES.UNKNOWN_MEMBER_ID;
      if (current !== memberId) return ERROR_CODES.FENCED_INSTANCE_ID;
      return null;
    }
    return this.members.has(memberId) ? null : ERROR_CODES.UNKNOWN_MEMBER_ID;
  }

  /** Members that have not sent their JoinGroup for the rebalance in progress. */
  notYetRejoinedMembers(): MemberMetadata[] {
    return this.allMembers().filter((m) => !m.isAwaitingJoin);
  }

  hasAllMembersJoined(): boolean {
    return this.pendingMembers.size === 0 && this.allMembers().every((m) => m.isAwaitingJoin);
  }

  /** The longest rebalance timeout of the members: how long a rebalance may wait for them. */
  get rebalanceTimeoutMs(): number {
    return this.allMembers().reduce((max, m) => Math.max(max, m.rebalanceTimeoutMs), 0);
  }

  // --- protocol --------------------------------------------------------------

  supportsProtocols(protocolType: string, protocolNames: readonly string[]): boolean {
    if (this.is('Empty')) return protocolType.length > 0 && protocolNames.length > 0;
    return this.protocolType === protocolType && sharesCandidate(this.allMembers(), protocolNames);
  }

  selectProtocol(): string {
    return selectProtocol(this.allMembers());
  }

  /**
   * Keeps the leader if it rejoined, else hands leadership to a member that
   * did. False when nobody rejoined.
   */
  maybeElectNewJoinedLeader(): boolean {
    if (this.leaderId === null) return false;
    if (this.members.get(this.leaderId)?.isAwaitingJoin) return true;
    const joined = this.allMembers().find((m) => m.isAwaitingJoin);
    if (!joined) return false;
    this.leaderId = joined.memberId;
    return true;
  }

  /** Ends the join phase: a new generation, in CompletingRebalance, or Empty when nobody is left. */
  initNextGeneration(nowMs: number): void {
    this.generationId += 1;
    if (this.members.size > 0) {
      this.protocolName = this.selectProtocol();
      this.transitionTo('CompletingRebalance', nowMs);
    } else {
      this.protocolName = null;
      this.transitionTo('Empty', nowMs);
    }
  }

  /** What the leader needs to compute assignments: every member with its metadata for the chosen protocol. */
  currentMemberMetadata(): JoinGroupMember[] {
    const protocol = this.protocolName ?? '';
    return this.allMembers().map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      metadata: m.metadataFor(protocol),
    }));
  }

  // --- summaries -------------------------------------------------------------

  describe(): DescribedGroup {
    const stable = this.is('Stable');
    const protocol = this.protocolName ?? '';
    return {
      errorCode: 0,
      groupId: this.groupId,
      groupState: this.currentState,
      protocolType: this.protocolType,
      protocolData: stable ? protocol : '',
      members: this.allMembers().map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        memberMetadata: stable ? m.metadataFor(protocol) : NO_BYTES,
        memberAssignment: stable ? m.assignment : NO_BYTES,
      })),
      authorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
    };
  }

  overview(): ListedGroup {
    return { groupId: this.groupId, protocolType: this.protocolType, groupState: this.currentState };
  }
}

/** How DescribeGroups answers for a group it does not know, as Kafka does (no error, state Dead). */
export function describeUnknownGroup(groupId: string): DescribedGroup {
  return {
    errorCode: 0,
    groupId,
    groupState: 'Dead',
    protocolType: '',
    protocolData: '',
    members: [],
    authorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  };
}
