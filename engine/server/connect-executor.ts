/**
 * ksqlDB's connector statements, forwarded to the Connect REST API at
 * `ksql.connect.url` (ksqlDB's ConnectExecutor and its list, describe and
 * drop executors), answered with ksqlDB's entities:
 *
 *   CREATE SOURCE|SINK CONNECTOR [IF NOT EXISTS] n WITH (...)  POST /connectors          connector_info
 *   SHOW|LIST [SOURCE|SINK] CONNECTORS                      GET /connectors + status   connector_list
 *   DESCRIBE CONNECTOR n                                    GET /connectors/n + status connector_description
 *   DROP CONNECTOR [IF EXISTS] n                            DELETE /connectors/n       drop_connector
 *
 * IF [NOT] EXISTS turns "already exists" / "not found" into a warning_entity,
 * as ksqlDB does. Connector statements are not distributed through the
 * command topic: Connect keeps the connectors.
 */
import type { Statement } from '../parser/ast.ts';
import { ERROR_CODES, type KsqlEntity, KsqlRequestError } from './entities.ts';

/** The connector statements; a `drop` here is DROP CONNECTOR (the server sends no other). */
type ConnectorStatement = Extract<
  Statement,
  { kind: 'createConnector' | 'listConnectors' | 'describeConnector' | 'drop' }
>;

interface ConnectorInfo {
  name: string;
  config: Record<string, string>;
  tasks: { connector: string; task: number }[];
  type?: string;
}

interface ConnectorStateInfo {
  name: string;
  connector: { state: string; worker_id: string; trace?: string };
  tasks: { id: number; state: string; worker_id: string; trace?: string }[];
  type?: string;
}

class ConnectError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function entity(type: string, statementText: string, body: Record<string, unknown>): KsqlEntity {
  return { '@type': type, statementText, warnings: [], ...body };
}

/** ksqlDB's summary of a connector's state: `RUNNING (1/1 tasks RUNNING)` once the connector runs. */
function summarizeState(status: ConnectorStateInfo): string {
  const state = status.connector.state;
  if (state !== 'RUNNING') return state;
  const running = status.tasks.filter((t) => t.state === 'RUNNING').length;
  return `${state} (${running}/${status.tasks.length} tasks RUNNING)`;
}

export class ConnectExecutor {
  private readonly url: string;

  constructor(connectUrl: string) {
    this.url = connectUrl.replace(/\/+$/, '');
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.url}${path}`, {
        method,
        headers: { accept: 'application/json', ...(body !== undefined && { 'content-type': 'application/json' }) },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new ConnectError(
        503,
        `Kafka Connect at ${this.url} is unreachable (${(error as Error).cause ?? (error as Error).message}); check ksql.connect.url (CONNECT_URL)`,
      );
    }
    const text = await response.text();
    if (!response.ok) {
      let message = text;
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? text;
      } catch {}
      throw new ConnectError(response.status, message);
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async execute(s: ConnectorStatement & { text: string }): Promise<KsqlEntity> {
    try {
      switch (s.kind) {
        case 'createConnector':
          return await this.create(s);
        case 'listConnectors':
          return await this.list(s);
        case 'describeConnector':
          return await this.describe(s);
        case 'drop':
          return await this.drop(s);
      }
    } catch (error) {
      if (!(error instanceof ConnectError)) throw error;
      const verb = { createConnector: 'create', listConnectors: 'list', describeConnector: 'describe', drop: 'drop' }[
        s.kind
      ];
      throw new KsqlRequestError(
        error.status === 404 ? ERROR_CODES.notFound : ERROR_CODES.badStatement,
        `Failed to ${verb} connector${s.kind === 'listConnectors' ? 's' : ''}: ${error.message} (Connect answered ${error.status})`,
        s.text,
      );
    }
  }

  private async create(s: Extract<ConnectorStatement, { kind: 'createConnector' }> & { text: string }) {
    const config = Object.fromEntries(s.properties);
    try {
      const info = await this.request<ConnectorInfo>('POST', '/connectors', { name: s.name, config });
      return entity('connector_info', s.text, { info });
    } catch (error) {
      if (s.ifNotExists && error instanceof ConnectError && error.status === 409) {
        return entity('warning_entity', s.text, { message: `Connector ${s.name} already exists` });
      }
      throw error;
    }
  }

  private async list(s: Extract<ConnectorStatement, { kind: 'listConnectors' }> & { text: string }) {
    const names = await this.request<string[]>('GET', '/connectors');
    const connectors = [];
    for (const name of [...names].sort()) {
      const [info, status] = await Promise.all([
        this.request<ConnectorInfo>('GET', `/connectors/${encodeURIComponent(name)}`),
        this.request<ConnectorStateInfo>('GET', `/connectors/${encodeURIComponent(name)}/status`),
      ]);
      const type = info.type ?? status.type ?? 'unknown';
      if (s.scope !== 'ALL' && type !== s.scope.toLowerCase()) continue;
      connectors.push({ name, type, className: info.config['connector.class'], state: summarizeState(status) });
    }
    return entity('connector_list', s.text, { connectors });
  }

  private async describe(s: Extract<ConnectorStatement, { kind: 'describeConnector' }> & { text: string }) {
    const name = encodeURIComponent(s.name);
    const [info, status] = await Promise.all([
      this.request<ConnectorInfo>('GET', `/connectors/${name}`),
      this.request<ConnectorStateInfo>('GET', `/connectors/${name}/status`),
    ]);
    const topics = (info.config.topics ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t.length > 0);
    return entity('connector_description', s.text, {
      connectorClass: info.config['connector.class'],
      status,
      sources: [],
      topics,
    });
  }

  private async drop(s: Extract<ConnectorStatement, { kind: 'drop' }> & { text: string }) {
    try {
      await this.request('DELETE', `/connectors/${encodeURIComponent(s.name)}`);
    } catch (error) {
      if (s.ifExists && error instanceof ConnectError && error.status === 404) {
        return entity('warning_entity', s.text, { message: `Connector '${s.name}' does not exist.` });
      }
      throw error;
    }
    return entity('drop_connector', s.text, { connectorName: s.name });
  }
}
