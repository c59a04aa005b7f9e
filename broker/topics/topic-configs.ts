/**
 * The topic configs the broker knows, with Kafka's defaults: what
 * CreateTopics accepts and DescribeConfigs reports. Values are strings, as on
 * the wire. Configs that change the log's behaviour are applied by
 * `logConfigFromTopicConfigs` (broker/log); the rest are accepted, stored and
 * described, since clients (ksqlDB, Connect) set them.
 */

const DAY_MS = 86_400_000;
const LONG_MAX = '9223372036854775807';

export const TOPIC_CONFIG_DEFAULTS: Readonly<Record<string, string>> = Object.freeze({
  'cleanup.policy': 'delete',
  'compression.type': 'producer',
  'delete.retention.ms': String(DAY_MS),
  'file.delete.delay.ms': '60000',
  'flush.messages': LONG_MAX,
  'flush.ms': LONG_MAX,
  'follower.replication.throttled.replicas': '',
  'index.interval.bytes': '4096',
  'leader.replication.throttled.replicas': '',
  'max.compaction.lag.ms': LONG_MAX,
  'max.message.bytes': '1048588',
  'message.downconversion.enable': 'true',
  'message.timestamp.after.max.ms': LONG_MAX,
  'message.timestamp.before.max.ms': LONG_MAX,
  'message.timestamp.difference.max.ms': LONG_MAX,
  'message.timestamp.type': 'CreateTime',
  'min.cleanable.dirty.ratio': '0.5',
  'min.compaction.lag.ms': '0',
  'min.insync.replicas': '1',
  preallocate: 'false',
  'retention.bytes': '-1',
  'retention.ms': String(7 * DAY_MS),
  'segment.bytes': '1073741824',
  'segment.index.bytes': '10485760',
  'segment.jitter.ms': '0',
  'segment.ms': String(7 * DAY_MS),
  'unclean.leader.election.enable': 'false',
});

export function isKnownTopicConfig(name: string): boolean {
  return Object.hasOwn(TOPIC_CONFIG_DEFAULTS, name);
}

/**
 * The effective configs of a topic: Kafka's defaults, then the broker's
 * (`brokerDefaults`), then what was set on the topic, with where each came from.
 */
export function describeTopicConfigs(
  set: Readonly<Record<string, string>>,
  brokerDefaults: Readonly<Record<string, string>> = {},
): { name: string; value: string; isDefault: boolean }[] {
  const defaults = { ...TOPIC_CONFIG_DEFAULTS, ...brokerDefaults };
  return Object.keys({ ...defaults, ...set })
    .sort()
    .map((name) => ({
      name,
      value: set[name] ?? defaults[name] ?? '',
      isDefault: !Object.hasOwn(set, name),
    }));
}
