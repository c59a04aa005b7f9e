/**
 * The group coordinator: Kafka's classic consumer group protocol
 * (kafka/coordinator/group/GroupCoordinator.scala) over plain objects, with
 * no networking. JoinGroup parks until the rebalance completes and a
 * follower's SyncGroup parks until the leader's assignment is stored, so each
 * promise resolves when Kafka would answer.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../logging/index.ts';
import { ERROR_CODES } from '../protocol/error-codes.ts';
import { type Clock, systemClock } from './clock.ts';
import { DEFAULT_GROUP_COORDINATOR_CONFIG, type GroupCoordinatorConfig } from './config.ts';
import { loadGroups } from './group-loader.ts';
import { describeUnknownGroup, GroupMetadata } from './group-metadata.ts';
import { groupMetadataRecord, groupTombstone, offsetTombstone, storeErrorCode } from './group-records.ts';
import { MemberMetadata } from './member-metadata.ts';
import { OffsetManager } from './offset-manager.ts';
import type { CoordinatorRecord, GroupMetadataStore } from './store.ts';
import { Timeouts } from './timeouts.ts';
import type {
  DeletedGroupResult,
  DescribedGroup,
  GroupStateName,
  HeartbeatRequest,
  HeartbeatResult,
  JoinGroupRequest,
  JoinGroupResult,
  LeaveGroupRequest,
  LeaveGroupResult,
  ListGroupsResult,
  OffsetCommitRequest,
  OffsetCommitResult,
  OffsetFetchRequest,
  OffsetFetchResult,
  RequestContext,
  SyncGroupRequest,
  SyncGroupResult,
  TxnOffsetCommitRequest,
} from './types.ts';

export type CoordinatorLogger = Pick<Logger, 'debug' | 'info' | 'warn'>;

export interface GroupCoordinatorOptions {
  store: GroupMetadataStore;
  clock?: Clock;
  config?: Partial<GroupCoordinatorConfig>;
  logger?: CoordinatorLogger;
}

type Lifecycle = 'created' | 'loading' | 'active' | 'closed';

type JoinResponder = (result: JoinGroupResult) => void;

const E = ERROR_CODES;
const NO_BYTES = Buffer.alloc(0);

function joinError(memberId: string, errorCode: number): JoinGroupResult {
  return { errorCode, generationId: -1, protocolType: null, protocolName: '', leader: '', memberId, members: [] };
}

function syncError(errorCode: number): SyncGroupResult {
  return { errorCode, protocolType: null, protocolName: null, assignment: NO_BYTES };
}

export class GroupCoordinator {
  readonly config: GroupCoordinatorConfig;
  readonly store: GroupMetadataStore;
  readonly clock: Clock;
  private readonly log: CoordinatorLogger | undefined;
  private readonly groups = new Map<string, GroupMetadata>();
  private readonly timeouts: Timeouts;
  private readonly offsets: OffsetManager;
  /** Groups whose first rebalance is inside group.initial.rebalance.delay.ms: they do not complete early. */
  private readonly inInitialDelay = new WeakSet<GroupMetadata>();
  private lifecycle: Lifecycle = 'created';

  constructor(options: GroupCoordinatorOptions) {
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.config = { ...DEFAULT_GROUP_COORDINATOR_CONFIG, ...options.config };
    this.log = options.logger;
    this.timeouts = new Timeouts(this.clock);
    this.offsets = new OffsetManager({
      store: this.store,
      clock: this.clock,
      config: this.config,
      group: (groupId) => this.groups.get(groupId),
      getOrCreateGroup: (groupId) => this.getOrCreateGroup(groupId),
      removeGroup: (group) => this.removeGroup(group),
      allGroups: () => this.groups.values(),
      touchMember: (group, member) => this.scheduleHeartbeatExpiration(group, member, member.sessionTimeoutMs),
    });
  }

  // --- lifecycle ---------------------------------------------------------------

  /**
   * Rebuilds groups and offsets from the store; until it finishes, requests
   * get COORDINATOR_LOAD_IN_PROGRESS (clients retry). Loaded members must
   * heartbeat within their session timeout or they are removed.
   */
  async load(): Promise<void> {
    if (this.lifecycle !== 'created') throw new Error(`GroupCoordinator.load(): already ${this.lifecycle}`);
    this.lifecycle = 'loading';
    const loaded = await loadGroups(this.store.load(), this.clock.now());
    if (this.isClosed()) return;
    for (const [groupId, group] of loaded) {
      this.groups.set(groupId, group);
      for (const member of group.allMembers()) this.scheduleHeartbeatExpiration(group, member, member.sessionTimeoutMs);
    }
    this.lifecycle = 'active';
    this.scheduleOffsetExpiration();
    this.log?.info({ groups: loaded.size }, 'group coordinator loaded');
  }

  /** Stops every timer and answers parked requests with NOT_COORDINATOR, as Kafka does when it unloads a group. */
  close(): void {
    this.lifecycle = 'closed';
    this.timeouts.clearAll();
    for (const group of this.groups.values()) {
      for (const member of group.allMembers()) {
        member.completeJoin(joinError(member.memberId, E.NOT_COORDINATOR));
        member.completeSync(syncError(E.NOT_COORDINATOR));
      }
    }
  }

  // --- JoinGroup ---------------------------------------------------------------

  async joinGroup(request: JoinGroupRequest, context: RequestContext): Promise<JoinGroupResult> {
    const statusError = this.validateGroupStatus(request.groupId, false);
    if (statusError !== null) return joinError(request.memberId, statusError);
    const { minSessionTimeoutMs, maxSessionTimeoutMs, maxGroupSize } = this.config;
    if (request.sessionTimeoutMs < minSessionTimeoutMs || request.sessionTimeoutMs > maxSessionTimeoutMs) {
      return joinError(request.memberId, E.INVALID_SESSION_TIMEOUT);
    }
    const isUnknownMember = request.memberId === '';
    let group = this.groups.get(request.groupId);
    if (!group) {
      // Only a member without an id may create a group; an id for a group we
      // do not know belongs to a group that is gone.
      if (!isUnknownMember) return joinError(request.memberId, E.UNKNOWN_MEMBER_ID);
      group = this.getOrCreateGroup(request.groupId);
    }
    if (isUnknownMember && group.size >= maxGroupSize) return joinError('', E.GROUP_MAX_SIZE_REACHED);

    const joining = group;
    return new Promise<JoinGroupResult>((respond) => {
      if (isUnknownMember) this.joinUnknownMember(joining, request, context, respond);
      else this.joinCurrentMember(joining, request, context, respond);
      this.maybeCompleteJoin(joining);
    });
  }

  private joinUnknownMember(
    group: GroupMetadata,
    request: JoinGroupRequest,
    context: RequestContext,
    respond: JoinResponder,
  ): void {
    if (group.is('Dead')) {
      respond(joinError('', E.COORDINATOR_NOT_AVAILABLE));
      return;
    }
    if (!group.supportsProtocols(request.protocolType, protocolNamesOf(request))) {
      respond(joinError('', E.INCONSISTENT_GROUP_PROTOCOL));
      return;
    }
    const newMemberId = `${request.groupInstanceId ?? context.clientId}-${randomUUID()}`;
    const staticMemberId = group.staticMemberId(request.groupInstanceId);
    if (staticMemberId !== undefined) {
      this.replaceStaticMember(group, staticMemberId, newMemberId, request, respond);
      return;
    }
    // JoinGroup v4+ (KIP-394): hand out the id first and let the member come
    // back with it, so a client that times out does not leave a ghost member.
    if (context.apiVersion >= 4 && request.groupInstanceId === null) {
      group.addPendingMember(newMemberId);
      this.timeouts.set(pendingMemberKey(group, newMemberId), request.sessionTimeoutMs, () => {
        if (group.removePendingMember(newMemberId)) this.maybeCompleteJoin(group);
      });
      respond(joinError(newMemberId, E.MEMBER_ID_REQUIRED));
      return;
    }
    this.addMemberAndRebalance(group, newMemberId, request, context, respond);
  }

  private joinCurrentMember(
    group: GroupMetadata,
    request: JoinGroupRequest,
    context: RequestContext,
    respond: JoinResponder,
  ): void {
    const { memberId } = request;
    if (group.is('Dead')) {
      respond(joinError(memberId, E.COORDINATOR_NOT_AVAILABLE));
      return;
    }
    if (!group.supportsProtocols(request.protocolType, protocolNamesOf(request))) {
      respond(joinError(memberId, E.INCONSISTENT_GROUP_PROTOCOL));
      return;
    }
    if (group.isPendingMember(memberId)) {
      this.addMemberAndRebalance(group, memberId, request, context, respond);
      return;
    }
    const memberError = group.validateCurrentMember(memberId, request.groupInstanceId);
    const member = group.get(memberId);
    if (memberError !== null || !member) {
      respond(joinError(memberId, memberError ?? E.UNKNOWN_MEMBER_ID));
      return;
    }

    switch (group.state) {
      case 'PreparingRebalance':
        this.updateMemberAndRebalance(group, member, request, respond);
        return;
      case 'CompletingRebalance':
        // Same metadata: the member probably lost our JoinGroup response, so
        // answer with the current generation instead of rebalancing again.
        if (member.matches(request.protocols)) {
          respond(this.joinResult(group, member.memberId));
          return;
        }
        this.updateMemberAndRebalance(group, member, request, respond);
        return;
      case 'Stable':
        // The leader's JoinGroup asks for a rebalance on purpose (e.g. new
        // partitions in a subscribed topic); a follower's only when it changed.
        if (group.isLeader(memberId) || !member.matches(request.protocols)) {
          this.updateMemberAndRebalance(group, member, request, respond);
          return;
        }
        respond({ ...this.joinResult(group, member.memberId), members: [] });
        return;
      default:
        respond(joinError(memberId, E.UNKNOWN_MEMBER_ID));
        return;
    }
  }

  private addMemberAndRebalance(
    group: GroupMetadata,
    memberId: string,
    request: JoinGroupRequest,
    context: RequestContext,
    respond: JoinResponder,
  ): void {
    const member = new MemberMetadata({
      memberId,
      groupInstanceId: request.groupInstanceId,
      clientId: context.clientId,
      clientHost: context.clientHost,
      rebalanceTimeoutMs: rebalanceTimeoutOf(request),
      sessionTimeoutMs: request.sessionTimeoutMs,
      protocolType: request.protocolType,
      protocols: request.protocols,
    });
    member.isNew = true;
    member.awaitingJoin = respond;
    if (group.is('PreparingRebalance') && group.generationId === 0) group.newMemberAdded = true;
    group.add(member);
    this.timeouts.clear(pendingMemberKey(group, memberId));
    // A new member cannot heartbeat while its JoinGroup is parked; if its
    // client went away it is dropped after the new-member join timeout.
    this.scheduleHeartbeatExpiration(group, member, this.config.newMemberJoinTimeoutMs);
    this.maybePrepareRebalance(group, `member ${memberId} joined`);
  }

  private updateMemberAndRebalance(
    group: GroupMetadata,
    member: MemberMetadata,
    request: JoinGroupRequest,
    respond: JoinResponder,
  ): void {
    this.updateMember(member, request, respond);
    this.maybePrepareRebalance(group, `member ${member.memberId} rejoined`);
  }

  private updateMember(member: MemberMetadata, request: JoinGroupRequest, respond: JoinResponder): void {
    member.protocols = request.protocols;
    member.rebalanceTimeoutMs = rebalanceTimeoutOf(request);
    member.sessionTimeoutMs = request.sessionTimeoutMs;
    // A second JoinGroup replaces a parked one (Kafka drops the old callback);
    // answer the old one so no request hangs.
    member.completeJoin(joinError(member.memberId, E.REBALANCE_IN_PROGRESS));
    member.awaitingJoin = respond;
  }

  /**
   * A static member (group.instance.id) came back without its member id: it
   * takes over the old id's place and assignment under a new id, fencing the
   * old one. In a Stable group whose protocol stays the same this needs no
   * rebalance (KIP-345).
   */
  private replaceStaticMember(
    group: GroupMetadata,
    oldMemberId: string,
    newMemberId: string,
    request: JoinGroupRequest,
    respond: JoinResponder,
  ): void {
    const old = group.get(oldMemberId);
    if (!old) {
      respond(joinError('', E.UNKNOWN_MEMBER_ID));
      return;
    }
    const currentLeader = group.leaderId;
    const previous = {
      protocols: old.protocols,
      rebalanceTimeoutMs: old.rebalanceTimeoutMs,
      sessionTimeoutMs: old.sessionTimeoutMs,
    };
    old.completeJoin(joinError(oldMemberId, E.FENCED_INSTANCE_ID));
    old.completeSync(syncError(E.FENCED_INSTANCE_ID));
    this.timeouts.clear(heartbeatKey(group, oldMemberId));
    const member = group.replaceStaticMember(oldMemberId, newMemberId);
    this.scheduleHeartbeatExpiration(group, member, request.sessionTimeoutMs);
    this.updateMember(member, request, respond);

    switch (group.state) {
      case 'Stable': {
        if (group.protocolName !== group.selectProtocol()) {
          this.maybePrepareRebalance(group, `static member ${newMemberId} changed the group's protocol`);
          return;
        }
        const assignment = new Map(group.allMembers().map((m) => [m.memberId, m.assignment]));
        const generation = group.generationId;
        void this.storeGroup(group, assignment).then((errorCode) => {
          if (errorCode !== E.NONE && group.get(newMemberId) === member) {
            // Undo the replacement: the old id stays valid.
            member.awaitingJoin = null;
            Object.assign(member, previous);
            group.replaceStaticMember(newMemberId, oldMemberId);
            this.timeouts.clear(heartbeatKey(group, newMemberId));
            this.scheduleHeartbeatExpiration(group, member, member.sessionTimeoutMs);
            return respond(joinError(newMemberId, errorCode));
          }
          // Answer with the old leader id so that even a former leader does not
          // compute an assignment that a Stable group would never distribute.
          member.completeJoin({
            ...this.joinResult(group, newMemberId),
            generationId: generation,
            leader: currentLeader ?? '',
            members: [],
          });
        });
        return;
      }
      case 'CompletingRebalance':
        this.maybePrepareRebalance(group, `static member ${newMemberId} rejoined during the sync phase`);
        return;
      default:
        // PreparingRebalance: the member simply takes part in it.
        return;
    }
  }

  private joinResult(group: GroupMetadata, memberId: string): JoinGroupResult {
    return {
      errorCode: E.NONE,
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName: group.protocolName ?? '',
      leader: group.leaderId ?? '',
      memberId,
      members: group.isLeader(memberId) ? group.currentMemberMetadata() : [],
    };
  }

  // --- the rebalance -------------------------------------------------------------

  private maybePrepareRebalance(group: GroupMetadata, reason: string): void {
    if (group.canRebalance) this.prepareRebalance(group, reason);
  }

  private prepareRebalance(group: GroupMetadata, reason: string): void {
    // Members waiting for an assignment must rejoin instead.
    if (group.is('CompletingRebalance')) this.resetAndPropagateAssignmentError(group, E.REBALANCE_IN_PROGRESS);
    const wasEmpty = group.is('Empty');
    group.transitionTo('PreparingRebalance', this.clock.now());
    this.log?.info(
      { groupId: group.groupId, generationId: group.generationId, reason },
      'preparing to rebalance group',
    );
    if (wasEmpty) {
      const delay = this.config.initialRebalanceDelayMs;
      this.scheduleInitialDelayedJoin(group, delay, Math.max(group.rebalanceTimeoutMs - delay, 0));
    } else {
      this.timeouts.set(joinKey(group), group.rebalanceTimeoutMs, () => this.completeJoin(group));
      this.maybeCompleteJoin(group);
    }
  }

  /**
   * The first rebalance of an empty group waits group.initial.rebalance.delay.ms,
   * and again each time a new member arrives meanwhile (while the rebalance
   * timeout allows), so a group of consumers starting together forms in one
   * rebalance instead of one per consumer.
   */
  private scheduleInitialDelayedJoin(group: GroupMetadata, delayMs: number, remainingMs: number): void {
    this.inInitialDelay.add(group);
    this.timeouts.set(joinKey(group), delayMs, () => {
      if (group.newMemberAdded && remainingMs > 0) {
        group.newMemberAdded = false;
        const nextDelay = Math.min(this.config.initialRebalanceDelayMs, remainingMs);
        this.scheduleInitialDelayedJoin(group, nextDelay, Math.max(remainingMs - delayMs, 0));
      } else {
        this.inInitialDelay.delete(group);
        this.completeJoin(group);
      }
    });
  }

  /** Completes the join phase early once every known member has rejoined. */
  private maybeCompleteJoin(group: GroupMetadata): void {
    if (group.is('PreparingRebalance') && !this.inInitialDelay.has(group) && group.hasAllMembersJoined()) {
      this.completeJoin(group);
    }
  }

  private completeJoin(group: GroupMetadata): void {
    this.timeouts.clear(joinKey(group));
    this.inInitialDelay.delete(group);
    if (!group.is('PreparingRebalance')) return;
    // Dynamic members that did not rejoin in time are out; static ones stay
    // until their session times out (KIP-345).
    for (const member of group.notYetRejoinedMembers()) {
      if (member.isStatic) continue;
      this.timeouts.clear(heartbeatKey(group, member.memberId));
      group.remove(member.memberId);
      this.log?.info({ groupId: group.groupId, memberId: member.memberId }, 'member did not rejoin in time');
    }
    if (!group.maybeElectNewJoinedLeader() && group.size > 0) {
      // Only static members are left and none rejoined: wait another round.
      this.timeouts.set(joinKey(group), group.rebalanceTimeoutMs, () => this.completeJoin(group));
      return;
    }
    group.initNextGeneration(this.clock.now());
    if (group.is('Empty')) {
      this.log?.info({ groupId: group.groupId, generationId: group.generationId }, 'group is now empty');
      void this.storeGroup(group, new Map()).then((errorCode) => {
        if (errorCode !== E.NONE) this.log?.warn({ groupId: group.groupId, errorCode }, 'could not store empty group');
      });
      return;
    }
    this.log?.info(
      { groupId: group.groupId, generationId: group.generationId, protocol: group.protocolName, members: group.size },
      'group completed its join phase',
    );
    for (const member of group.allMembers()) {
      member.completeJoin(this.joinResult(group, member.memberId));
      this.scheduleHeartbeatExpiration(group, member, member.sessionTimeoutMs);
      member.isNew = false;
    }
  }

  // --- SyncGroup ---------------------------------------------------------------

  async syncGroup(request: SyncGroupRequest): Promise<SyncGroupResult> {
    const statusError = this.validateGroupStatus(request.groupId, false);
    // A coordinator still loading lost any rebalance in flight: have the member rejoin.
    if (statusError === E.COORDINATOR_LOAD_IN_PROGRESS) return syncError(E.REBALANCE_IN_PROGRESS);
    if (statusError !== null) return syncError(statusError);
    const group = this.groups.get(request.groupId);
    if (!group) return syncError(E.UNKNOWN_MEMBER_ID);
    if (group.is('Dead')) return syncError(E.COORDINATOR_NOT_AVAILABLE);
    const memberError = group.validateCurrentMember(request.memberId, request.groupInstanceId);
    const member = group.get(request.memberId);
    if (memberError !== null || !member) return syncError(memberError ?? E.UNKNOWN_MEMBER_ID);
    if (request.generationId !== group.generationId) return syncError(E.ILLEGAL_GENERATION);
    if (
      (request.protocolType != null && request.protocolType !== group.protocolType) ||
      (request.protocolName != null && request.protocolName !== group.protocolName)
    ) {
      return syncError(E.INCONSISTENT_GROUP_PROTOCOL);
    }

    switch (group.state) {
      case 'Empty':
        return syncError(E.UNKNOWN_MEMBER_ID);
      case 'PreparingRebalance':
        return syncError(E.REBALANCE_IN_PROGRESS);
      case 'Stable':
        // The member lost our answer: repeat its assignment.
        this.scheduleHeartbeatExpiration(group, member, member.sessionTimeoutMs);
        return {
          errorCode: E.NONE,
          protocolType: group.protocolType,
          protocolName: group.protocolName,
          assignment: member.assignment,
        };
      case 'CompletingRebalance':
        return new Promise<SyncGroupResult>((respond) => {
          member.completeSync(syncError(E.REBALANCE_IN_PROGRESS));
          member.awaitingSync = respond;
          if (group.isLeader(member.memberId)) this.storeLeaderAssignment(group, request);
        });
      default:
        return syncError(E.COORDINATOR_NOT_AVAILABLE);
    }
  }

  /** Stores the leader's assignment, then hands every member its part and makes the group Stable. */
  private storeLeaderAssignment(group: GroupMetadata, request: SyncGroupRequest): void {
    this.log?.info({ groupId: group.groupId, generationId: group.generationId }, 'assignment received from leader');
    const assignment = new Map<string, Buffer>();
    for (const m of group.allMembers()) assignment.set(m.memberId, NO_BYTES);
    for (const a of request.assignments) if (assignment.has(a.memberId)) assignment.set(a.memberId, a.assignment);
    const generation = group.generationId;
    void this.storeGroup(group, assignment).then((errorCode) => {
      // Another member may have joined meanwhile, starting another rebalance.
      if (!group.is('CompletingRebalance') || group.generationId !== generation) return;
      if (errorCode !== E.NONE) {
        this.resetAndPropagateAssignmentError(group, errorCode);
        this.maybePrepareRebalance(group, 'could not store the group assignment');
        return;
      }
      for (const m of group.allMembers()) m.assignment = assignment.get(m.memberId) ?? NO_BYTES;
      group.transitionTo('Stable', this.clock.now());
      this.propagateAssignment(group, E.NONE);
      this.log?.info({ groupId: group.groupId, generationId: generation }, 'group is stable');
    });
  }

  private resetAndPropagateAssignmentError(group: GroupMetadata, errorCode: number): void {
    for (const m of group.allMembers()) m.assignment = NO_BYTES;
    this.propagateAssignment(group, errorCode);
  }

  private propagateAssignment(group: GroupMetadata, errorCode: number): void {
    for (const member of group.allMembers()) {
      const answered = member.completeSync({
        errorCode,
        protocolType: group.protocolType,
        protocolName: group.protocolName,
        assignment: member.assignment,
      });
      // Members parked in SyncGroup could not heartbeat: their session restarts now.
      if (answered) this.scheduleHeartbeatExpiration(group, member, member.sessionTimeoutMs);
    }
  }

  // --- Heartbeat and LeaveGroup ----------------------------------------------------

  async heartbeat(request: HeartbeatRequest): Promise<HeartbeatResult> {
    const statusError = this.validateGroupStatus(request.groupId, false);
    // While loading, Kafka answers heartbeats blindly.
    if (statusError === E.COORDINATOR_LOAD_IN_PROGRESS) return { errorCode: E.NONE };
    if (statusError !== null) return { errorCode: statusError };
    const group = this.groups.get(request.groupId);
    if (!group) return { errorCode: E.UNKNOWN_MEMBER_ID };
    if (group.is('Dead')) return { errorCode: E.COORDINATOR_NOT_AVAILABLE };
    const memberError = group.validateCurrentMember(request.memberId, request.groupInstanceId);
    const member = group.get(request.memberId);
    if (memberError !== null || !member) return { errorCode: memberError ?? E.UNKNOWN_MEMBER_ID };
    if (request.generationId !== group.generationId) return { errorCode: E.ILLEGAL_GENERATION };
    switch (group.state) {
      case 'Empty':
        return { errorCode: E.UNKNOWN_MEMBER_ID };
      case 'PreparingRebalance':
        this.scheduleHeartbeatExpiration(group, member, member.sessionTimeoutMs);
        return { errorCode: E.REBALANCE_IN_PROGRESS };
      default:
        // Stable, or CompletingRebalance where a member may heartbeat between its JoinGroup and SyncGroup.
        this.scheduleHeartbeatExpiration(group, member, member.sessionTimeoutMs);
        return { errorCode: E.NONE };
    }
  }

  async leaveGroup(request: LeaveGroupRequest, context: Pick<RequestContext, 'apiVersion'>): Promise<LeaveGroupResult> {
    const statusError = this.validateGroupStatus(request.groupId, false);
    if (statusError !== null) return { errorCode: statusError, members: [] };
    const leaving =
      request.members.length > 0 ? request.members : [{ memberId: request.memberId, groupInstanceId: null }];
    const group = this.groups.get(request.groupId);
    if (group?.is('Dead')) return { errorCode: E.COORDINATOR_NOT_AVAILABLE, members: [] };
    const members = leaving.map(({ memberId, groupInstanceId }) => ({
      memberId,
      groupInstanceId,
      errorCode: group ? this.removeLeavingMember(group, memberId, groupInstanceId) : E.UNKNOWN_MEMBER_ID,
    }));
    // Before v3 the response has one error: the member's.
    const errorCode =
      context.apiVersion <= 2 ? (members.find((m) => m.errorCode !== E.NONE)?.errorCode ?? E.NONE) : E.NONE;
    return { errorCode, members };
  }

  private removeLeavingMember(group: GroupMetadata, memberId: string, groupInstanceId: string | null): number {
    // An admin may remove a static member by its instance id alone (KIP-345).
    if (memberId === '') {
      const current = group.staticMemberId(groupInstanceId);
      const member = current === undefined ? undefined : group.get(current);
      if (!member) return E.UNKNOWN_MEMBER_ID;
      this.removeMemberAndUpdateGroup(group, member, 'static member removed by instance id');
      return E.NONE;
    }
    if (group.removePendingMember(memberId)) {
      this.timeouts.clear(pendingMemberKey(group, memberId));
      this.maybeCompleteJoin(group);
      return E.NONE;
    }
    const memberError = group.validateCurrentMember(memberId, groupInstanceId);
    const member = group.get(memberId);
    if (memberError !== null || !member) return memberError ?? E.UNKNOWN_MEMBER_ID;
    this.removeMemberAndUpdateGroup(group, member, `member ${memberId} left`);
    return E.NONE;
  }

  private scheduleHeartbeatExpiration(group: GroupMetadata, member: MemberMetadata, timeoutMs: number): void {
    const memberId = member.memberId;
    this.timeouts.set(heartbeatKey(group, memberId), timeoutMs, () => this.onHeartbeatExpired(group, memberId));
  }

  private onHeartbeatExpired(group: GroupMetadata, memberId: string): void {
    const member = group.get(memberId);
    if (!member || this.groups.get(group.groupId) !== group) return;
    // A known member parked in JoinGroup or SyncGroup cannot heartbeat; the
    // rebalance timeout (or the leader's session) bounds its wait instead.
    if ((member.isAwaitingJoin && !member.isNew) || member.isAwaitingSync) return;
    this.log?.info({ groupId: group.groupId, memberId }, 'member session expired');
    this.removeMemberAndUpdateGroup(group, member, `member ${memberId} session expired`);
  }

  private removeMemberAndUpdateGroup(group: GroupMetadata, member: MemberMetadata, reason: string): void {
    // UNKNOWN_MEMBER_ID makes a client that is still alive join again from scratch.
    member.completeJoin(joinError('', E.UNKNOWN_MEMBER_ID));
    member.completeSync(syncError(E.UNKNOWN_MEMBER_ID));
    this.timeouts.clear(heartbeatKey(group, member.memberId));
    group.remove(member.memberId);
    switch (group.state) {
      case 'Stable':
      case 'CompletingRebalance':
        this.maybePrepareRebalance(group, reason);
        return;
      case 'PreparingRebalance':
        this.maybeCompleteJoin(group);
        return;
      default:
        return;
    }
  }

  // --- administration ----------------------------------------------------------------

  async describeGroups(groupIds: readonly string[]): Promise<DescribedGroup[]> {
    return groupIds.map((groupId) => {
      const statusError = this.validateGroupStatus(groupId, true);
      if (statusError !== null) return { ...describeUnknownGroup(groupId), errorCode: statusError };
      return this.groups.get(groupId)?.describe() ?? describeUnknownGroup(groupId);
    });
  }

  /** All groups, or those in the given states (ListGroups v4+ filter; names compared case-insensitively). */
  async listGroups(statesFilter: readonly string[] = []): Promise<ListGroupsResult> {
    if (this.lifecycle !== 'active') {
      const errorCode = this.isClosed() ? E.COORDINATOR_NOT_AVAILABLE : E.COORDINATOR_LOAD_IN_PROGRESS;
      return { errorCode, groups: [] };
    }
    const wanted = new Set(statesFilter.map((s) => s.toLowerCase()));
    const groups = [...this.groups.values()]
      .filter((g) => !g.is('Dead') && (wanted.size === 0 || wanted.has(g.state.toLowerCase())))
      .map((g) => g.overview());
    return { errorCode: E.NONE, groups };
  }

  /** Deletes empty groups and their offsets; a group with members gets NON_EMPTY_GROUP. */
  async deleteGroups(groupIds: readonly string[]): Promise<DeletedGroupResult[]> {
    const results: DeletedGroupResult[] = [];
    const tombstones: CoordinatorRecord[] = [];
    const deleted: DeletedGroupResult[] = [];
    for (const groupId of new Set(groupIds)) {
      const statusError = this.validateGroupStatus(groupId, true);
      const group = this.groups.get(groupId);
      let errorCode: number = E.NONE;
      if (statusError !== null) errorCode = statusError;
      else if (!group || group.is('Dead')) errorCode = E.GROUP_ID_NOT_FOUND;
      else if (!group.is('Empty')) errorCode = E.NON_EMPTY_GROUP;
      const result = { groupId, errorCode };
      results.push(result);
      if (errorCode !== E.NONE || !group) continue;
      for (const { topic, partition } of group.offsets.all())
        tombstones.push(offsetTombstone(groupId, topic, partition));
      tombstones.push(groupTombstone(groupId));
      this.removeGroup(group);
      deleted.push(result);
    }
    if (tombstones.length > 0) {
      try {
        await this.store.append(tombstones);
      } catch (error) {
        const errorCode = storeErrorCode(error);
        for (const result of deleted) result.errorCode = errorCode;
      }
    }
    return results;
  }

  // --- offsets ---------------------------------------------------------------------

  async commitOffsets(request: OffsetCommitRequest): Promise<OffsetCommitResult> {
    const statusError = this.validateGroupStatus(request.groupId, true);
    if (statusError !== null) return this.everyPartition(request, statusError);
    return this.offsets.commit(request);
  }

  /** TxnOffsetCommit: offsets stored now, visible once `completeTransaction(producerId, true)`. */
  async commitTransactionalOffsets(request: TxnOffsetCommitRequest): Promise<OffsetCommitResult> {
    const statusError = this.validateGroupStatus(request.groupId, true);
    if (statusError !== null) return this.everyPartition(request, statusError);
    return this.offsets.commitTransactional(request);
  }

  /**
   * Called by the transaction coordinator when it writes its markers: commit
   * makes the producer's staged offsets visible, abort drops them. Rejects if
   * the marker could not be stored.
   */
  async completeTransaction(producerId: bigint | number, commit: boolean): Promise<void> {
    await this.offsets.completeTransaction(BigInt(producerId), commit);
  }

  async fetchOffsets(request: OffsetFetchRequest): Promise<OffsetFetchResult> {
    const statusError = this.validateGroupStatus(request.groupId, true);
    if (statusError !== null) {
      return {
        errorCode: statusError,
        topics: (request.topics ?? []).map((t) => ({
          name: t.name,
          partitions: t.partitionIndexes.map((partitionIndex) => ({
            partitionIndex,
            committedOffset: -1n,
            committedLeaderEpoch: -1,
            metadata: '',
            errorCode: statusError,
          })),
        })),
      };
    }
    return this.offsets.fetch(request);
  }

  /** Runs offset expiration now (it also runs every offsetsRetentionCheckIntervalMs); returns offsets removed. */
  async expireOffsets(): Promise<number> {
    return this.offsets.expire();
  }

  // --- helpers ---------------------------------------------------------------------

  /**
   * Kafka's validateGroupStatus: a group id is required (commit, fetch,
   * describe and delete accept '' for old clients), and the coordinator must
   * be loaded and running. An error code, or null.
   */
  private validateGroupStatus(groupId: string, allowEmptyGroupId: boolean): number | null {
    if (groupId === '' && !allowEmptyGroupId) return E.INVALID_GROUP_ID;
    if (this.isClosed()) return E.COORDINATOR_NOT_AVAILABLE;
    if (this.lifecycle !== 'active') return E.COORDINATOR_LOAD_IN_PROGRESS;
    return null;
  }

  private isClosed(): boolean {
    return this.lifecycle === 'closed';
  }

  private everyPartition(
    request: { topics: { name: string; partitions: { partitionIndex: number }[] }[] },
    errorCode: number,
  ): OffsetCommitResult {
    return {
      topics: request.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })),
      })),
    };
  }

  private getOrCreateGroup(groupId: string): GroupMetadata {
    let group = this.groups.get(groupId);
    if (!group) {
      group = new GroupMetadata(groupId, this.clock.now());
      this.groups.set(groupId, group);
    }
    return group;
  }

  private removeGroup(group: GroupMetadata): void {
    group.transitionTo('Dead', this.clock.now());
    this.groups.delete(group.groupId);
    this.timeouts.clear(joinKey(group));
  }

  private async storeGroup(group: GroupMetadata, assignment: ReadonlyMap<string, Buffer>): Promise<number> {
    try {
      await this.store.append([groupMetadataRecord(group, assignment)]);
      return E.NONE;
    } catch (error) {
      return storeErrorCode(error);
    }
  }

  private scheduleOffsetExpiration(): void {
    const interval = this.config.offsetsRetentionCheckIntervalMs;
    if (interval <= 0) return;
    this.timeouts.set('offset-expiration', interval, () => {
      this.offsets
        .expire()
        .catch((error: unknown) => this.log?.warn({ err: error }, 'offset expiration failed'))
        .finally(() => {
          if (!this.isClosed()) this.scheduleOffsetExpiration();
        });
    });
  }

  /** The state of a group, for tests and diagnostics. */
  groupState(groupId: string): GroupStateName | undefined {
    return this.groups.get(groupId)?.state;
  }
}

function protocolNamesOf(request: JoinGroupRequest): string[] {
  return request.protocols.map((p) => p.name);
}

/** v0 has no rebalance timeout; Kafka then uses the session timeout. */
function rebalanceTimeoutOf(request: JoinGroupRequest): number {
  return request.rebalanceTimeoutMs > 0 ? request.rebalanceTimeoutMs : request.sessionTimeoutMs;
}

function joinKey(group: GroupMetadata): string {
  return `join\u0000${group.groupId}`;
}

function heartbeatKey(group: GroupMetadata, memberId: string): string {
  return `heartbeat\u0000${group.groupId}\u0000${memberId}`;
}

function pendingMemberKey(group: GroupMetadata, memberId: string): string {
  return `pending\u0000${group.groupId}\u0000${memberId}`;
}
