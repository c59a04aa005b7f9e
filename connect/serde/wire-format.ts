/**
 * Confluent's wire format for keys and values serialized through a schema
 * registry:
 *
 *   byte 0      magic byte, always 0
 *   bytes 1-4   the schema id, a big-endian int32
 *   bytes 5-    the payload: Avro binary (AVRO) or UTF-8 JSON text (JSON_SR)
 */

export const MAGIC_BYTE = 0;
export const HEADER_SIZE = 5;

/** A payload that is not in the wire format; the message names topic, partition and offset when the caller knows them. */
export class SerializationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SerializationError';
  }
}

export function encodeWireFormat(schemaId: number, payload: Buffer): Buffer {
  const framed = Buffer.allocUnsafe(HEADER_SIZE + payload.length);
  framed[0] = MAGIC_BYTE;
  framed.writeInt32BE(schemaId, 1);
  payload.copy(framed, HEADER_SIZE);
  return framed;
}

export function decodeWireFormat(bytes: Buffer): { schemaId: number; payload: Buffer } {
  if (bytes.length < HEADER_SIZE) {
    throw new SerializationError(
      `Unknown magic byte: ${bytes.length} bytes are too few for the schema registry wire format (5-byte header). Was it written by a registry-aware serializer?`,
    );
  }
  if (bytes[0] !== MAGIC_BYTE) {
    throw new SerializationError(
      `Unknown magic byte ${bytes[0]}: the payload is not in the schema registry wire format (magic byte 0, schema id, data). Use the converter that matches how the topic was written.`,
    );
  }
  return { schemaId: bytes.readInt32BE(1), payload: bytes.subarray(HEADER_SIZE) };
}
