/**
 * Reading ksqlDB's query-validation-test (QTT) files: JSON with // and /* *\/
 * comments, one `{ tests: [...] }` per file. A case that lists several
 * formats becomes one run per format, with {FORMAT} substituted.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface QttRecord {
  readonly topic: string;
  readonly key?: unknown;
  readonly value?: unknown;
  readonly timestamp?: number;
  readonly window?: { readonly start: number; readonly end: number; readonly type?: string };
  readonly headers?: readonly { readonly KEY: string; readonly VALUE: string | null }[];
}

export interface QttPostSource {
  readonly name: string;
  readonly type?: string;
  readonly schema?: string;
  readonly keyFormat?: { readonly format?: string };
  readonly valueFormat?: string;
}

/** A topic that exists before the run, with the schemas registered for it. */
export interface QttTopic {
  readonly name: string;
  readonly keyFormat?: string;
  readonly valueFormat?: string;
  readonly keySchema?: unknown;
  readonly valueSchema?: unknown;
  readonly keySchemaId?: number;
  readonly valueSchemaId?: number;
  /** Schemas the key / value schema imports (a .proto's `import "event.proto"`). */
  readonly keySchemaReferences?: readonly QttSchemaReference[];
  readonly valueSchemaReferences?: readonly QttSchemaReference[];
}

export interface QttSchemaReference {
  /** The name the schema imports it by; ksqlDB's runner registers it under a subject of that name. */
  readonly name: string;
  readonly format?: string;
  readonly schema: unknown;
}

export interface QttCase {
  readonly name: string;
  readonly statements: readonly string[];
  readonly properties?: Readonly<Record<string, unknown>>;
  readonly inputs?: readonly QttRecord[];
  readonly outputs?: readonly QttRecord[];
  readonly format?: readonly string[];
  readonly expectedException?: { readonly type?: string; readonly message?: string };
  readonly post?: { readonly sources?: readonly QttPostSource[] };
  readonly topics?: readonly QttTopic[];
}

/** One run: a case with one format substituted. */
export interface QttRun {
  readonly file: string;
  readonly index: number;
  readonly format: string | null;
  /** `name` or `name - FORMAT`, unique within the file. */
  readonly name: string;
  readonly test: QttCase;
}

/** Removes // and /* *\/ comments outside strings. */
export function stripJsonComments(text: string): string {
  let out = '';
  let i = 0;
  let inString = false;
  while (i < text.length) {
    const c = text[i] as string;
    if (inString) {
      out += c;
      if (c === '\\') {
        out += text[i + 1] ?? '';
        i += 2;
        continue;
      }
      if (c === '"') inString = false;
      i++;
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
      i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

export function readQttFile(file: string): QttRun[] {
  const json = JSON.parse(stripJsonComments(fs.readFileSync(file, 'utf8'))) as { tests?: QttCase[] };
  const runs: QttRun[] = [];
  (json.tests ?? []).forEach((test, index) => {
    const formats = test.format && test.format.length > 0 ? test.format : [null];
    for (const format of formats) {
      const statements =
        format === null ? test.statements : test.statements.map((s) => s.replaceAll('{FORMAT}', format));
      runs.push({
        file,
        index,
        format,
        name: format === null ? test.name : `${test.name} - ${format}`,
        test: { ...test, statements },
      });
    }
  });
  return runs;
}

/** QTT files under the given files or folders (all *.json, recursively), sorted. */
export function findQttFiles(targets: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    const stat = fs.statSync(p);
    if (stat.isFile()) {
      if (p.endsWith('.json')) out.push(p);
      return;
    }
    for (const entry of fs.readdirSync(p)) walk(path.join(p, entry));
  };
  for (const t of targets) walk(t);
  return out.sort();
}
