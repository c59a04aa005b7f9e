/**
 * Access to the golden vectors in shared/kafka-fixtures/kafkajs: request and
 * response bodies that kafkajs captured from real brokers (no size prefix, no
 * header), named `<api>/v<N>_request[_suffix].json` or `..._response...`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../config/index.ts';

export const KAFKAJS_FIXTURES_DIR = path.resolve(PROJECT_ROOT, '..', 'shared', 'kafka-fixtures', 'kafkajs');

export interface Fixture {
  /** `<api folder>/<file name>`, e.g. `fetch/v4_response_gzip.json`. */
  id: string;
  /** The folder name, kafkajs's lowerCamel API name (e.g. `apiVersions`). */
  api: string;
  file: string;
  /** Null when the name has no `v<N>_` prefix. */
  version: number | null;
  /** Null when the name says neither request nor response. */
  kind: 'request' | 'response' | null;
}

export function listFixtures(dir = KAFKAJS_FIXTURES_DIR): Fixture[] {
  const fixtures: Fixture[] = [];
  for (const api of fs.readdirSync(dir).sort()) {
    const apiDir = path.join(dir, api);
    if (!fs.statSync(apiDir).isDirectory()) continue;
    for (const file of fs.readdirSync(apiDir).sort()) {
      if (!file.endsWith('.json')) continue;
      const version = /^v(\d+)_/.exec(file)?.[1];
      const kind = file.includes('request') ? 'request' : file.includes('response') ? 'response' : null;
      fixtures.push({ id: `${api}/${file}`, api, file, version: version === undefined ? null : Number(version), kind });
    }
  }
  return fixtures;
}

export function readFixture(fixture: Fixture, dir = KAFKAJS_FIXTURES_DIR): Buffer {
  const json = JSON.parse(fs.readFileSync(path.join(dir, fixture.api, fixture.file), 'utf8')) as unknown;
  if (
    typeof json !== 'object' ||
    json === null ||
    (json as { type?: unknown }).type !== 'Buffer' ||
    !Array.isArray((json as { data?: unknown }).data)
  ) {
    throw new Error(`${fixture.id} is not a Node Buffer in JSON ({"type":"Buffer","data":[...]})`);
  }
  return Buffer.from((json as { data: number[] }).data);
}
