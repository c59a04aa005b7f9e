/**
 * An error a user can act on: its message says what failed, where, and what
 * to do. The CLI prints it without a stack trace.
 */
export class UserError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UserError';
  }
}

/** One or more settings have bad values; each problem names its variable. */
export class ConfigError extends UserError {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}
