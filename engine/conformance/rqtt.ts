/**
 * Reading ksqlDB's REST query-validation-test (RQTT) files: QTT cases plus
 * `responses` (what `/ksql` and `/query` answer for each statement) and
 * `expectedError` (the REST error the last statement must give).
 */
import fs from 'node:fs';
import path from 'node:path';
import { type QttCase, stripJsonComments } from './qtt.ts';

/** `{"admin": {...entity fields}}` or `{"query": [{"header"}, {"row"}, ..., {"finalMessage"}]}`. */
export type RqttResponse = Readonly<Record<string, unknown>>;

export interface RqttExpectedError {
  /** ksqlDB's error class: `...KsqlStatementErrorMessage` (an error with the statement) or `...KsqlErrorMessage`. */
  readonly type?: string;
  /** A part of the error message. */
  readonly message?: string;
  /** The HTTP status. */
  readonly status?: number;
}

export interface RqttCase extends QttCase {
  readonly responses?: readonly RqttResponse[];
  readonly expectedError?: RqttExpectedError;
}

/** One RQTT case (RQTT files have no format lists: one run per case). */
export interface RqttRun {
  readonly file: string;
  readonly index: number;
  readonly format: null;
  readonly name: string;
  readonly test: RqttCase;
}

const RQTT_FOLDER = 'rest-query-validation-tests';

/** An RQTT file: under a `rest-query-validation-tests` folder, or with cases that expect REST responses or errors. */
export function isRqttFile(file: string): boolean {
  if (file.split(path.sep).includes(RQTT_FOLDER)) return true;
  try {
    const json = JSON.parse(stripJsonComments(fs.readFileSync(file, 'utf8'))) as { tests?: RqttCase[] };
    return (json.tests ?? []).some((t) => t.responses !== undefined || t.expectedError !== undefined);
  } catch {
    return false;
  }
}

export function readRqttFile(file: string): RqttRun[] {
  const json = JSON.parse(stripJsonComments(fs.readFileSync(file, 'utf8'))) as { tests?: RqttCase[] };
  return (json.tests ?? []).map((test, index) => ({ file, index, format: null, name: test.name, test }));
}
