/**
 * The classic group protocol's states and the transitions Kafka allows
 * (GroupMetadata.scala's validPreviousStates):
 *
 *   Empty --join--> PreparingRebalance --all joined / timeout--> CompletingRebalance
 *   CompletingRebalance --leader's SyncGroup--> Stable
 *   Stable | CompletingRebalance --join, leave, failure--> PreparingRebalance
 *   PreparingRebalance --everyone gone--> Empty
 *   any --deleted--> Dead
 */
import type { GroupStateName } from './types.ts';

export type GroupState = GroupStateName;

const VALID_PREVIOUS_STATES: Readonly<Record<GroupState, readonly GroupState[]>> = {
  Dead: ['Stable', 'PreparingRebalance', 'CompletingRebalance', 'Empty', 'Dead'],
  CompletingRebalance: ['PreparingRebalance'],
  Stable: ['CompletingRebalance'],
  PreparingRebalance: ['Stable', 'CompletingRebalance', 'Empty'],
  Empty: ['PreparingRebalance'],
};

export function canTransition(from: GroupState, to: GroupState): boolean {
  return VALID_PREVIOUS_STATES[to].includes(from);
}

export class IllegalGroupStateError extends Error {
  constructor(groupId: string, from: GroupState, to: GroupState) {
    super(
      `Group ${groupId} cannot move from ${from} to ${to}: it must be in ${VALID_PREVIOUS_STATES[to].join(', ')} first`,
    );
    this.name = 'IllegalGroupStateError';
  }
}
