/**
 * `tally connectors apply`: PUTs each connector file's config to
 * `/connectors/<name>/config` of a Connect worker (ours or cp-kafka-connect),
 * which creates the connector or reconfigures it: running it twice changes
 * nothing the second time. Connectors the folder does not name are left alone.
 */
import { UserError } from '../../config/index.ts';
import { type ConnectorFile, readConnectorDir } from './connector-files.ts';

export interface AppliedConnector {
  name: string;
  file: string;
  /** 201 from Connect: it did not exist; 200: its config was replaced. */
  action: 'created' | 'updated';
}

async function put(connectUrl: string, connector: ConnectorFile): Promise<AppliedConnector> {
  const url = `${connectUrl.replace(/\/+$/, '')}/connectors/${encodeURIComponent(connector.name)}/config`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(connector.config),
    });
  } catch (error) {
    throw new UserError(
      `Kafka Connect at ${connectUrl} is unreachable (${(error as Error).cause ?? (error as Error).message}); is it running? (CONNECT_URL)`,
    );
  }
  const text = await response.text();
  if (!response.ok) {
    let message = text;
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? text;
    } catch {}
    throw new UserError(`Connect refused ${connector.file} (HTTP ${response.status}): ${message}`);
  }
  return { name: connector.name, file: connector.file, action: response.status === 201 ? 'created' : 'updated' };
}

/** Applies every connector file of `dir`, in file-name order; stops at the first refusal. */
export async function applyConnectors(connectUrl: string, dir: string): Promise<AppliedConnector[]> {
  const applied: AppliedConnector[] = [];
  for (const connector of readConnectorDir(dir)) applied.push(await put(connectUrl, connector));
  return applied;
}
