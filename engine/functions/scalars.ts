/**
 * Common scalar functions, grouped by family. Each is one object: its name,
 * how its return type follows from its arguments, and its evaluation.
 */
import {
  array,
  BIGINT,
  BOOLEAN,
  DATE,
  DOUBLE,
  formatType,
  INTEGER,
  isNumeric,
  map,
  type SqlType,
  STRING,
  TIMESTAMP,
  widerNumeric,
} from '../types/sql-type.ts';
import { toText } from '../types/values.ts';
import { compare } from './aggregates.ts';
import { formatJavaTimestamp, parseJavaTimestamp } from './datetime-format.ts';
import { FunctionError, type ScalarFunction } from './registry.ts';

const fixed =
  (type: SqlType, arity?: [number, number]) =>
  (args: readonly SqlType[], name = ''): SqlType => {
    if (arity && (args.length < arity[0] || args.length > arity[1]))
      throw new FunctionError(`Function '${name}' does not accept parameters (${args.map(formatType).join(', ')}).`);
    return type;
  };

function fn(
  name: string,
  returnType: (args: readonly SqlType[]) => SqlType,
  evaluate: ScalarFunction['evaluate'],
  nullSafe = false,
): ScalarFunction {
  return { name, returnType: (args) => returnType(args), evaluate, nullSafe };
}

const sameAsFirst = (args: readonly SqlType[]) => args[0] ?? STRING;

// ---------------------------------------------------------------- strings

const javaSubstring = (s: string, pos: number, len?: number): string => {
  // ksqlDB: 1-based positions, negative from the end, 0 treated as 1.
  const start = pos > 0 ? pos - 1 : pos < 0 ? Math.max(0, s.length + pos) : 0;
  return len === undefined ? s.slice(start) : s.slice(start, start + Math.max(0, len));
};

export const STRINGS: ScalarFunction[] = [
  fn('LEN', fixed(INTEGER), ([s]) => (typeof s === 'string' ? [...s].length : (s as Buffer).length)),
  fn('LENGTH', fixed(INTEGER), ([s]) => [...(s as string)].length),
  fn('UCASE', fixed(STRING), ([s]) => (s as string).toUpperCase()),
  fn('LCASE', fixed(STRING), ([s]) => (s as string).toLowerCase()),
  fn('TRIM', fixed(STRING), ([s]) => (s as string).trim()),
  fn('LTRIM', fixed(STRING), ([s]) => (s as string).trimStart()),
  fn('RTRIM', fixed(STRING), ([s]) => (s as string).trimEnd()),
  fn('REVERSE', fixed(STRING), ([s]) => [...(s as string)].reverse().join('')),
  fn('SUBSTRING', fixed(STRING), ([s, p, l]) => javaSubstring(s as string, p as number, l as number | undefined)),
  fn('INITCAP', fixed(STRING), ([s]) =>
    (s as string)
      .split(' ')
      .map((w) => (w.length === 0 ? w : w[0]!.toUpperCase() + w.slice(1).toLowerCase()))
      .join(' '),
  ),
  fn(
    'CONCAT',
    fixed(STRING),
    (args, types) => args.map((a, i) => (a === null ? '' : toText(a, types[i] as SqlType))).join(''),
    true,
  ),
  fn(
    'CONCAT_WS',
    fixed(STRING),
    ([sep, ...rest]) =>
      sep === null
        ? null
        : rest
            .filter((r) => r !== null)
            .map(String)
            .join(sep as string),
    true,
  ),
  fn('REPLACE', fixed(STRING), ([s, a, b]) => (s as string).split(a as string).join(b as string)),
  fn('REGEXP_REPLACE', fixed(STRING), ([s, a, b]) => (s as string).replace(new RegExp(a as string, 'g'), b as string)),
  fn('REGEXP_EXTRACT', fixed(STRING), ([p, s, g]) => {
    const m = new RegExp(p as string).exec(s as string);
    return m ? (m[(g as number | undefined) ?? 0] ?? null) : null;
  }),
  fn('INSTR', fixed(INTEGER), ([s, sub]) => (s as string).indexOf(sub as string) + 1),
  fn('SPLIT', fixed(array(STRING)), ([s, d]) =>
    (d as string) === '' ? [...(s as string)] : (s as string).split(d as string),
  ),
  fn('LPAD', fixed(STRING), ([s, n, pad]) => pad3(s as string, n as number, pad as string, true)),
  fn('RPAD', fixed(STRING), ([s, n, pad]) => pad3(s as string, n as number, pad as string, false)),
  fn('MASK', fixed(STRING), ([s]) =>
    (s as string)
      .replace(/[A-Z]/g, 'X')
      .replace(/[a-z]/g, 'x')
      .replace(/[0-9]/g, 'n')
      .replace(/[^Xxn]/g, '-'),
  ),
  fn('UUID', fixed(STRING), () => crypto.randomUUID()),
  fn('CHR', fixed(STRING), ([n]) => String.fromCodePoint(n as number)),
  fn('ENCODE', fixed(STRING), ([s, from, to]) =>
    Buffer.from(s as string, enc(from as string)).toString(enc(to as string)),
  ),
];

function enc(name: string): BufferEncoding {
  const n = name.toLowerCase();
  return n === 'ascii' ? 'ascii' : n === 'hex' ? 'hex' : n === 'base64' ? 'base64' : 'utf8';
}

function pad3(s: string, n: number, pad: string, left: boolean): string | null {
  if (n < 0 || pad === '') return null;
  if (s.length >= n) return s.slice(0, n);
  const fill = pad.repeat(Math.ceil((n - s.length) / pad.length)).slice(0, n - s.length);
  return left ? fill + s : s + fill;
}

// ---------------------------------------------------------------- math

const numericResult = (args: readonly SqlType[]) => {
  const t = args[0] ?? DOUBLE;
  if (!isNumeric(t))
    throw new FunctionError(`Function does not accept parameters (${args.map(formatType).join(', ')}).`);
  return t;
};

export const MATH: ScalarFunction[] = [
  fn('ABS', numericResult, ([x]) => Math.abs(x as number)),
  fn('CEIL', sameAsFirst, ([x]) => Math.ceil(x as number)),
  fn('FLOOR', sameAsFirst, ([x]) => Math.floor(x as number)),
  fn(
    'ROUND',
    (args) => (args.length > 1 ? (args[0] ?? DOUBLE) : args[0]?.base === 'DOUBLE' ? BIGINT : (args[0] ?? BIGINT)),
    ([x, d]) => {
      const places = (d as number | undefined) ?? 0;
      const f = 10 ** places;
      return (Math.sign(x as number) * Math.round(Math.abs(x as number) * f)) / f;
    },
  ),
  fn('SQRT', fixed(DOUBLE), ([x]) => Math.sqrt(x as number)),
  fn('EXP', fixed(DOUBLE), ([x]) => Math.exp(x as number)),
  fn('LN', fixed(DOUBLE), ([x]) => Math.log(x as number)),
  fn('LOG', fixed(DOUBLE), ([a, b]) =>
    b === undefined ? Math.log(a as number) : Math.log(b as number) / Math.log(a as number),
  ),
  fn('POWER', fixed(DOUBLE), ([a, b]) => (a as number) ** (b as number)),
  fn('SIGN', fixed(INTEGER), ([x]) => Math.sign(x as number)),
  fn('RANDOM', fixed(DOUBLE), () => Math.random()),
  fn('TRUNC', sameAsFirst, ([x]) => Math.trunc(x as number)),
  fn(
    'GREATEST',
    (args) => args.reduce((a, b) => (isNumeric(a) && isNumeric(b) ? widerNumeric(a, b) : a)),
    (args) => pick(args, 1),
    true,
  ),
  fn(
    'LEAST',
    (args) => args.reduce((a, b) => (isNumeric(a) && isNumeric(b) ? widerNumeric(a, b) : a)),
    (args) => pick(args, -1),
    true,
  ),
];

function pick(args: readonly unknown[], sign: number): unknown {
  let best: unknown = null;
  for (const a of args) if (a !== null && (best === null || compare(a, best) * sign > 0)) best = a;
  return best;
}

// ---------------------------------------------------------------- nulls and conditionals

export const NULLS: ScalarFunction[] = [
  fn(
    'COALESCE',
    (args) => args.find((t) => t !== undefined) ?? STRING,
    (args) => args.find((a) => a !== null) ?? null,
    true,
  ),
  fn('IFNULL', sameAsFirst, ([a, b]) => (a === null ? b : a), true),
  fn('NULLIF', sameAsFirst, ([a, b]) => (a !== null && compare(a, b) === 0 ? null : a), true),
];

// ---------------------------------------------------------------- dates and times

const zoneArg = (z: unknown) => (z === undefined || z === null ? 'UTC' : (z as string));

export const DATETIME: ScalarFunction[] = [
  fn('TIMESTAMPTOSTRING', fixed(STRING), ([t, f, z]) => formatJavaTimestamp(t as number, f as string, zoneArg(z))),
  fn('FORMAT_TIMESTAMP', fixed(STRING), ([t, f, z]) => formatJavaTimestamp(t as number, f as string, zoneArg(z))),
  fn('STRINGTOTIMESTAMP', fixed(BIGINT), ([s, f, z]) => parseJavaTimestamp(s as string, f as string, zoneArg(z))),
  fn('PARSE_TIMESTAMP', fixed(TIMESTAMP), ([s, f, z]) => parseJavaTimestamp(s as string, f as string, zoneArg(z))),
  fn('FORMAT_DATE', fixed(STRING), ([d, f]) => formatJavaTimestamp((d as number) * 86_400_000, f as string, 'UTC')),
  fn('PARSE_DATE', fixed(DATE), ([s, f]) =>
    Math.floor(parseJavaTimestamp(s as string, f as string, 'UTC') / 86_400_000),
  ),
  fn('DATETOSTRING', fixed(STRING), ([d, f]) => formatJavaTimestamp((d as number) * 86_400_000, f as string, 'UTC')),
  fn('STRINGTODATE', fixed(INTEGER), ([s, f]) =>
    Math.floor(parseJavaTimestamp(s as string, f as string, 'UTC') / 86_400_000),
  ),
  fn('UNIX_TIMESTAMP', fixed(BIGINT), ([t]) => (t === undefined ? Date.now() : t), true),
  fn('UNIX_DATE', fixed(INTEGER), ([d]) => (d === undefined ? Math.floor(Date.now() / 86_400_000) : d), true),
  fn('FROM_UNIXTIME', fixed(TIMESTAMP), ([t]) => t),
  fn('FROM_DAYS', fixed(DATE), ([d]) => d),
];

// ---------------------------------------------------------------- JSON

function jsonPath(json: string, path: string): unknown {
  let node: unknown;
  try {
    node = JSON.parse(json);
  } catch {
    return undefined;
  }
  const steps = path.replace(/^\$/, '').match(/\.[^.[\]]+|\[\s*(?:\d+|'[^']*'|"[^"]*")\s*\]/g) ?? [];
  for (const step of steps) {
    if (node === null || typeof node !== 'object') return undefined;
    let key: string | number;
    if (step.startsWith('.')) key = step.slice(1);
    else {
      const inner = step.slice(1, -1).trim();
      key = /^\d+$/.test(inner) ? Number(inner) : inner.slice(1, -1);
    }
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

export const JSON_FUNCTIONS: ScalarFunction[] = [
  fn('EXTRACTJSONFIELD', fixed(STRING), ([json, path]) => {
    const v = jsonPath(json as string, path as string);
    if (v === undefined || v === null) return null;
    return typeof v === 'string' ? v : JSON.stringify(v);
  }),
  fn('JSON_ARRAY_LENGTH', fixed(INTEGER), ([json]) => {
    try {
      const v = JSON.parse(json as string);
      return Array.isArray(v) ? v.length : null;
    } catch {
      return null;
    }
  }),
  fn('IS_JSON_STRING', fixed(BOOLEAN), ([json]) => {
    try {
      JSON.parse(json as string);
      return true;
    } catch {
      return false;
    }
  }),
  fn('TO_JSON_STRING', fixed(STRING), ([v]) => JSON.stringify(v), true),
];

// ---------------------------------------------------------------- arrays and maps

const elementOf = (args: readonly SqlType[]) => {
  const t = args[0];
  return t?.base === 'ARRAY' ? t.element : STRING;
};

export const COLLECTIONS: ScalarFunction[] = [
  fn('ARRAY_LENGTH', fixed(INTEGER), ([a]) => (a as unknown[]).length),
  fn('CARDINALITY', fixed(INTEGER), ([a]) => (a as unknown[]).length),
  fn('ARRAY_CONTAINS', fixed(BOOLEAN), ([a, v]) => (a as unknown[]).some((x) => compare(x, v) === 0 && x !== null)),
  fn('ARRAY_DISTINCT', sameAsFirst, ([a]) => [
    ...new Map((a as unknown[]).map((x) => [JSON.stringify(x), x])).values(),
  ]),
  fn('ARRAY_MAX', elementOf, ([a]) =>
    pick(
      (a as unknown[]).filter((x) => x !== null),
      1,
    ),
  ),
  fn('ARRAY_MIN', elementOf, ([a]) =>
    pick(
      (a as unknown[]).filter((x) => x !== null),
      -1,
    ),
  ),
  fn('ARRAY_SORT', sameAsFirst, ([a, dir]) => {
    const sorted = (a as unknown[]).filter((x) => x !== null).sort(compare);
    if (typeof dir === 'string' && dir.toUpperCase() === 'DESC') sorted.reverse();
    return [...sorted, ...(a as unknown[]).filter((x) => x === null)];
  }),
  fn('ARRAY_JOIN', fixed(STRING), ([a, d]) =>
    (a as unknown[]).map((x) => (x === null ? 'null' : String(x))).join((d as string | undefined) ?? ','),
  ),
  fn('SLICE', sameAsFirst, ([a, from, to]) => (a as unknown[]).slice((from as number) - 1, to as number)),
  fn(
    'MAP_KEYS',
    (args) => array(args[0]?.base === 'MAP' ? args[0].key : STRING),
    ([m]) => Object.keys(m as object),
  ),
  fn(
    'MAP_VALUES',
    (args) => array(args[0]?.base === 'MAP' ? args[0].value : STRING),
    ([m]) => Object.values(m as object),
  ),
  fn(
    'AS_MAP',
    (args) => map(STRING, args[1]?.base === 'ARRAY' ? args[1].element : STRING),
    ([k, v]) => Object.fromEntries((k as string[]).map((key, i) => [key, (v as unknown[])[i] ?? null])),
  ),
  fn(
    'ARRAY',
    (args) => array(args[0] ?? STRING),
    (args) => [...args],
    true,
  ),
  fn('AS_VALUE', sameAsFirst, ([v]) => v, true),
];

export const SCALARS: readonly ScalarFunction[] = [
  ...STRINGS,
  ...MATH,
  ...NULLS,
  ...DATETIME,
  ...JSON_FUNCTIONS,
  ...COLLECTIONS,
];
