/**
 * The broker's own metadata on disk: its cluster id and the topics with
 * their partition counts and configs. Kafka keeps these in its KRaft metadata
 * log; one node needs only two small files, rewritten atomically (write,
 * fsync, rename) on every change so that a crash leaves the old or the new.
 *
 *   <dataDir>/meta.properties   cluster.id and node.id, as Kafka writes them
 *   <dataDir>/topics.json       { topics: TopicRecord[] }
 */
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface TopicRecord {
  name: string;
  /** Kafka's topic id: a UUID, sent in Metadata v10+ (we keep it for describing). */
  topicId: string;
  partitions: number;
  /** Configs set on the topic (not the defaults). */
  configs: Record<string, string>;
  createdAt: number;
}

export interface ClusterIdentity {
  clusterId: string;
  nodeId: number;
}

function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.tmp`;
  const fd = fs.openSync(temporary, 'w');
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, file);
}

export class MetadataStore {
  constructor(private readonly dataDir: string) {
    fs.mkdirSync(dataDir, { recursive: true });
  }

  /** The cluster id persists across restarts: clients notice when it changes. */
  identity(nodeId: number): ClusterIdentity {
    const file = path.join(this.dataDir, 'meta.properties');
    if (fs.existsSync(file)) {
      const properties = Object.fromEntries(
        fs
          .readFileSync(file, 'utf8')
          .split('\n')
          .filter((line) => line.includes('=') && !line.startsWith('#'))
          .map((line) => [line.slice(0, line.indexOf('=')).trim(), line.slice(line.indexOf('=') + 1).trim()]),
      );
      if (properties['cluster.id'])
        return { clusterId: properties['cluster.id'], nodeId: Number(properties['node.id'] ?? nodeId) };
    }
    // Kafka's cluster ids are 16 random bytes in URL-safe base64 without padding.
    const identity = { clusterId: randomBytes(16).toString('base64url'), nodeId };
    writeAtomically(
      file,
      `# Written by Tally's broker\nversion=1\ncluster.id=${identity.clusterId}\nnode.id=${nodeId}\n`,
    );
    return identity;
  }

  loadTopics(): TopicRecord[] {
    const file = path.join(this.dataDir, 'topics.json');
    if (!fs.existsSync(file)) return [];
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { topics: TopicRecord[] }).topics;
  }

  saveTopics(topics: TopicRecord[]): void {
    writeAtomically(path.join(this.dataDir, 'topics.json'), `${JSON.stringify({ topics }, null, 2)}\n`);
  }

  static newTopicId(): string {
    return randomUUID();
  }
}

/** Kafka's rule for topic names: 1-249 of [a-zA-Z0-9._-], and not "." or "..". */
export function topicNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'Topic name is empty';
  if (name === '.' || name === '..') return `Topic name cannot be "${name}"`;
  if (name.length > 249) return `Topic name is longer than 249 characters`;
  if (!/^[a-zA-Z0-9._-]+$/.test(name))
    return `Topic name "${name}" is illegal: it may contain only ASCII letters, digits, '.', '_' and '-'`;
  return undefined;
}
