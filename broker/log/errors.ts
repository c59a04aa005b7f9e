/** A read or offset lookup outside [logStartOffset, logEndOffset]: Kafka's OFFSET_OUT_OF_RANGE. */
export class OffsetOutOfRangeError extends Error {
  readonly offset: number;
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  constructor(dir: string, offset: number, logStartOffset: number, logEndOffset: number) {
    super(
      `Offset ${offset} is out of range for the log in ${dir}: it holds offsets ${logStartOffset} to ${logEndOffset - 1} ` +
        `(next offset ${logEndOffset}); reset the consumer to the earliest or latest offset`,
    );
    this.name = 'OffsetOutOfRangeError';
    this.offset = offset;
    this.logStartOffset = logStartOffset;
    this.logEndOffset = logEndOffset;
  }
}

/** The log was closed or deleted; the caller holds a stale reference. */
export class LogClosedError extends Error {
  constructor(dir: string) {
    super(`The partition log in ${dir} is closed`);
    this.name = 'LogClosedError';
  }
}
