/**
 * Compression codecs of a record batch (attributes bits 0-2). The broker
 * stores batches as sent and never needs these on the produce or fetch path;
 * compaction and tests use them to read and rebuild records.
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { UnsupportedCompressionError } from './errors.ts';

export const CompressionCodec = {
  None: 0,
  Gzip: 1,
  Snappy: 2,
  Lz4: 3,
  Zstd: 4,
} as const;
export type CompressionCodec = (typeof CompressionCodec)[keyof typeof CompressionCodec];

const CODEC_NAMES: Record<number, string> = { 0: 'none', 1: 'gzip', 2: 'snappy', 3: 'lz4', 4: 'zstd' };

export function compressionCodecName(codec: number): string {
  return CODEC_NAMES[codec] ?? `unknown(${codec})`;
}

/** True when this build can decompress and compress `codec`. */
export function isCompressionSupported(codec: number): boolean {
  return codec === CompressionCodec.None || codec === CompressionCodec.Gzip;
}

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);

export async function compress(codec: number, data: Buffer): Promise<Buffer> {
  if (codec === CompressionCodec.None) return data;
  if (codec === CompressionCodec.Gzip) return gzip(data);
  throw new UnsupportedCompressionError(codec, compressionCodecName(codec), 'compress');
}

export async function decompress(codec: number, data: Buffer): Promise<Buffer> {
  if (codec === CompressionCodec.None) return data;
  if (codec === CompressionCodec.Gzip) return gunzip(data);
  throw new UnsupportedCompressionError(codec, compressionCodecName(codec), 'decompress');
}
