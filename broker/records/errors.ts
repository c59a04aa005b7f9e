/** Why a record batch was refused: each maps to one thing a producer or an operator can fix. */
export type CorruptRecordReason =
  /** Fewer bytes than the batch header or its declared length. */
  | 'truncated'
  /** batchLength is below the v2 header size or beyond the bytes that follow. */
  | 'invalid-length'
  /** The batch is larger than the topic allows (max.message.bytes): Kafka's MESSAGE_TOO_LARGE. */
  | 'too-large'
  /** magic 0 or 1 (legacy message sets) or an unknown magic byte. */
  | 'unsupported-magic'
  /** The stored CRC-32C does not match the bytes from attributes to the end. */
  | 'crc-mismatch'
  /** A header field or a record inside the batch is malformed. */
  | 'invalid-record';

/**
 * A record batch that cannot be trusted. `position` is the byte offset of the
 * batch inside the buffer or file it was read from (or -1 when unknown).
 */
export class CorruptRecordError extends Error {
  readonly reason: CorruptRecordReason;
  readonly position: number;
  constructor(reason: CorruptRecordReason, message: string, position = -1) {
    super(position >= 0 ? `${message} (batch at byte ${position})` : message);
    this.name = 'CorruptRecordError';
    this.reason = reason;
    this.position = position;
  }
}

/**
 * A batch uses a compression codec this build cannot read or write. Only
 * gzip is available: Node 20's zlib has no zstd, and no snappy or lz4
 * library is installed.
 */
export class UnsupportedCompressionError extends Error {
  readonly codec: number;
  constructor(codec: number, codecName: string, action: string) {
    super(
      `Cannot ${action} a ${codecName} record batch (codec ${codec}): only none and gzip are supported here; ` +
        'configure the producer with compression gzip or none.',
    );
    this.name = 'UnsupportedCompressionError';
    this.codec = codec;
  }
}
