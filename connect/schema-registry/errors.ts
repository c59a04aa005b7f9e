/**
 * Confluent Schema Registry's error codes. The HTTP status is the first three
 * digits of a five-digit code (40401 -> 404), or the code itself (409).
 */

export const ERROR_CODES = {
  subjectNotFound: 40401,
  versionNotFound: 40402,
  schemaNotFound: 40403,
  subjectSoftDeleted: 40404,
  subjectNotSoftDeleted: 40405,
  subjectLevelCompatibilityNotConfigured: 40408,
  incompatibleSchema: 409,
  invalidSchema: 42201,
  invalidVersion: 42202,
  invalidCompatibilityLevel: 42203,
  storeError: 50001,
} as const;

export class RegistryError extends Error {
  readonly errorCode: number;
  constructor(errorCode: number, message: string) {
    super(message);
    this.name = 'RegistryError';
    this.errorCode = errorCode;
  }

  get httpStatus(): number {
    return this.errorCode >= 10_000 ? Math.floor(this.errorCode / 100) : this.errorCode;
  }
}

export const subjectNotFound = (subject: string) =>
  new RegistryError(ERROR_CODES.subjectNotFound, `Subject '${subject}' not found.`);
export const versionNotFound = (subject: string, version: number | string) =>
  new RegistryError(ERROR_CODES.versionNotFound, `Version ${version} not found for subject '${subject}'.`);
export const schemaNotFound = (detail = 'Schema not found') => new RegistryError(ERROR_CODES.schemaNotFound, detail);
export const invalidSchema = (detail: string) =>
  new RegistryError(ERROR_CODES.invalidSchema, `Invalid schema: ${detail}`);
