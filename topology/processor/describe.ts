/**
 * Topology#describe() in Kafka Streams' text format:
 *
 *   Topologies:
 *      Sub-topology: 0
 *       Source: KSTREAM-SOURCE-0000000000 (topics: [votes])
 *         --> KSTREAM-FILTER-0000000001
 *       Processor: KSTREAM-FILTER-0000000001 (stores: [])
 *         --> KSTREAM-SINK-0000000002
 *         <-- KSTREAM-SOURCE-0000000000
 *       Sink: KSTREAM-SINK-0000000002 (topic: valid-votes)
 *         <-- KSTREAM-FILTER-0000000001
 *
 * Within a sub-topology, nodes with the larger sub-tree come first, ties by
 * name, as Kafka Streams orders them.
 */
import type { NodeSpec, Topology } from './topology.ts';

export function describeTopology(topology: Topology): string {
  const nodes = topology.nodes;
  const subtreeSize = new Map<string, number>();
  const sizeOf = (name: string, seen: Set<string>): number => {
    const known = subtreeSize.get(name);
    if (known !== undefined) return known;
    const descendants = new Set<string>();
    const walk = (n: string) => {
      for (const child of nodes.get(n)?.children ?? []) {
        if (!descendants.has(child) && !seen.has(child)) {
          descendants.add(child);
          walk(child);
        }
      }
    };
    walk(name);
    const size = descendants.size + 1;
    subtreeSize.set(name, size);
    return size;
  };

  let out = 'Topologies:\n';
  const subtopologies = topology.subtopologies();
  subtopologies.forEach((sub, index) => {
    out += `${index === 0 ? '   ' : '  '}Sub-topology: ${sub.id}\n`;
    const ordered = [...sub.nodes].sort((a, b) => {
      const diff = sizeOf(b, new Set()) - sizeOf(a, new Set());
      return diff !== 0 ? diff : a < b ? -1 : a > b ? 1 : 0;
    });
    for (const name of ordered) out += `    ${describeNode(nodes.get(name) as NodeSpec)}\n`;
    out += '\n';
  });
  return out;
}

function names(list: readonly string[]): string {
  return list.length === 0 ? 'none' : list.join(', ');
}

function describeNode(node: NodeSpec): string {
  switch (node.kind) {
    case 'source':
      return `Source: ${node.name} (topics: [${node.topics.join(', ')}])\n      --> ${names(node.children)}`;
    case 'processor':
      return `Processor: ${node.name} (stores: [${node.stores.join(', ')}])\n      --> ${names(node.children)}\n      <-- ${names(node.parents)}`;
    case 'sink':
      return `Sink: ${node.name} (topic: ${node.topic})\n      <-- ${names(node.parents)}`;
  }
}
