/**
 * Errors raised by the codec. The broker catches `ProtocolError`: a malformed
 * frame closes the connection; an unsupported request is answered (or the
 * connection closed) using the header it carries, so the correlation id is
 * never lost.
 */
import type { RequestHeader } from './header.ts';

export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

/** The bytes do not follow the grammar: truncated, negative length, bad varint... */
export class MalformedFrameError extends ProtocolError {
  override name = 'MalformedFrameError';
  constructor(
    message: string,
    /** The field being read, when known (e.g. `topics[].partitions[].records`). */
    readonly field?: string,
    /** Byte offset within the buffer being decoded. */
    readonly offset?: number,
  ) {
    super(
      field === undefined ? message : `${message} (field ${field}${offset === undefined ? '' : ` at byte ${offset}`})`,
    );
  }
}

/** A well-formed header asking for something we do not serve. */
export abstract class UnsupportedRequestError extends ProtocolError {
  constructor(
    message: string,
    /** What could be read of the header: enough to answer with the right correlation id. */
    readonly header: RequestHeader,
  ) {
    super(message);
  }
}

export class UnknownApiKeyError extends UnsupportedRequestError {
  override name = 'UnknownApiKeyError';
  constructor(header: RequestHeader) {
    super(`Unknown or unserved API key ${header.apiKey} (correlation id ${header.correlationId})`, header);
  }
}

export class UnsupportedVersionError extends UnsupportedRequestError {
  override name = 'UnsupportedVersionError';
  constructor(
    header: RequestHeader,
    readonly apiName: string,
    readonly minVersion: number,
    readonly maxVersion: number,
  ) {
    super(
      `${apiName} version ${header.apiVersion} is not supported (we serve ${minVersion}-${maxVersion}; correlation id ${header.correlationId})`,
      header,
    );
  }
}
