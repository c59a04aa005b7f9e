/**
 * Splits a TCP byte stream into Kafka frames:
 *
 *   Frame => size body
 *     size => INT32 (bytes in body)
 *     body => request header and request
 *
 * A frame whose size is negative, too small to hold a request header, or
 * larger than the limit is a `FrameSizeError`: the connection is closed before
 * any memory is spent on it.
 */

/** The smallest request: api key, api version, correlation id. */
const MIN_FRAME_BYTES = 8;

export class FrameSizeError extends Error {
  override name = 'FrameSizeError';
}

export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly maxFrameBytes: number) {}

  /** Adds bytes from the socket and returns every frame they complete (bodies, without size). */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Buffer[] = [];
    for (;;) {
      if (this.buffered < 4) break;
      const size = this.peekSize();
      if (size < MIN_FRAME_BYTES || size > this.maxFrameBytes) {
        throw new FrameSizeError(
          size > this.maxFrameBytes
            ? `frame of ${size} bytes exceeds socket.request.max.bytes (${this.maxFrameBytes})`
            : `invalid frame size ${size}`,
        );
      }
      if (this.buffered < 4 + size) break;
      frames.push(this.take(4 + size).subarray(4));
    }
    return frames;
  }

  /** Bytes received that do not yet form a whole frame. */
  get pendingBytes(): number {
    return this.buffered;
  }

  private peekSize(): number {
    const first = this.chunks[0]!;
    if (first.length >= 4) return first.readInt32BE(0);
    return this.take(4, false).readInt32BE(0);
  }

  /** Removes (or, with consume=false, only gathers) the next `n` bytes, copying only when they span chunks. */
  private take(n: number, consume = true): Buffer {
    const first = this.chunks[0]!;
    if (first.length >= n) {
      if (!consume) return first;
      const out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      this.buffered -= n;
      return out;
    }
    const joined = Buffer.concat(this.chunks, this.buffered);
    this.chunks = [joined];
    return this.take(n, consume);
  }
}
