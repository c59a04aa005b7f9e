/**
 * Choosing the group's protocol (the assignor, for consumers), as Kafka does:
 * only protocols every member supports are candidates, and each member votes
 * for the first candidate in its own order of preference. This is also why a
 * kafkajs member ('RoundRobinAssigner') cannot join a group of librdkafka
 * members ('range', 'roundrobin'): they share no candidate, and the joiner
 * gets INCONSISTENT_GROUP_PROTOCOL.
 */

interface ProtocolSupporter {
  protocolNames(): readonly string[];
}

/** Protocols that every member supports, in the first member's order of preference. */
export function candidateProtocols(members: readonly ProtocolSupporter[]): string[] {
  const [first, ...rest] = members;
  if (!first) return [];
  return first.protocolNames().filter((name) => rest.every((m) => m.protocolNames().includes(name)));
}

/** Whether a member with these protocols could join: it must share a candidate with everyone already in. */
export function sharesCandidate(members: readonly ProtocolSupporter[], protocolNames: readonly string[]): boolean {
  if (members.length === 0) return protocolNames.length > 0;
  const candidates = candidateProtocols(members);
  return protocolNames.some((name) => candidates.includes(name));
}

/**
 * The protocol with the most votes; a tie goes to the one the first member
 * prefers (Kafka leaves ties to hash order; any deterministic choice is valid).
 */
export function selectProtocol(members: readonly ProtocolSupporter[]): string {
  const candidates = candidateProtocols(members);
  if (candidates.length === 0) throw new Error('No protocol is supported by every member of the group');
  const votes = new Map<string, number>();
  for (const member of members) {
    const vote = member.protocolNames().find((name) => candidates.includes(name));
    if (vote !== undefined) votes.set(vote, (votes.get(vote) ?? 0) + 1);
  }
  let chosen = candidates[0] as string;
  for (const name of candidates) {
    if ((votes.get(name) ?? 0) > (votes.get(chosen) ?? 0)) chosen = name;
  }
  return chosen;
}
