/**
 * The few file operations the log needs, on raw descriptors. Appends and
 * index lookups are synchronous: they hit the page cache and take
 * microseconds, less than a round trip through libuv's thread pool, and a
 * synchronous append keeps offset assignment and the write atomic without a
 * lock. Reads of log data and fsyncs, which may wait on the disk, are async.
 */
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const read = promisify(fs.read);
const fsync = promisify(fs.fsync);

/** Writes all of `buffer` at `position`. */
export function writeFully(fd: number, buffer: Buffer, position: number): void {
  let written = 0;
  while (written < buffer.length) {
    written += fs.writeSync(fd, buffer, written, buffer.length - written, position + written);
  }
}

/** Reads up to `length` bytes at `position`; shorter only at end of file. */
export async function readAt(fd: number, length: number, position: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await read(fd, buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled === length ? buffer : buffer.subarray(0, filled);
}

/** Synchronous positional read, for small index lookups. */
export function readAtSync(fd: number, length: number, position: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const bytesRead = fs.readSync(fd, buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled === length ? buffer : buffer.subarray(0, filled);
}

export function fsyncFd(fd: number): Promise<void> {
  return fsync(fd);
}

/** Makes renames and unlinks in `dir` durable. */
export async function fsyncDir(dir: string): Promise<void> {
  const fd = fs.openSync(dir, 'r');
  try {
    await fsync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Replaces `file` with `data` so a crash leaves the old or the new content, never a mix. */
export async function writeFileAtomic(file: string, data: string | Buffer): Promise<void> {
  const temporary = `${file}.tmp`;
  const fd = fs.openSync(temporary, 'w');
  try {
    writeFully(fd, typeof data === 'string' ? Buffer.from(data) : data, 0);
    await fsync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, file);
  await fsyncDir(path.dirname(file));
}

export function unlinkIfExists(file: string): void {
  fs.rmSync(file, { force: true });
}
