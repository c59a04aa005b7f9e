/**
 * The key and value bytes of `__consumer_offsets` records, exactly as Kafka
 * writes them, so tools that read the topic (and a log written by us) agree
 * with Kafka. Non-flexible schemas, big-endian, strings with an i16 length
 * (-1 for null), bytes with an i32 length.
 *
 *   OffsetCommitKey (key version 0, 1)  => group topic partition
 *   GroupMetadataKey (key version 2)    => group
 *   OffsetCommitValue v0 => offset:int64 metadata:string commit_timestamp:int64
 *   OffsetCommitValue v1 => offset metadata commit_timestamp expire_timestamp:int64
 *   OffsetCommitValue v2 => offset metadata commit_timestamp
 *   OffsetCommitValue v3 => offset leader_epoch:int32 metadata commit_timestamp
 *   GroupMetadataValue v0 => protocol_type generation:int32 protocol:nullable_string leader:nullable_string
 *                            [member_id client_id client_host session_timeout:int32 subscription:bytes assignment:bytes]
 *   v1 adds rebalance_timeout:int32 after client_host; v2 adds current_state_timestamp:int64
 *   after leader; v3 adds group_instance_id:nullable_string after member_id.
 *
 * Like Kafka we write OffsetCommitValue v3 (v1 when the commit carries an
 * explicit expiry) and GroupMetadataValue v3. Flexible versions (v4+, written
 * by Kafka 3.5+) are not read.
 */
import type { CoordinatorRecord, GroupMetadataRecord, OffsetCommitRecord, StoredMember } from './store.ts';

const OFFSET_COMMIT_KEY_VERSION = 1;
const GROUP_METADATA_KEY_VERSION = 2;

class Writer {
  private readonly chunks: Buffer[] = [];

  int16(value: number): this {
    const b = Buffer.alloc(2);
    b.writeInt16BE(value);
    this.chunks.push(b);
    return this;
  }

  int32(value: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(value);
    this.chunks.push(b);
    return this;
  }

  int64(value: bigint | number): this {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(BigInt(value));
    this.chunks.push(b);
    return this;
  }

  string(value: string | null): this {
    if (value === null) return this.int16(-1);
    const bytes = Buffer.from(value, 'utf8');
    this.int16(bytes.length);
    this.chunks.push(bytes);
    return this;
  }

  bytes(value: Buffer): this {
    this.int32(value.length);
    this.chunks.push(value);
    return this;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

class Reader {
  private position = 0;

  constructor(
    private readonly buffer: Buffer,
    private readonly what: string,
  ) {}

  private take(length: number): number {
    if (this.position + length > this.buffer.length) {
      throw new RangeError(`${this.what}: truncated at byte ${this.position} (needs ${length} more)`);
    }
    const at = this.position;
    this.position += length;
    return at;
  }

  int16(): number {
    return this.buffer.readInt16BE(this.take(2));
  }

  int32(): number {
    return this.buffer.readInt32BE(this.take(4));
  }

  int64(): bigint {
    return this.buffer.readBigInt64BE(this.take(8));
  }

  nullableString(): string | null {
    const length = this.int16();
    if (length < 0) return null;
    const at = this.take(length);
    return this.buffer.toString('utf8', at, at + length);
  }

  string(): string {
    const value = this.nullableString();
    if (value === null) throw new RangeError(`${this.what}: null where a string is required`);
    return value;
  }

  bytes(): Buffer {
    const length = this.int32();
    if (length < 0) return Buffer.alloc(0);
    const at = this.take(length);
    return Buffer.from(this.buffer.subarray(at, at + length));
  }
}

export function encodeRecordKey(record: OffsetCommitRecord | GroupMetadataRecord): Buffer {
  if (record.type === 'offset-commit') {
    return new Writer()
      .int16(OFFSET_COMMIT_KEY_VERSION)
      .string(record.groupId)
      .string(record.topic)
      .int32(record.partition)
      .toBuffer();
  }
  return new Writer().int16(GROUP_METADATA_KEY_VERSION).string(record.groupId).toBuffer();
}

/** The value bytes; null for a tombstone. */
export function encodeRecordValue(record: OffsetCommitRecord | GroupMetadataRecord): Buffer | null {
  if (record.value === null) return null;
  if (record.type === 'offset-commit') {
    const v = record.value;
    if (v.expireTimestamp !== null) {
      return new Writer()
        .int16(1)
        .int64(v.offset)
        .string(v.metadata)
        .int64(v.commitTimestamp)
        .int64(v.expireTimestamp)
        .toBuffer();
    }
    return new Writer()
      .int16(3)
      .int64(v.offset)
      .int32(v.leaderEpoch)
      .string(v.metadata)
      .int64(v.commitTimestamp)
      .toBuffer();
  }
  const v = record.value;
  const w = new Writer()
    .int16(3)
    .string(v.protocolType)
    .int32(v.generationId)
    .string(v.protocolName)
    .string(v.leader)
    .int64(v.currentStateTimestamp ?? -1)
    .int32(v.members.length);
  for (const m of v.members) {
    w.string(m.memberId)
      .string(m.groupInstanceId)
      .string(m.clientId)
      .string(m.clientHost)
      .int32(m.rebalanceTimeoutMs)
      .int32(m.sessionTimeoutMs)
      .bytes(m.subscription)
      .bytes(m.assignment);
  }
  return w.toBuffer();
}

/** Reads a record back from its key and value (null value: tombstone). */
export function decodeRecord(key: Buffer, value: Buffer | null): OffsetCommitRecord | GroupMetadataRecord {
  const k = new Reader(key, '__consumer_offsets key');
  const keyVersion = k.int16();
  if (keyVersion === 0 || keyVersion === 1) {
    const groupId = k.string();
    const topic = k.string();
    const partition = k.int32();
    return { type: 'offset-commit', groupId, topic, partition, value: value && decodeOffsetValue(value) };
  }
  if (keyVersion === 2) {
    const groupId = k.string();
    return { type: 'group-metadata', groupId, value: value && decodeGroupValue(value) };
  }
  throw new RangeError(`__consumer_offsets key: unknown key version ${keyVersion}`);
}

function decodeOffsetValue(value: Buffer): OffsetCommitRecord['value'] {
  const r = new Reader(value, 'OffsetCommitValue');
  const version = r.int16();
  if (version < 0 || version > 3) throw new RangeError(`OffsetCommitValue: unsupported version ${version}`);
  const offset = r.int64();
  const leaderEpoch = version >= 3 ? r.int32() : -1;
  const metadata = r.string();
  const commitTimestamp = Number(r.int64());
  const expireTimestamp = version === 1 ? Number(r.int64()) : null;
  return { offset, leaderEpoch, metadata, commitTimestamp, expireTimestamp };
}

function decodeGroupValue(value: Buffer): GroupMetadataRecord['value'] {
  const r = new Reader(value, 'GroupMetadataValue');
  const version = r.int16();
  if (version < 0 || version > 3) throw new RangeError(`GroupMetadataValue: unsupported version ${version}`);
  const protocolType = r.string();
  const generationId = r.int32();
  const protocolName = r.nullableString();
  const leader = r.nullableString();
  const stateTimestamp = version >= 2 ? Number(r.int64()) : -1;
  const count = r.int32();
  const members: StoredMember[] = [];
  for (let i = 0; i < count; i++) {
    const memberId = r.string();
    const groupInstanceId = version >= 3 ? r.nullableString() : null;
    const clientId = r.string();
    const clientHost = r.string();
    const rebalanceTimeoutMs = version >= 1 ? r.int32() : -1;
    const sessionTimeoutMs = r.int32();
    const subscription = r.bytes();
    const assignment = r.bytes();
    members.push({
      memberId,
      groupInstanceId,
      clientId,
      clientHost,
      // v0 has no rebalance timeout; Kafka uses the session timeout then.
      rebalanceTimeoutMs: rebalanceTimeoutMs < 0 ? sessionTimeoutMs : rebalanceTimeoutMs,
      sessionTimeoutMs,
      subscription,
      assignment,
    });
  }
  return {
    protocolType,
    generationId,
    protocolName,
    leader,
    currentStateTimestamp: stateTimestamp < 0 ? null : stateTimestamp,
    members,
  };
}

/** Whether a record goes to the log as a key/value pair (transaction markers are control batches). */
export function isKeyedRecord(record: CoordinatorRecord): record is OffsetCommitRecord | GroupMetadataRecord {
  return record.type !== 'transaction-marker';
}
