/**
 * SASL/PLAIN (RFC 4616) through SaslHandshake v1 and SaslAuthenticate: the
 * token is `[authzid] NUL username NUL password`. Until a connection has
 * authenticated, the dispatcher lets through only these two APIs and
 * ApiVersions.
 */
import { timingSafeEqual } from 'node:crypto';
import {
  ERROR_CODES,
  type SaslAuthenticateRequest,
  type SaslAuthenticateResponse,
  type SaslHandshakeRequest,
  type SaslHandshakeResponse,
} from '../protocol/index.ts';
import type { ConnectionInfo } from '../server/connection.ts';
import type { BrokerContext } from './context.ts';

export function saslHandshake(_context: BrokerContext, request: SaslHandshakeRequest): SaslHandshakeResponse {
  const errorCode = request.mechanism === 'PLAIN' ? 0 : ERROR_CODES.UNSUPPORTED_SASL_MECHANISM;
  return { errorCode, mechanisms: ['PLAIN'] };
}

export function saslAuthenticate(
  context: BrokerContext,
  request: SaslAuthenticateRequest,
  _header: unknown,
  connection: ConnectionInfo,
): SaslAuthenticateResponse {
  const [, username = '', password = ''] = request.authBytes.toString('utf8').split('\u0000');
  const expected = context.saslUsers?.[username];
  const matches =
    expected !== undefined &&
    Buffer.byteLength(expected) === Buffer.byteLength(password) &&
    timingSafeEqual(Buffer.from(expected), Buffer.from(password));
  if (!matches) {
    context.logger.warn({ connection: connection.remote, username }, 'SASL/PLAIN authentication failed');
    return {
      errorCode: ERROR_CODES.SASL_AUTHENTICATION_FAILED,
      errorMessage: 'Authentication failed: Invalid username or password',
      authBytes: Buffer.alloc(0),
      sessionLifetimeMs: 0n,
    };
  }
  connection.authenticated = true;
  connection.principal = `User:${username}`;
  return { errorCode: 0, errorMessage: null, authBytes: Buffer.alloc(0), sessionLifetimeMs: 0n };
}
