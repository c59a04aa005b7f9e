/**
 * What the supervisor needs to know about one service of the embedded stack.
 * Each component registers one of these (PostgreSQL now; the broker, schema
 * registry, ksqlDB server, Connect worker and dashboard as they arrive).
 */

export interface ProcessSpec {
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** Run as this user and group (root only): PostgreSQL refuses to run as root. */
  uid?: number;
  gid?: number;
}

export interface ServiceDefinition {
  /** Short name, used in status lines and as the log file name (`<name>.log`). */
  name: string;
  /** What clients use to reach it, printed by `tally up` (a URL or host:port). */
  address: string;
  /** The TCP port it listens on, checked to be free before it starts; none for a client such as the election. */
  port?: number;
  /** The variable that moves the port, named when the port is taken. */
  portVariable?: string;
  /** A job that ends: exiting with code 0 (even before it was ready) means done, not a crash to restart. */
  finishes?: boolean;
  /** One-time work before the first start, e.g. initdb. Runs before every start; must be idempotent. */
  prepare?: () => Promise<void>;
  /** The long-running process. */
  process: () => ProcessSpec;
  /** Resolves true once the service answers requests. Called repeatedly until it does. */
  ready: () => Promise<boolean>;
  /** Work after the first readiness, e.g. creating a database. Must be idempotent. */
  afterReady?: () => Promise<void>;
  /** Signal for a clean stop (default SIGTERM) and how long to wait before SIGKILL. */
  stopSignal?: NodeJS.Signals;
  stopTimeoutMs?: number;
  /** How long to wait for readiness before giving up (default 60 s). */
  startTimeoutMs?: number;
}

export type ServiceState = 'starting' | 'ready' | 'restarting' | 'failed' | 'stopping' | 'stopped' | 'finished';

export interface ServiceStatus {
  name: string;
  state: ServiceState;
  address: string;
  port?: number;
  pid?: number;
  log: string;
  restarts: number;
  error?: string;
  since: string;
}
