/** A failure the migrations tool reports (MigrationException): printed as is, exit status 1. */
export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}
